/** One node of a timer tree as ML-Agents writes it to run_logs/timers.json (seconds). */
export interface TimerTreeNode {
  total: number;
  count: number;
  /** total minus the children's totals: time spent in this block itself. */
  self: number;
  children?: Record<string, TimerTreeNode>;
}

/** The whole tree: the root's total is the wall time since the timer was created. */
export interface TimerTree extends TimerTreeNode {
  name: 'root';
  metadata: Record<string, string>;
}

class TimerNode {
  total = 0;
  count = 0;
  readonly children = new Map<string, TimerNode>();

  child(name: string): TimerNode {
    let node = this.children.get(name);
    if (!node) this.children.set(name, (node = new TimerNode()));
    return node;
  }
}

/**
 * ML-Agents' hierarchical timers (mlagents_envs.timers): wall time and call count per named
 * block, nested as the blocks are, for run_logs/timers.json. Blocks are synchronous; time outside
 * every block (waiting for the games, I/O) is the root's own time.
 */
export class HierarchicalTimer {
  private readonly root = new TimerNode();
  private readonly stack: TimerNode[] = [this.root];
  private readonly startedAt: number;
  private readonly startedAtEpoch = Date.now();

  /** `now` gives milliseconds (performance.now by default; tests pass a fake clock). */
  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
  }

  /** Runs `fn` as block `name` inside the block that is running now (or at the top). */
  time<T>(name: string, fn: () => T): T {
    const node = this.stack[this.stack.length - 1]!.child(name);
    this.stack.push(node);
    const t0 = this.now();
    try {
      return fn();
    } finally {
      node.total += (this.now() - t0) / 1000;
      node.count++;
      this.stack.pop();
    }
  }

  /** Adds a block that was measured elsewhere (e.g. an await) inside the block that is running now. */
  record(name: string, seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`HierarchicalTimer.record: seconds must be a number >= 0, got ${seconds}`);
    const node = this.stack[this.stack.length - 1]!.child(name);
    node.total += seconds;
    node.count++;
  }

  /** The tree so far, in ML-Agents' timers.json layout. */
  tree(metadata: Record<string, string> = {}): TimerTree {
    const total = (this.now() - this.startedAt) / 1000;
    return {
      name: 'root',
      metadata: {
        timer_format_version: '0.1.0',
        start_time_seconds: String(Math.floor(this.startedAtEpoch / 1000)),
        end_time_seconds: String(Math.floor(Date.now() / 1000)),
        ...metadata,
      },
      ...describe({ total, count: 1, children: this.root.children }),
    };
  }

  /**
   * Seconds spent in blocks of each name, wherever they sit in the tree (a name nested under
   * another block of the same name counts once), and the root's own time under `(other)`.
   */
  totalsByName(): Map<string, number> {
    const tree = this.tree();
    const totals = new Map<string, number>([['(other)', tree.self]]);
    const visit = (children: Record<string, TimerTreeNode> | undefined, inside: ReadonlySet<string>) => {
      for (const [name, node] of Object.entries(children ?? {})) {
        if (!inside.has(name)) totals.set(name, (totals.get(name) ?? 0) + node.total);
        visit(node.children, new Set([...inside, name]));
      }
    };
    visit(tree.children, new Set());
    return totals;
  }
}

function describe(node: { total: number; count: number; children: Map<string, TimerNode> }): TimerTreeNode {
  const out: TimerTreeNode = { total: node.total, count: node.count, self: 0 };
  let childTotal = 0;
  if (node.children.size > 0) {
    out.children = {};
    for (const [name, child] of node.children) {
      out.children[name] = describe(child);
      childTotal += child.total;
    }
  }
  out.self = Math.max(0, node.total - childTotal);
  return out;
}
