// Tiny DOM helper so page modules stay short and never build HTML from strings.
export type Child = Node | string | null | undefined | false;

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
