// Tiny DOM helpers so view modules stay short and never build HTML from strings.
type Child = Node | string | null | undefined | false;

export interface ElProps {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElProps, ...children: Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, props?: ElProps, ...children: Child[]): HTMLElement;
export function el(tag: string, props: ElProps = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title) e.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

export function section(title: string, cls: string, ...children: Child[]): HTMLElement {
  return el('section', { class: `st-card ${cls}` }, el('h2', { text: title }), ...children);
}

export const fmt = {
  pct: (x: number) => `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%`,
  p3: (x: number) => x.toFixed(3),
  p2: (x: number) => x.toFixed(2),
};
