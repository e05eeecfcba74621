/** The overview map, live device states and the device detail page. Vietnamese first; `enMap` must have exactly these keys. */
export const viMap = {} as const;

export const enMap: Record<keyof typeof viMap, string> = {};
