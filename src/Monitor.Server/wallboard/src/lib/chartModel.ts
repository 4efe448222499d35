// The chart JSON of GET /api/charts (docs/api.md, docs/spc.md) and the words the page uses for it.

export type Signal =
  | "beyond-upper" | "beyond-lower" | "trend-up" | "trend-down"
  | "two-of-three-up" | "two-of-three-down" | "run-above" | "run-below";
export type Direction = "increase" | "decrease" | "neutral";
export type Variation =
  | "common-cause" | "improvement-high" | "improvement-low" | "concern-high" | "concern-low" | "neutral-high" | "neutral-low";
export type Assurance = "pass" | "fail" | "hit-or-miss";
/** How a point is drawn: the effect of its signals, or none. */
export type Effect = "common" | "concern" | "improvement" | "neutral" | "ghosted";

export interface ChartPoint {
  index: number; period: string; start: string; n: number; value: number;
  cl: number | null; lcl: number | null; ucl: number | null; lower2s: number | null; upper2s: number | null;
  phase: number; signals: Signal[]; ghosted: string | null;
  /** The server's variation state of this point (VariationState.Of): the page never decides good or bad news itself. */
  variation: Variation;
}
export interface ChartPhase { start: number; end: number; mean: number | null; amr: number | null; sigmaZ: number | null; frozen: boolean; reason: string; carried?: boolean; }
export interface ChartEvent { index: number; period: string; kind: string; fromMean: number | null; toMean: number | null; runStart: number | null; }
export interface OpenPeriod { period: string; start: string; value: number | null; n: number; elapsed: number; projected: number | null; partial: boolean; }
export interface ChartResponse {
  force: string; area: string; measure: string; title: string; unit: string; period: string; kind: string;
  direction: Direction; target: number | null; version: number;
  points: ChartPoint[]; phases: ChartPhase[]; events: ChartEvent[];
  variation: Variation | null; assurance: Assurance | null; open: OpenPeriod;
}

/** How a point is drawn: excluded, or the effect its variation state names. */
export function effectOf(point: ChartPoint): Effect {
  if (point.ghosted !== null) return "ghosted";
  if (point.variation === "common-cause") return "common";
  return point.variation.startsWith("improvement") ? "improvement" : point.variation.startsWith("concern") ? "concern" : "neutral";
}

const signalWords: Record<Signal, string> = {
  "beyond-upper": "above the upper limit",
  "beyond-lower": "below the lower limit",
  "trend-up": "rising trend",
  "trend-down": "falling trend",
  "two-of-three-up": "2 of 3 near the upper limit",
  "two-of-three-down": "2 of 3 near the lower limit",
  "run-above": "run above the mean",
  "run-below": "run below the mean",
};

export const effectWords: Record<Effect, string> = {
  common: "common cause",
  concern: "special cause: concern",
  improvement: "special cause: improvement",
  neutral: "special cause: neither improvement nor concern",
  ghosted: "excluded from the calculations",
};

export function describeSignals(point: ChartPoint): string {
  if (point.ghosted !== null) return `excluded: ${point.ghosted}`;
  return point.signals.map(s => signalWords[s]).join(", ");
}

export const variationWords: Record<Variation, string> = {
  "common-cause": "common cause variation",
  "improvement-high": "special cause variation: improvement (high)",
  "improvement-low": "special cause variation: improvement (low)",
  "concern-high": "special cause variation: concern (high)",
  "concern-low": "special cause variation: concern (low)",
  "neutral-high": "special cause variation: neither improvement nor concern (high)",
  "neutral-low": "special cause variation: neither improvement nor concern (low)",
};

export const assuranceWords: Record<Assurance, string> = {
  pass: "the target is consistently met",
  fail: "the target is consistently missed",
  "hit-or-miss": "the target is hit and miss",
};

export const periodWords: Record<string, [string, string]> = {
  hour: ["hour", "hours"], day: ["day", "days"], week: ["week", "weeks"], month: ["month", "months"],
};

/** Formats a value in the measure's unit: proportions as percentages, means with a decimal, counts whole. */
export function formatValue(value: number | null, chart: Pick<ChartResponse, "unit">): string {
  if (value === null || !Number.isFinite(value)) return "–";
  if (chart.unit === "proportion") return `${(value * 100).toFixed(1)}%`;
  return value.toLocaleString("en-GB", { maximumFractionDigits: 1 });
}

/** A limit as drawn: every Monitor measure is a count, a share or a duration, so a negative lower line is drawn at 0. */
export const drawnLimit = (value: number | null): number | null => (value === null ? null : Math.max(0, value));

export function meanMove(chart: ChartResponse, phase: ChartPhase, previous: ChartPhase): string {
  const from = formatValue(previous.mean, chart);
  const to = formatValue(phase.mean, chart);
  return phase.reason === "rebaselined" ? `Re-baselined: mean ${from} → ${to}` : `New phase (${phase.reason}): mean ${from} → ${to}`;
}
