/**
 * Resolves on the first SIGINT/SIGTERM. Ctrl-C reaches a process both from the terminal and relayed by
 * launchers (npm, tsx), so repeats within `graceMs` are ignored; a later one means "stop waiting" and exits 1.
 */
export function shutdownSignal(graceMs = 1500): Promise<NodeJS.Signals> {
  let first: number | undefined;
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === undefined) {
        first = Date.now();
        resolve(signal);
      } else if (Date.now() - first > graceMs) {
        console.error(`${signal} again: exiting without waiting for a clean stop`);
        process.exit(1);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
