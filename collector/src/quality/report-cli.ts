import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CsvInputError } from './csv-table.js';

export interface ReportCli<L> {
  name: string;
  usage: string;
  csvHeader: string;
  build(text: string): L[];
  csvLine(l: L): string;
  jsonLine(l: L): string;
}

/** Shared shell of `npm run aqi` / `npm run wqi`: 0 on success, 1 on bad input, 2 on bad usage. */
export function runReportCli<L>(
  cli: ReportCli<L>,
  argv: string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): number {
  let args: { file?: string; json?: boolean; help?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: { file: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (e) {
    err.write(`${cli.name}: ${(e as Error).message}\n${cli.usage}\n`);
    return 2;
  }
  if (args.help) {
    out.write(`${cli.usage}\n`);
    return 0;
  }
  if (!args.file) {
    err.write(`${cli.name}: --file is required\n${cli.usage}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (e) {
    err.write(`${cli.name}: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 1;
  }
  let lines: L[];
  try {
    lines = cli.build(text);
  } catch (e) {
    if (e instanceof CsvInputError || e instanceof RangeError) {
      err.write(`${cli.name}: ${args.file}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const body = args.json ? lines.map(cli.jsonLine) : [cli.csvHeader, ...lines.map(cli.csvLine)];
  out.write(body.length ? `${body.join('\n')}\n` : '');
  return 0;
}
