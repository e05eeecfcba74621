import type { TemplateResult } from 'lit';
import { html } from 'lit';
import type { UserView } from './api.js';
import type { MessageKey } from './i18n/vi.js';

type Role = UserView['roles'][number];

export interface Route {
  path: string;
  label: MessageKey;
  /** Who may open it (admins always may). */
  roles: readonly Role[];
  /** Loads the page's code on first visit (its own chunk); absent for pages still to come. */
  load?: () => Promise<unknown>;
  view?: (user: UserView) => TemplateResult;
}

/** Every page of the console. Broadcast, emergency, environment, map and report pages come later. */
export const ROUTES: readonly Route[] = [
  {
    path: 'audio',
    label: 'nav.audio',
    roles: ['operator', 'approver'],
    load: () => import('./pages/audio-page.js'),
    view: () => html`<xs-audio-page></xs-audio-page>`,
  },
  {
    path: 'devices',
    label: 'nav.devices',
    roles: ['technician'],
    load: () => import('./pages/devices-page.js'),
    view: (user) => html`<xs-devices-page .user=${user}></xs-devices-page>`,
  },
  { path: 'broadcasts', label: 'nav.broadcasts', roles: ['operator', 'approver'] },
  { path: 'emergency', label: 'nav.emergency', roles: ['operator'] },
  { path: 'environment', label: 'nav.environment', roles: ['environment'] },
  { path: 'map', label: 'nav.map', roles: ['operator', 'approver', 'environment', 'technician'] },
  { path: 'reports', label: 'nav.reports', roles: ['operator', 'approver', 'environment'] },
];

export function mayOpen(user: UserView, route: Route): boolean {
  return user.roles.includes('admin') || user.roles.some((r) => route.roles.includes(r));
}

/** Pages in the navigation: built and allowed. */
export function navigationFor(user: UserView): Route[] {
  return ROUTES.filter((r) => r.load !== undefined && mayOpen(user, r));
}

/** The path in `#/path`, without the leading `#/`. */
export function currentPath(hash: string = location.hash): string {
  return hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}
