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
  /** Reached from another page (a detail page), not listed in the navigation. */
  hidden?: boolean;
}

/** Every page of the console, in navigation order: a user lands on the first one they may open. */
export const ROUTES: readonly Route[] = [
  {
    path: 'broadcasts',
    label: 'nav.broadcasts',
    roles: ['operator', 'approver'],
    load: () => import('./pages/broadcasts/broadcasts-page.js'),
    view: (user) => html`<xs-broadcasts-page .user=${user}></xs-broadcasts-page>`,
  },
  {
    path: 'emergency',
    label: 'nav.emergency',
    roles: ['operator', 'approver'],
    load: () => import('./pages/emergency/emergency-page.js'),
    view: () => html`<xs-emergency-page></xs-emergency-page>`,
  },
  {
    path: 'audio',
    label: 'nav.audio',
    roles: ['operator', 'approver'],
    load: () => import('./pages/audio/audio-page.js'),
    view: (user) => html`<xs-audio-page .user=${user}></xs-audio-page>`,
  },
  {
    path: 'environment',
    label: 'nav.environment',
    roles: ['environment'],
    load: () => import('./pages/environment/environment-page.js'),
    view: (user) => html`<xs-environment-page .user=${user}></xs-environment-page>`,
  },
  {
    path: 'devices',
    label: 'nav.devices',
    roles: ['technician'],
    load: () => import('./pages/devices-page.js'),
    view: (user) => html`<xs-devices-page .user=${user}></xs-devices-page>`,
  },
  {
    path: 'map',
    label: 'nav.map',
    roles: ['operator', 'approver', 'environment', 'technician'],
    load: () => import('./pages/map/map-page.js'),
    view: (user) => html`<xs-map-page .user=${user}></xs-map-page>`,
  },
  {
    path: 'device',
    label: 'map.device.nav',
    roles: ['operator', 'approver', 'environment', 'technician'],
    hidden: true,
    load: () => import('./pages/device/device-page.js'),
    view: (user) => html`<xs-device-page .user=${user}></xs-device-page>`,
  },
  {
    path: 'reports',
    label: 'nav.reports',
    roles: ['operator', 'approver', 'environment'],
    load: () => import('./pages/reports/reports-page.js'),
    view: (user) => html`<xs-reports-page .user=${user}></xs-reports-page>`,
  },
];

export function mayOpen(user: UserView, route: Route): boolean {
  return user.roles.includes('admin') || user.roles.some((r) => route.roles.includes(r));
}

/** Pages in the navigation: built and allowed. */
export function navigationFor(user: UserView): Route[] {
  return ROUTES.filter((r) => r.load !== undefined && r.hidden !== true && mayOpen(user, r));
}

/** The path in `#/path`, without the leading `#/`. */
export function currentPath(hash: string = location.hash): string {
  return hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}
