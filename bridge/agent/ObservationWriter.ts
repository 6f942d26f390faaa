import { observationSize, type BehaviorSpec } from '../spec/BehaviorSpec.js';

/**
 * Where an agent writes its observations, by name. Each named observation must be filled to
 * exactly its declared size with finite numbers; mistakes are reported with the agent's behavior
 * and the observation's name, at the call that made them.
 */
export class ObservationWriter {
  /** One buffer per observation of the spec, in spec order. */
  readonly buffers: Float32Array[];
  private readonly fill: number[];
  private readonly index = new Map<string, number>();

  constructor(private readonly spec: BehaviorSpec) {
    this.buffers = spec.observations.map((o) => new Float32Array(observationSize(o)));
    this.fill = spec.observations.map(() => 0);
    spec.observations.forEach((o, i) => this.index.set(o.name, i));
  }

  /** Forgets what was written, before the next collection. */
  reset(): void {
    this.fill.fill(0);
  }

  /** Appends values (a number or a list) to the named observation. */
  add(name: string, values: number | ArrayLike<number>): void {
    const i = this.index.get(name);
    if (i === undefined) {
      const known = this.spec.observations.map((o) => o.name).join(', ');
      throw new Error(`${this.spec.name}: no observation named '${name}'; the behavior spec declares: ${known}`);
    }
    const buf = this.buffers[i]!;
    const count = typeof values === 'number' ? 1 : values.length;
    const at = this.fill[i]!;
    if (at + count > buf.length) {
      throw new Error(
        `${this.spec.name}: observation '${name}' holds ${buf.length} values but ${at + count} were written; ` +
          `fix the shape in the behavior spec or write fewer values`,
      );
    }
    if (typeof values === 'number') {
      this.put(name, buf, at, values);
    } else {
      for (let k = 0; k < count; k++) this.put(name, buf, at + k, values[k]!);
    }
    this.fill[i] = at + count;
  }

  /** Throws unless every observation was filled completely. */
  checkComplete(): void {
    this.spec.observations.forEach((o, i) => {
      const size = this.buffers[i]!.length;
      if (this.fill[i] !== size) {
        throw new Error(
          `${this.spec.name}: observation '${o.name}' expects ${size} values but ${this.fill[i]} were written in collectObservations`,
        );
      }
    });
  }

  private put(name: string, buf: Float32Array, at: number, v: number): void {
    if (!Number.isFinite(v)) {
      throw new Error(`${this.spec.name}: observation '${name}'[${at}] is ${v}; observations must be finite numbers`);
    }
    buf[at] = v;
  }
}
