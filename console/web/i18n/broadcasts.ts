/** Broadcast calendar, schedule editor, approvals, play now and the emergency flow. Vietnamese first; `enBroadcasts` must have exactly these keys. */
export const viBroadcasts = {} as const;

export const enBroadcasts: Record<keyof typeof viBroadcasts, string> = {};
