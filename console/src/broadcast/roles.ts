import type { SessionUser } from '../app/env.js';

/** Approvers and admins decide on others' broadcasts; their own go out without waiting. */
export function isApprover(user: SessionUser): boolean {
  return user.roles.includes('admin') || user.roles.includes('approver');
}

/** How a user is named in records and the audit log. */
export function actorName(user: SessionUser): string {
  return user.username;
}
