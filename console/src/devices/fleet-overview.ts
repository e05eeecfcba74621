import type { AreaDirectory, SessionUser } from '../app/env.js';
import type { Playback } from '../live/playback-board.js';
import { AreaIndex } from './area-index.js';
import type { CatalogueEntry, FleetCatalogue } from './fleet-catalogue.js';
import type { Presence, PresenceBoard } from './presence-board.js';
import { type Placed, visibilityFor } from './visibility.js';

/** What cluster playback the console has heard (the live module's PlaybackBoard). */
export interface PlaybackLookup {
  get(deviceId: string): Playback | undefined;
}

export interface FleetOverviewDeps {
  catalogue: FleetCatalogue;
  areas: Pick<AreaDirectory, 'list'>;
  presence: Pick<PresenceBoard, 'get' | 'all'>;
  playback?: PlaybackLookup | undefined;
}

/** One read of the whole fleet for one request: devices, the area tree, and presence when asked for. */
export interface FleetRead {
  entries: CatalogueEntry[];
  areas: AreaIndex;
  /** Every device's presence, read in bulk on first use. */
  presence(): Map<string, Presence>;
  playback(id: string): Playback | undefined;
  /** Whether the user may see a device, by the same rule as GET /devices/{id}. */
  visibleTo(user: SessionUser): (device: Placed) => boolean;
}

/** Whole-fleet reads for the overview (list, summary, live snapshot) at a few queries each. */
export class FleetOverview {
  /** The last read's devices and areas, reused until anything is written to the registry file. */
  private cached: { version: string; entries: CatalogueEntry[]; areas: AreaIndex } | undefined;

  constructor(private readonly deps: FleetOverviewDeps) {}

  /** Attached by the live module, which follows playback events. */
  set playback(lookup: PlaybackLookup | undefined) {
    this.deps.playback = lookup;
  }

  read(): FleetRead {
    const version = this.deps.catalogue.version();
    if (this.cached?.version !== version)
      this.cached = {
        version,
        entries: this.deps.catalogue.all(),
        areas: new AreaIndex(this.deps.areas.list()),
      };
    const { entries, areas } = this.cached;
    let presence: Map<string, Presence> | undefined;
    const playback = this.deps.playback;
    return {
      entries,
      areas,
      presence: () => {
        presence ??= this.deps.presence.all();
        return presence;
      },
      playback: (id) => playback?.get(id),
      visibleTo: (user) => visibilityFor(areas, user),
    };
  }
}
