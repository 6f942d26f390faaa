/** A small DOM builder, so the pages stay plain TypeScript without a framework. */

/** Properties set on the new element; `dataset` entries become data-* attributes. */
export type ElementProps<K extends keyof HTMLElementTagNameMap> = Partial<Omit<HTMLElementTagNameMap[K], 'dataset' | 'style'>> & {
  dataset?: Record<string, string>;
  style?: Partial<CSSStyleDeclaration>;
};

/** Creates an element with properties and children (strings become text nodes). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps<K> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  const { dataset, style, ...rest } = props;
  Object.assign(el, rest);
  if (dataset) Object.assign(el.dataset, dataset);
  if (style) Object.assign(el.style, style);
  el.append(...children);
  return el;
}
