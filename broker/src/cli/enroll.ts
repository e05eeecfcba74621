import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { mosquittoAcl } from '../policy/mosquitto-acl.js';
import { RegistryError } from '../registry/errors.js';
import { SchemaError } from '../registry/migrations.js';
import { Registry, serviceUsername } from '../registry/registry.js';
import { USAGE, UsageError, parseEnrollArgs } from './enroll-args.js';
import type { EnrollCommand } from './enroll-args.js';
import { ensureSigningKey } from './signing-key.js';
import { vietnamTime } from './vietnam-time.js';

function run(registry: Registry, command: EnrollCommand, dataDir: string, out: (line: string) => void): void {
  switch (command.kind) {
    case 'issue': {
      const existing = registry.getDevice(command.deviceId);
      if (!existing) {
        const role = command.role ?? 'speaker-cluster';
        registry.createDevice({ id: command.deviceId, role, groups: command.groups ?? [] });
        out(`Created device ${command.deviceId} (${role}).`);
      } else {
        if (command.role !== undefined && command.role !== existing.role) {
          throw new RegistryError(
            `device ${command.deviceId} is a ${existing.role}; its role cannot change to ${command.role}`,
          );
        }
        if (existing.disabled)
          throw new RegistryError(
            `device ${command.deviceId} is disabled; run --enable ${command.deviceId} first`,
          );
        if (command.groups !== undefined) registry.setGroups(command.deviceId, command.groups);
      }
      const key = ensureSigningKey(registry, dataDir);
      if (key.created) out(`Created the console signing key ${key.privateKeyPath} (keep it secret).`);
      const { code, expiresAt } = registry.issueEnrollmentCode(command.deviceId, command.ttlMs);
      out(`Enrollment code for ${command.deviceId}: ${code}`);
      out(`Valid once, until ${vietnamTime(expiresAt)} (Asia/Ho_Chi_Minh).`);
      return;
    }
    case 'disable':
    case 'enable':
      registry.setDisabled(command.deviceId, command.kind === 'disable');
      out(`Device ${command.deviceId} ${command.kind}d.`);
      return;
    case 'rotate': {
      const { password } = registry.rotateSecret(command.deviceId);
      out(`New MQTT password for ${command.deviceId} (shown once): ${password}`);
      return;
    }
    case 'list': {
      const devices = registry.listDevices();
      if (devices.length === 0) out('No devices.');
      for (const d of devices) {
        const state = d.disabled ? 'disabled' : d.enrolledAt !== null ? 'enrolled' : 'not enrolled';
        out(`${d.id}\t${d.role}\t${state}\tgroups=${d.groups.join(',') || '-'}`);
      }
      return;
    }
    case 'service': {
      const { username, password } = registry.ensureService(command.role);
      out(`MQTT credentials for the ${command.role} (shown once): username ${username} password ${password}`);
      return;
    }
    case 'mosquitto-acl':
      writeFileSync(command.file, mosquittoAcl(registry.listDevices(), serviceUsername));
      out(`Wrote ${command.file}.`);
  }
}

/** Exit codes: 0 done, 1 refused (unknown device, bad state, database problem), 2 bad usage. */
export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let registry: Registry | undefined;
  try {
    const { command, dataDir } = parseEnrollArgs(argv);
    const logger = pino({ name: 'enroll', level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    registry = Registry.open(join(resolve(dataDir), 'registry.sqlite'), { logger });
    run(registry, command, resolve(dataDir), (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`enroll: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof RegistryError || err instanceof SchemaError) {
      process.stderr.write(`enroll: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    registry?.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
