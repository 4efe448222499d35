// Marker shapes and the variation / assurance icons in the style of NHS "Making Data Count", drawn as our own
// SVG. Each shape is one SVG path, so the chart (through Path2D) and the key draw exactly the same mark.
import type { Assurance, Effect, Variation } from "./chartModel";
import { assuranceWords, variationWords } from "./chartModel";

/** Colours on the dark background (#0b0f14): every one has at least 3:1 contrast as a graphic, 4.5:1 as text. */
export const colours: Record<Effect | "partial", string> = {
  common: "#b0bec5",
  concern: "#ffa726",
  improvement: "#4fc3f7",
  neutral: "#ce93d8",
  ghosted: "#90a4ae",
  partial: "#e8edf2",
};

export type Shape = "circle" | "square" | "diamond" | "triangle" | "cross";

/** Colour is never the only signal: each effect has its own shape too. */
export const shapes: Record<Effect | "partial", Shape> = {
  common: "circle",
  concern: "square",
  improvement: "diamond",
  neutral: "triangle",
  ghosted: "cross",
  partial: "circle",
};

/** The outline of a marker of radius r centred on (x, y), as SVG path data. */
export function shapePath(shape: Shape, x: number, y: number, r: number): string {
  const k = r * 1.35;
  switch (shape) {
    case "square": return `M${x - r} ${y - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
    case "diamond": return `M${x} ${y - k}L${x + k} ${y}L${x} ${y + k}L${x - k} ${y}Z`;
    case "triangle": return `M${x} ${y - k}L${x + k} ${y + r}L${x - k} ${y + r}Z`;
    case "cross": return `M${x - r} ${y - r}L${x + r} ${y + r}M${x + r} ${y - r}L${x - r} ${y + r}`;
    default: return `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
  }
}

const svgNs = "http://www.w3.org/2000/svg";

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** An icon with an accessible name (role img, aria-label and a title for the tooltip). */
function icon(name: string, size: number, children: SVGElement[]): SVGElement {
  const root = svg("svg", { viewBox: "0 0 48 48", width: size, height: size, role: "img", "aria-label": name });
  const title = svg("title", {});
  title.textContent = name;
  root.append(title, ...children);
  return root;
}

function letter(text: string, colour: string): SVGElement {
  const element = svg("text", { x: 24, y: 21, "text-anchor": "middle", "font-size": 15, "font-weight": 700, "font-family": "system-ui, sans-serif", fill: colour });
  element.textContent = text;
  return element;
}

/** A key mark for the legend: the chart's marker shape in its colour. */
export function keyMark(effect: Effect | "partial", size = 18): SVGElement {
  const root = svg("svg", { viewBox: "0 0 20 20", width: size, height: size, "aria-hidden": "true" });
  const hollow = effect === "partial" || effect === "ghosted";
  root.append(svg("path", {
    d: shapePath(shapes[effect], 10, 10, 6),
    fill: hollow ? "none" : colours[effect],
    stroke: colours[effect],
    "stroke-width": 2,
  }));
  return root;
}

// Variation: a ring in the effect's colour around a small run of dots; a special cause says H(igh) or L(ow)
// and lifts or drops its last dots, common cause keeps them level.
export function variationIcon(variation: Variation | null, size = 56): SVGElement {
  if (variation === null) {
    return icon("Variation: no points yet", size, [svg("circle", { cx: 24, cy: 24, r: 21, fill: "none", stroke: colours.common, "stroke-width": 2, "stroke-dasharray": "4 3" })]);
  }
  const [effect, side]: [Effect, "high" | "low" | null] =
    variation === "common-cause" ? ["common", null] : variation.split("-") as [Effect, "high" | "low"];
  const colour = colours[effect];
  const children = [svg("circle", { cx: 24, cy: 24, r: 21, fill: "#0b0f14", stroke: colour, "stroke-width": 3 })];
  const ys = side === "high" ? [34, 33, 35, 28, 26] : side === "low" ? [28, 29, 27, 34, 36] : [31, 29, 32, 30, 31];
  ys.forEach((y, i) => children.push(svg("circle", { cx: 12 + i * 6, cy: y, r: 2.4, fill: side !== null && i >= 3 ? colour : colours.common })));
  if (side !== null) children.push(letter(side === "high" ? "H" : "L", colour));
  return icon(`Variation: ${variationWords[variation]}`, size, children);
}

// Assurance: a ring with P (pass), F (fail) or ? (hit and miss) over a dashed target line.
export function assuranceIcon(assurance: Assurance | null, hasTarget: boolean, size = 56): SVGElement {
  if (assurance === null) {
    const why = hasTarget ? "not enough points for limits" : "no target for this measure";
    return icon(`Assurance: ${why}`, size, [svg("circle", { cx: 24, cy: 24, r: 21, fill: "none", stroke: colours.common, "stroke-width": 2, "stroke-dasharray": "4 3" })]);
  }
  const colour = assurance === "pass" ? colours.improvement : assurance === "fail" ? colours.concern : colours.common;
  return icon(`Assurance: ${assuranceWords[assurance]}`, size, [
    svg("circle", { cx: 24, cy: 24, r: 21, fill: "#0b0f14", stroke: colour, "stroke-width": 3 }),
    letter(assurance === "pass" ? "P" : assurance === "fail" ? "F" : "?", colour),
    svg("path", { d: "M10 31H38", stroke: "#e57373", "stroke-width": 2.5, "stroke-dasharray": "4 3" }),
  ]);
}

/** A key sample of one of the chart's lines. */
export function keyLine(stroke: string, dash: readonly number[] | null, width = 2): SVGElement {
  const root = svg("svg", { viewBox: "0 0 28 12", width: 28, height: 12, "aria-hidden": "true" });
  const attributes: Record<string, string | number> = { d: "M1 6H27", stroke, "stroke-width": width };
  if (dash) attributes["stroke-dasharray"] = dash.join(" ");
  root.append(svg("path", attributes));
  return root;
}
