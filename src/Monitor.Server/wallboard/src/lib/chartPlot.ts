// The control chart drawn by uPlot: the values, each phase's mean, limits and 2σ lines, the target, and the
// points as markers whose shape and colour say common cause, concern, improvement or neither. Marks uPlot has
// no notion of (re-baselines, the partial label) are HTML laid over the plot at uPlot's own coordinates.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { colours, shapePath, shapes } from "./chartIcons";
import type { ChartResponse, Effect } from "./chartModel";
import { drawnLimit, effectOf, formatValue, meanMove } from "./chartModel";

type Row = (number | null)[];

/** The x positions and every series, in the order of {@link seriesOptions}. */
export interface PlotData {
  x: number[];
  /** For each x slot, the period label shown on the axis (empty for a gap between phases). */
  labels: string[];
  /** For each x slot, the index of the point (or -1 for a phase gap, `openIndex` for the open period). */
  pointAt: number[];
  openIndex: number;
  rows: Row[];
  effects: Effect[];
}

const markerEffects: Effect[] = ["common", "concern", "improvement", "neutral", "ghosted"];

// A re-baseline leaves an empty x slot half-way between the phases, so that the mean and limits of the old
// phase end and the new ones start there: a step, not a slope.
export function plotData(chart: ChartResponse): PlotData {
  const x: number[] = [], labels: string[] = [], pointAt: number[] = [];
  const value: Row = [], cl: Row = [], ucl: Row = [], lcl: Row = [], up2: Row = [], lo2: Row = [], target: Row = [], partial: Row = [];
  const markers: Row[] = markerEffects.map(() => []);
  const effects: Effect[] = [];
  const openIndex = chart.points.length === 0 ? 0 : chart.points[chart.points.length - 1].index + 1;
  const push = (at: number, label: string, point: number, v: number | null, limits: (number | null)[], effect: Effect | null, open: number | null) => {
    x.push(at); labels.push(label); pointAt.push(point);
    value.push(v);
    [cl, ucl, lcl, up2, lo2].forEach((row, i) => row.push(limits[i]));
    target.push(chart.target);
    markerEffects.forEach((e, i) => markers[i].push(e === effect ? v : null));
    partial.push(open);
  };

  let phase = chart.points[0]?.phase;
  for (const p of chart.points) {
    if (p.phase !== phase) {
      push(p.index - 0.5, "", -1, null, [null, null, null, null, null], null, null);
      phase = p.phase;
    }
    const effect = effectOf(p);
    effects.push(effect);
    const isLast = p.index === openIndex - 1;
    push(p.index, p.period, p.index, p.value, [p.cl, p.ucl, drawnLimit(p.lcl), p.upper2s, drawnLimit(p.lower2s)], effect,
      // The dashed line to the open period starts at the last closed point.
      isLast && chart.open.value !== null ? p.value : null);
  }

  // The open period carries the last phase's lines forward so its value so far can be read against them.
  const last = chart.points[chart.points.length - 1];
  const carried = last ? [last.cl, last.ucl, drawnLimit(last.lcl), last.upper2s, drawnLimit(last.lower2s)] : [null, null, null, null, null];
  push(openIndex, chart.open.period, openIndex, null, carried, null, chart.open.value);

  return { x, labels, pointAt, openIndex, rows: [value, cl, ucl, lcl, up2, lo2, target, ...markers, partial], effects };
}

/** How many marks of each kind uPlot was given to draw (read by the page's tests and its summary). */
export function countMarks(data: PlotData): Record<Effect | "partial", number> {
  const count = (row: Row) => row.filter(v => v !== null).length;
  const markerRows = data.rows.slice(7, 7 + markerEffects.length);
  const result = { partial: data.rows[data.rows.length - 1][data.x.length - 1] === null ? 0 : 1 } as Record<Effect | "partial", number>;
  markerEffects.forEach((e, i) => { result[e] = count(markerRows[i]); });
  return result;
}

// Markers in the chart's own shapes, built by uPlot's points hook so uPlot strokes and fills them.
function markerPaths(effect: Effect | "partial", radius: number): uPlot.Series.Points.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const path = new Path2D();
    const xs = u.data[0], ys = u.data[seriesIdx];
    const r = radius * uPlot.pxRatio;
    for (let i = idx0; i <= idx1; i++) {
      const y = ys[i];
      if (y === null || y === undefined) continue;
      path.addPath(new Path2D(shapePath(shapes[effect], u.valToPos(xs[i], "x", true), u.valToPos(y, "y", true), r)));
    }
    const hollow = effect === "partial" || effect === "ghosted";
    return { stroke: path, fill: hollow ? null : path };
  };
}

const noLine = () => null;

/** The chart's lines, shared with the page's key so the key shows exactly what is drawn. */
export const lineStyles = {
  value: { stroke: "#cfd8dc", width: 2, dash: null },
  mean: { stroke: "#e8edf2", width: 2, dash: null },
  limit: { stroke: "#90a4ae", width: 1.5, dash: [8, 5] },
  sigma2: { stroke: "#78909c", width: 1, dash: [2, 4] },
  target: { stroke: "#e57373", width: 2, dash: [12, 4, 2, 4] },
  partial: { stroke: colours.partial, width: 1.5, dash: [4, 4] },
} as const;

