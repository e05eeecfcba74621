import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FAULT_SPEC_HELP, type Fault, parseFaultSpec } from './faults/spec.js';

export const CLI_USAGE = `Usage: npm run sim -- --profile <name> [--profile <name> …] [options]

  --profile <name>   device profile to simulate (repeat for several devices on one port/line)
  --port <n>         serve Modbus TCP on this port (0 = any free port)
  --host <addr>      TCP address to listen on (default 127.0.0.1)
  --unit <id>        unit id (repeat to pair with each --profile; default: the profile's)
  --rtu <path>       serve Modbus RTU on an existing serial port or pty
  --pty              create a socat pty pair and serve RTU on it (prints the path a master opens)
  --baud <n>         RTU line speed (default: the first profile's)
  --faults <spec>    ${FAULT_SPEC_HELP}
  --seed <n>         random seed (default 1); the same seed gives the same values
  --help             this text

While running, type on stdin: faults <spec> | faults (clear) | set <channel> <value> | release <channel> | unplug | replug | status`;

const Int = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what} must be a whole number`)
    .transform(Number)
    .pipe(
      z.number().int().min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`),
    );

const CliSchema = z
  .object({
    profiles: z.array(z.string().min(1)).min(1, '--profile is required'),
    port: Int(0, 65535, '--port').optional(),
    host: z.string().min(1).default('127.0.0.1'),
    units: z.array(Int(1, 247, '--unit')).default([]),
    rtu: z.string().min(1).optional(),
    pty: z.boolean().default(false),
    baud: Int(50, 4_000_000, '--baud').optional(),
    faults: z.string().default(''),
    seed: Int(0, 4294967295, '--seed').default(1),
  })
  .refine((o) => o.port !== undefined || o.rtu !== undefined || o.pty, {
    message: 'say where to serve: --port <n> (Modbus TCP), --rtu <path> or --pty (Modbus RTU)',
  })
  .refine((o) => !(o.rtu && o.pty), { message: '--rtu and --pty are exclusive' })
  .refine((o) => o.units.length <= o.profiles.length, { message: 'more --unit than --profile flags' });

export type CliOptions = Omit<z.infer<typeof CliSchema>, 'faults'> & { faults: Fault[] };

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Parses the simulator's command line; every mistake becomes a CliUsageError with a clear message. */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string', multiple: true },
        port: { type: 'string' },
        host: { type: 'string' },
        unit: { type: 'string', multiple: true },
        rtu: { type: 'string' },
        pty: { type: 'boolean' },
        baud: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const parsed = CliSchema.safeParse({
    profiles: values.profile ?? [],
    port: values.port,
    host: values.host,
    units: values.unit,
    rtu: values.rtu,
    pty: values.pty,
    baud: values.baud,
    faults: values.faults,
    seed: values.seed,
  });
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((i) => i.message).join('; '));
  try {
    return { ...parsed.data, faults: parseFaultSpec(parsed.data.faults) };
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}
