import type { SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import type { AudioRecord } from './item-schema.js';
import type { AudioLibrary } from './library.js';
import { isProvinceLevel } from './scope.js';
import type { AudioScope } from './scope.js';

export type AudioView = AudioRecord & { ownerAreaName: string | null; canManage: boolean };

/** Library items as one user may reach them: hidden ones answer 404, read-only ones 403 on change. */
export class ScopedItems {
  constructor(private readonly library: AudioLibrary) {}

  view(user: SessionUser, item: AudioRecord, scope: AudioScope = this.library.scope): AudioView {
    return { ...item, ownerAreaName: scope.areaName(item.ownerAreaId), canManage: scope.manages(user, item) };
  }

  /** The item when the user may see it; another area's own item is as unknown as a missing one. */
  visible(user: SessionUser, id: string): AudioRecord {
    const item = this.library.record(id);
    if (item === undefined || !this.library.scope.sees(user, item))
      throw new HttpError(404, 'not-found', `no audio item ${id}`, 'id');
    return item;
  }

  /** The item when the user may change it; 404 when hidden, 403 saying who may when read-only. */
  managed(user: SessionUser, id: string): AudioRecord {
    const item = this.visible(user, id);
    if (this.library.scope.manages(user, item)) return item;
    const message = isProvinceLevel(item)
      ? 'id: province-level audio is changed by province staff only'
      : `id: this audio belongs to ${this.library.scope.areaName(item.ownerAreaId)}`;
    throw new HttpError(403, 'forbidden', message, 'id');
  }

  /**
   * Identical content is one item (its id is the content hash), so adding what another area already owns
   * finds that item: refuse without naming it rather than hand over someone else's recording.
   */
  refuseHidden(user: SessionUser, item: AudioRecord, field: 'file' | 'text'): void {
    if (this.library.scope.sees(user, item)) return;
    throw new HttpError(
      409,
      'exists-elsewhere',
      `${field}: the same audio is already in another area's library; ask province staff to share it`,
      field,
    );
  }
}