type LineStyle = (typeof lineStyles)[keyof typeof lineStyles];

function line(label: string, style: LineStyle): uPlot.Series {
  return { label, stroke: style.stroke, width: style.width, dash: style.dash ? [...style.dash] : undefined, spanGaps: false, points: { show: false } };
}

function markerSeries(label: string, effect: Effect | "partial", radius: number): uPlot.Series {
  return {
    label, stroke: colours[effect], paths: noLine,
    points: { show: true, space: 0, size: radius * 2, width: 2, stroke: colours[effect], fill: colours[effect], paths: markerPaths(effect, radius) },
  };
}

function seriesOptions(chart: ChartResponse): uPlot.Series[] {
  return [
    {},
    { ...line("Value", lineStyles.value), spanGaps: true },
    line("Mean", lineStyles.mean),
    line("Upper limit", lineStyles.limit),
    line("Lower limit", lineStyles.limit),
    line("Upper 2σ", lineStyles.sigma2),
    line("Lower 2σ", lineStyles.sigma2),
    { ...line("Target", lineStyles.target), show: chart.target !== null },
    markerSeries("Common cause", "common", 4),
    markerSeries("Concern", "concern", 6),
    markerSeries("Improvement", "improvement", 6),
    markerSeries("Neither", "neutral", 6),
    markerSeries("Excluded", "ghosted", 5),
    {
      ...line("Open period (partial)", lineStyles.partial), spanGaps: true,
      points: { show: true, space: 0, size: 14, width: 2, stroke: colours.partial, fill: "transparent", paths: markerPaths("partial", 7),
        // Only the open period's own point: the line's first point is the last closed one, already marked.
        filter: (u, seriesIdx) => [u.data[seriesIdx].length - 1] },
    },
  ];
}

function overlay(className: string, text: string, left: number, top: number | null): HTMLElement {
  const element = document.createElement("div");
  element.className = className;
  element.textContent = text;
  element.style.left = `${left}px`;
  if (top !== null) element.style.top = `${top}px`;
  return element;
}

// Re-baselines and the partial label, redrawn after every draw (a resize moves them with the plot).
function drawOverlays(u: uPlot, chart: ChartResponse, data: PlotData): void {
  const layer = u.over.querySelector<HTMLElement>(".chart-marks") ?? u.over.appendChild(Object.assign(document.createElement("div"), { className: "chart-marks" }));
  const marks: HTMLElement[] = [];
  chart.phases.forEach((phase, i) => {
    if (i === 0) return;
    const mark = overlay("phase-mark", meanMove(chart, phase, chart.phases[i - 1]), u.valToPos(phase.start - 0.5, "x"), null);
    mark.dataset.reason = phase.reason;
    mark.dataset.start = String(phase.start);
    marks.push(mark);
  });
  // The open period's column is marked whether or not it has a value yet (a share with nothing to divide).
  const left = u.valToPos(data.openIndex - 0.5, "x");
  const band = overlay("open-mark", "", left, null);
  band.style.width = `${Math.max(0, u.bbox.width / uPlot.pxRatio - left)}px`;
  const label = (text: string) => Object.assign(document.createElement("span"), { textContent: text });
  band.append(label(`${chart.open.period}: partial`), label(chart.open.value === null ? "no value yet" : `${formatValue(chart.open.value, chart)} so far`));
  marks.push(band);
  if (chart.target !== null) {
    marks.push(overlay("target-mark", `Target ${formatValue(chart.target, chart)}`, 0, u.valToPos(chart.target, "y")));
  }
  layer.replaceChildren(...marks);
}

/** Axis labels: every period would crowd a daily chart, so uPlot picks a step and only whole slots get a label. */
function axisValues(data: PlotData) {
  return (_: uPlot, splits: number[]) => splits.map(s => {
    const slot = data.x.indexOf(s);
    return slot >= 0 ? data.labels[slot] : "";
  });
}

export interface DrawnChart { plot: uPlot; data: PlotData; }

export function drawChart(target: HTMLElement, chart: ChartResponse, width: number, height: number, onHover: (slot: number | null) => void): DrawnChart {
  const data = plotData(chart);
  const axis = { stroke: "#c5d1dc", grid: { stroke: "#1c2530", width: 1 }, ticks: { stroke: "#2c3a48", width: 1 }, font: "14px system-ui, sans-serif" };
  const options: uPlot.Options = {
    width, height,
    legend: { show: false },
    cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] },
      y: { range: (_u, min, max) => {
        if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
        const pad = (max - min) * 0.08 || Math.abs(max) * 0.1 || 1; return [Math.max(0, min - pad), max + pad]; } },
    },
    axes: [
      { ...axis, values: axisValues(data), incrs: [1, 2, 3, 4, 6, 12, 13, 26, 52, 104], space: 70 },
      { ...axis, size: 70, values: (_u, splits) => splits.map(v => formatValue(v, chart)) },
    ],
    series: seriesOptions(chart),
    hooks: {
      draw: [u => drawOverlays(u, chart, data)],
      setCursor: [u => onHover(u.cursor.idx ?? null)],
    },
  };
  const plot = new uPlot(options, [data.x, ...data.rows] as uPlot.AlignedData, target);
  return { plot, data };
}
