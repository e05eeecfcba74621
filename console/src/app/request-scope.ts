import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request facts the audit log needs without every module passing them along. */
export interface RequestScope {
  requestId: string;
  address: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
