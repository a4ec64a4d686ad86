/** One scheduled expiry: `key` expires at `at` (epoch ms) unless it was rewritten since. */
export interface Expiry {
  at: number;
  key: string;
}

/**
 * A binary min-heap of expiries, so a bounded map can drop its expired entries in O(log n) each without
 * a timer per key and without scanning. Rewriting a key pushes a new node and leaves the old one behind:
 * callers tell stale nodes from current ones when they pop them, and call {@link ExpiryHeap.rebuild}
 * when stale nodes pile up.
 */
export class ExpiryHeap<T extends Expiry = Expiry> {
  private nodes: T[] = [];

  get size(): number {
    return this.nodes.length;
  }

  push(node: T): void {
    const nodes = this.nodes;
    nodes.push(node);
    let i = nodes.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (nodes[parent]!.at <= nodes[i]!.at) break;
      [nodes[parent], nodes[i]] = [nodes[i]!, nodes[parent]!];
      i = parent;
    }
  }

  /** The earliest expiry, without removing it. */
  peek(): T | undefined {
    return this.nodes[0];
  }

  pop(): T | undefined {
    const nodes = this.nodes;
    const top = nodes[0];
    const last = nodes.pop();
    if (top === undefined || nodes.length === 0) return top;
    nodes[0] = last!;
    siftDown(nodes, 0);
    return top;
  }

  /** Replaces the content with exactly these expiries (drops stale nodes), in O(n). */
  rebuild(entries: Iterable<T>): void {
    const nodes = [...entries];
    for (let i = (nodes.length >> 1) - 1; i >= 0; i--) siftDown(nodes, i);
    this.nodes = nodes;
  }
}

function siftDown<T extends Expiry>(nodes: T[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < nodes.length && nodes[left]!.at < nodes[smallest]!.at) smallest = left;
    if (right < nodes.length && nodes[right]!.at < nodes[smallest]!.at) smallest = right;
    if (smallest === i) return;
    [nodes[smallest], nodes[i]] = [nodes[i]!, nodes[smallest]!];
    i = smallest;
  }
}
