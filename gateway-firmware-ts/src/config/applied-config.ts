import { join } from 'node:path';
import { DeviceConfigSchema } from '@xaso/device-profiles/contract';
import { DurableJsonFile } from '../core/durable-json.js';

/** The last accepted remote config, kept in the data dir so it survives a restart without the broker. */
export class AppliedConfigFile extends DurableJsonFile<typeof DeviceConfigSchema> {
  constructor(dataDir: string) {
    super(join(dataDir, 'remote-config.json'), DeviceConfigSchema, 'remote config');
  }
}
