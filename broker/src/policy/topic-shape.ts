/** Well above the contract's longest topic (an alarm or device topic with a 64-character id). */
export const MAX_TOPIC_BYTES = 256;
export const MAX_TOPIC_LEVELS = 8;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Structural checks every topic or filter must pass before any rule is consulted: non-empty,
 * bounded, well-formed UTF-8 (a decoded invalid sequence shows up as U+FFFD or a lone surrogate),
 * no NUL, no empty level and no "$" system namespace.
 */
export function isSaneTopic(topic: string): boolean {
  if (topic.length === 0 || Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) return false;
  if (LONE_SURROGATE.test(topic) || topic.includes('\u0000') || topic.includes('\uFFFD')) return false;
  if (topic.startsWith('$')) return false;
  const levels = topic.split('/');
  return levels.length <= MAX_TOPIC_LEVELS && !levels.includes('');
}

export function hasWildcard(topic: string): boolean {
  return topic.includes('+') || topic.includes('#');
}

/** MQTT's filter syntax: "+" fills a whole level, "#" only a whole last level. */
export function isValidFilter(filter: string): boolean {
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    if (level.includes('+')) return level === '+';
    return true;
  });
}

/**
 * True when every topic `narrow` can match is also matched by `broad`, so a service allowed
 * `broad` may subscribe to `narrow` (one device's telemetry, say) as well.
 */
export function filterCovers(
  broad: string,
  narrow: string,
  matches: (filter: string, topic: string) => boolean,
): boolean {
  if (!matches(broad, narrow)) return false;
  const n = narrow.split('/');
  if (n.at(-1) !== '#') return true;
  const hashAt = broad.split('/').indexOf('#');
  return hashAt !== -1 && hashAt <= n.length - 1;
}
