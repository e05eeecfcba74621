/** A configuration object as the layers build it, before the schema validates it. */
export type ConfigTree = { [key: string]: unknown };

/**
 * Sets `value` at `path`, creating sections on the way and replacing anything there that is not one:
 * how a file, then environment variables, then flags are layered, each later layer winning.
 */
export function assign(tree: ConfigTree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as ConfigTree;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}
