import type { Body, Shape } from 'cannon-es';

/**
 * Tags for cannon-es bodies and shapes, the way Unity tags GameObjects: ray sensors report which
 * of their `detectableTags` a ray hit. cannon-es has no tag field, so the registry keeps them in a
 * WeakMap (removed bodies are collected with their tags). A shape's own tag wins over its body's,
 * which lets one compound static body hold walls and goals with different tags.
 */
export class TagRegistry {
  private readonly tags = new WeakMap<Body | Shape, string>();

  /** Tags a body (all its shapes) or a single shape; returns the target for chaining. */
  set<T extends Body | Shape>(target: T, tag: string): T {
    if (typeof tag !== 'string' || tag.length === 0) {
      throw new Error(`TagRegistry.set: tag must be a non-empty string, got ${JSON.stringify(tag)}`);
    }
    this.tags.set(target, tag);
    return target;
  }

  /** Removes the tag of a body or shape. */
  delete(target: Body | Shape): void {
    this.tags.delete(target);
  }

  /** The tag of a body or shape itself, if any. */
  get(target: Body | Shape): string | undefined {
    return this.tags.get(target);
  }

  /** The tag a ray hit reports: the shape's own tag, else its body's. */
  tagOf(body: Body | null, shape: Shape | null): string | undefined {
    return (shape && this.tags.get(shape)) ?? (body ? this.tags.get(body) : undefined);
  }
}

/** The registry sensors use when none is given; one process-wide map is enough because keys are the bodies themselves. */
export const defaultTagRegistry = new TagRegistry();
