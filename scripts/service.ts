/** One row of the "what listens where" table. */
export interface Endpoint {
  service: string;
  what: string;
  where: string;
  detail?: string;
}

/** A part of the stack that `npm start` runs: broker, collector, console, history, simulated stations. */
export interface Service {
  name: string;
  /** Why the service cannot run on this machine (and how to fix it), or undefined when it can. */
  unavailable?(): string | undefined;
  start(): Promise<Endpoint[]>;
  stop(): Promise<void>;
}

export interface StackStatus {
  endpoints: Endpoint[];
  skipped: { service: string; reason: string }[];
}

/** Starts services in order; on a failure stops those already started and rethrows. */
export async function startServices(
  services: readonly Service[],
  running: Service[],
  onStarting: (service: Service) => void = () => {},
): Promise<StackStatus> {
  const status: StackStatus = { endpoints: [], skipped: [] };
  for (const service of services) {
    const reason = service.unavailable?.();
    if (reason) {
      status.skipped.push({ service: service.name, reason });
      continue;
    }
    try {
      onStarting(service);
      status.endpoints.push(...(await service.start()));
      running.push(service);
    } catch (err) {
      await stopServices(running);
      throw new Error(`${service.name} failed to start: ${(err as Error).message}`);
    }
  }
  return status;
}

/** Stops in reverse start order; one failing stop does not keep the others running. */
export async function stopServices(running: Service[]): Promise<string[]> {
  const errors: string[] = [];
  while (running.length > 0) {
    const service = running.pop();
    if (!service) break;
    try {
      await service.stop();
    } catch (err) {
      errors.push(`${service.name}: ${(err as Error).message}`);
    }
  }
  return errors;
}

export function formatTable(endpoints: readonly Endpoint[]): string {
  const header: Endpoint = { service: 'SERVICE', what: 'WHAT', where: 'WHERE', detail: 'DETAIL' };
  const rows = [header, ...endpoints];
  const width = (key: keyof Endpoint) => Math.max(...rows.map((r) => (r[key] ?? '').length));
  const widths = { service: width('service'), what: width('what'), where: width('where') };
  return rows
    .map((r) =>
      `  ${r.service.padEnd(widths.service)}  ${r.what.padEnd(widths.what)}  ${r.where.padEnd(widths.where)}  ${r.detail ?? ''}`.trimEnd(),
    )
    .join('\n');
}
