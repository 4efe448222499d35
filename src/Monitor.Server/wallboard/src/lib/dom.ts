// Small helpers to build elements without HTML strings: text from the server never becomes markup.

type Attributes = Record<string, string | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Attributes = {}, ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (name === "class") element.className = value;
    else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A status in shape and word as well as colour (WCAG 1.4.1): the word is what a screen reader says. */
export function badge(level: "ok" | "warning" | "breach" | "info", word: string): HTMLElement {
  const shape = { ok: "●", warning: "▲", breach: "■", info: "◆" }[level];
  return el("span", { class: `badge ${level}`, "data-level": level }, el("span", { class: "shape", "aria-hidden": "true" }, shape), ` ${word}`);
}
