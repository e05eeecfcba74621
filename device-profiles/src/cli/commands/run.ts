import { parseArgs } from 'node:util';
import { ProfileError, builtinProfiles, loadProfileFile } from '../../profile/load.js';
import type { Profile } from '../../profile/schema.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Output } from '../output.js';
import { checkProfileFiles } from './check.js';
import { listProfiles } from './list.js';
import { showProfile } from './show.js';
import { USAGE } from './usage.js';

/** A path (has a separator or a profile extension) is loaded as a file; anything else is a shipped profile name. */
function resolveProfile(ref: string): Profile | string {
  if (/[\\/]/.test(ref) || /\.(json|ya?ml)$/.test(ref)) return loadProfileFile(ref);
  const profile = builtinProfiles().get(ref);
  return profile ?? `unknown device profile "${ref}" (known: ${[...builtinProfiles().keys()].join(', ')})`;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
}

/** Runs one command line; returns the exit code. */
export function runProfilesCli(argv: readonly string[], io: Output): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.err(`profiles: ${(err as Error).message}`);
    io.err('Run "npm run profiles -- --help" for usage.');
    return EXIT_USAGE;
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  const usageError = (message: string) => {
    io.err(`profiles: ${message}`);
    io.err('Run "npm run profiles -- --help" for usage.');
    return EXIT_USAGE;
  };
  switch (command) {
    case 'list':
      if (args.length > 0) return usageError(`list takes no arguments, got ${args.join(' ')}`);
      return listProfiles(builtinProfiles(), io);
    case 'show': {
      const [ref, ...extra] = args;
      if (ref === undefined || extra.length > 0)
        return usageError('show takes exactly one profile name or file');
      try {
        const profile = resolveProfile(ref);
        if (typeof profile === 'string') return usageError(profile);
        return showProfile(profile, parsed.values.json === true, io);
      } catch (err) {
        if (!(err instanceof ProfileError)) throw err;
        for (const line of err.message.split('\n')) io.err(line);
        return EXIT_INVALID;
      }
    }
    case 'check':
      if (args.length === 0) return usageError('check needs at least one profile file');
      return checkProfileFiles(args, io);
    case undefined:
      return usageError('no command given');
    default:
      return usageError(`unknown command "${command}"`);
  }
}
