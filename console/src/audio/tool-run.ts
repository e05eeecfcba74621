import { spawn } from 'node:child_process';
import { constants, access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Keeps the tail only: ffmpeg and espeak-ng can be chatty and only the end of their output matters. */
const OUTPUT_LIMIT = 64 * 1024;

/** Runs an external program (ffmpeg, espeak-ng) with a deadline; rejects only when it cannot start. */
export function runTool(
  command: string,
  args: string[],
  options: { timeoutMs: number; input?: string },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    });
    const timer = setTimeout(() => {
      stderr += `\n${command} timed out after ${options.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {
      // The tool may exit before reading its input; the exit code tells what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The executable: the path itself when it contains '/', else the first match in PATH; null when absent. */
export async function locateTool(name: string): Promise<string | null> {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '/usr/bin:/bin')
        .split(delimiter)
        .filter((d) => d !== '')
        .map((d) => join(d, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/** The first meaningful line of a tool's error output, for messages shown to users. */
export function firstErrorLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return (line ?? 'no error output').slice(0, 300);
}
