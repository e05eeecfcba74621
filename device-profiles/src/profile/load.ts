import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Profile, ProfileSchema } from './schema.js';

export interface ProfileIssue {
  field: string;
  message: string;
}

/** A profile that failed to load: names the file, then every field and why. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ProfileIssue[],
  ) {
    super(`${file}: invalid device profile\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(root)';
}

function issuesOf(error: z.ZodError): ProfileIssue[] {
  return error.issues.map((i) => ({ field: formatPath(i.path), message: i.message }));
}

/** Parses JSON or YAML text (by file extension) and validates it. */
export function parseProfile(text: string, file: string): Profile {
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ProfileError(file, [
      {
        field: '(file)',
        message: `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      },
    ]);
  }
  const result = ProfileSchema.safeParse(raw);
  if (!result.success) throw new ProfileError(file, issuesOf(result.error));
  const stem = basename(file).replace(/\.(json|ya?ml)$/, '');
  if (stem !== result.data.name) {
    throw new ProfileError(file, [
      { field: 'name', message: `"${result.data.name}" must match the file name "${stem}"` },
    ]);
  }
  return result.data;
}

export function loadProfileFile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProfileError(file, [
      {
        field: '(file)',
        message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message,
      },
    ]);
  }
  return parseProfile(text, file);
}

/** The profiles shipped with the project. */
export const BUILTIN_PROFILE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../profiles');

const PROFILE_FILE = /\.(json|ya?ml)$/;

/** Loads every profile in a folder; one broken file fails the whole load with its name. */
export function loadProfileDir(dir: string = BUILTIN_PROFILE_DIR): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  for (const entry of readdirSync(dir)
    .filter((f) => PROFILE_FILE.test(f))
    .sort()) {
    const profile = loadProfileFile(join(dir, entry));
    if (profiles.has(profile.name))
      throw new ProfileError(join(dir, entry), [
        { field: 'name', message: `duplicate profile name "${profile.name}"` },
      ]);
    profiles.set(profile.name, profile);
  }
  return profiles;
}

let builtin: Map<string, Profile> | undefined;

export function builtinProfiles(): Map<string, Profile> {
  builtin ??= loadProfileDir();
  return builtin;
}

export function getProfile(name: string, profiles: Map<string, Profile> = builtinProfiles()): Profile {
  const profile = profiles.get(name);
  if (!profile)
    throw new Error(`unknown device profile "${name}" (known: ${[...profiles.keys()].join(', ')})`);
  return profile;
}
