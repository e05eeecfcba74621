// `npm run bench -- <name> [options]`: runs one benchmark, which prints one JSON line.
const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  fanout: () => import('./broker/fanout.js'),
  telemetry: () => import('./broker/telemetry.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  await (await load()).run(rest);
  process.exit(0);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
