interface TopicNode {
  children: Map<string, TopicNode>;
  /** A retained message sits on the topic ending here. */
  held: boolean;
}

const node = (): TopicNode => ({ children: new Map(), held: false });

/**
 * The topics holding a retained message, as a tree of topic levels, so a SUBSCRIBE reads only the
 * retained messages its filter matches instead of scanning all of them. MQTT's rules: `+` is one level,
 * `#` is this level and everything below (`a/#` matches `a`), and a filter starting with a wildcard never
 * matches a topic starting with `$` [MQTT-4.7.2-1].
 */
export class RetainedIndex {
  private readonly root = node();
  private count = 0;

  add(topic: string): void {
    let at = this.root;
    for (const level of topic.split('/')) {
      let next = at.children.get(level);
      if (!next) {
        next = node();
        at.children.set(level, next);
      }
      at = next;
    }
    if (!at.held) this.count++;
    at.held = true;
  }

  delete(topic: string): void {
    const path: [TopicNode, string][] = [];
    let at = this.root;
    for (const level of topic.split('/')) {
      const next = at.children.get(level);
      if (!next) return;
      path.push([at, level]);
      at = next;
    }
    if (!at.held) return;
    at.held = false;
    this.count--;
    // Prune emptied branches so a churn of one-off topics does not grow the tree for ever.
    for (let i = path.length - 1; i >= 0; i--) {
      const entry = path[i];
      if (!entry) break;
      const [parent, level] = entry;
      const child = parent.children.get(level);
      if (!child || child.held || child.children.size > 0) break;
      parent.children.delete(level);
    }
  }

  has(topic: string): boolean {
    let at: TopicNode | undefined = this.root;
    for (const level of topic.split('/')) {
      at = at.children.get(level);
      if (!at) return false;
    }
    return at.held;
  }

  /** The retained topics a subscription filter matches, sorted. */
  match(filter: string): string[] {
    const found: string[] = [];
    const levels = filter.split('/');
    const walk = (at: TopicNode, depth: number, prefix: string[]): void => {
      const level = levels[depth];
      if (level === undefined) {
        if (at.held) found.push(prefix.join('/'));
        return;
      }
      if (level === '#') {
        if (at.held && depth > 0) found.push(prefix.join('/'));
        this.collect(at, prefix, depth === 0, found);
        return;
      }
      if (level === '+') {
        for (const [name, child] of at.children) {
          if (depth === 0 && name.startsWith('$')) continue;
          walk(child, depth + 1, [...prefix, name]);
        }
        return;
      }
      const child = at.children.get(level);
      if (child) walk(child, depth + 1, [...prefix, level]);
    };
    walk(this.root, 0, []);
    return found.sort();
  }

  private collect(at: TopicNode, prefix: string[], skipDollar: boolean, found: string[]): void {
    for (const [name, child] of at.children) {
      if (skipDollar && name.startsWith('$')) continue;
      const path = [...prefix, name];
      if (child.held) found.push(path.join('/'));
      this.collect(child, path, false, found);
    }
  }

  get size(): number {
    return this.count;
  }
}
