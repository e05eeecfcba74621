import type { Registry } from '@xaso/broker';
import type { Logger } from 'pino';
import type { AuditLog } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import type { SqliteAreaDirectory } from './area-directory.js';
import type { ConfigPush } from './config-push.js';

/**
 * Puts devices in areas. A loudspeaker cluster listens on the group topic of its area and of every area
 * above it, so one publish on a commune's group reaches every cluster in the commune.
 */
export class Placement {
  constructor(
    private readonly registry: Registry,
    private readonly areas: SqliteAreaDirectory,
    private readonly push: ConfigPush,
    private readonly audit: AuditLog,
    private readonly log: Logger,
  ) {}

  groupsFor(areaId: string | null): string[] {
    return areaId === null ? [] : this.areas.ancestry(areaId).map((a) => a.id);
  }

  async place(
    deviceId: string,
    areaId: string | null,
    actor: string,
  ): Promise<{ groups: string[]; configVersion?: number }> {
    const device = this.registry.getDevice(deviceId);
    if (!device) throw new HttpError(404, 'not-found', `no device ${deviceId}`, 'id');
    if (areaId !== null && !this.areas.get(areaId))
      throw new HttpError(400, 'unknown-area', `no area ${areaId}`, 'areaId');
    const groups = device.role === 'speaker-cluster' ? this.groupsFor(areaId) : [];
    this.registry.placeInArea(deviceId, areaId, groups);
    const configVersion =
      device.role === 'speaker-cluster' ? await this.push.pushGroups(deviceId, groups, actor) : undefined;
    this.audit.record({
      actor,
      action: 'device.place',
      target: deviceId,
      detail: { areaId, groups, configVersion },
    });
    return configVersion === undefined ? { groups } : { groups, configVersion };
  }

  /** After an area moved in the tree, every cluster below it gets its new ancestry. */
  async replaceUnder(areaId: string, actor: string): Promise<number> {
    let moved = 0;
    for (const area of this.areas.subtree(areaId)) {
      const groups = this.groupsFor(area.id);
      for (const deviceId of this.areas.clustersIn(area.id)) {
        const device = this.registry.getDevice(deviceId);
        if (!device || device.areaId !== area.id) continue;
        this.registry.placeInArea(deviceId, area.id, groups);
        await this.push.pushGroups(deviceId, groups, actor);
        moved++;
      }
    }
    if (moved > 0) this.log.info({ areaId, clusters: moved }, 'clusters re-grouped after an area move');
    return moved;
  }
}
