// The control-chart page: one measure of one area by day, week or month, redrawn whenever the hub says the
// measure changed, so the open period moves without a reload.
import { ApiError, api as call, buildHub, claims, connectForever, startSession } from "../lib/session";
import type { ChartResponse, Effect } from "../lib/chartModel";
import { describeSignals, effectOf, effectWords, formatValue, meanMove, periodWords, variationWords } from "../lib/chartModel";
import { assuranceIcon, keyLine, keyMark, variationIcon } from "../lib/chartIcons";
import { countMarks, drawChart, lineStyles, type DrawnChart } from "../lib/chartPlot";

interface MeasureDescription { id: string; title: string; unit: string; level: string; aggregation: string; periods: string[]; }
interface AreaDescription { id: string; name: string; level: string; }
interface ForceDescription { id: string; name: string; timeZone: string; areas: AreaDescription[]; measures: MeasureDescription[]; }
interface Tile { force: string; area: string; measure: string; version: number; }
interface NoteWithdrawal { at: string; who: string; role: string; reason: string; }
interface ChartNote {
  id: string; kind: "phase-start" | "ghost"; from: string; to: string | null; period: string | null;
  reason: string; at: string; who: string; role: string; withdrawn: NoteWithdrawal | null;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const periodOrder = ["hour", "day", "week", "month"];

let force: ForceDescription;
let area = "";
let measure = "";
let period = "month";
let chart: ChartResponse | null = null;
let drawn: DrawnChart | null = null;
let fetchedAt: number | null = null;
let live = false;
// Each load has a number: an answer that arrives after a newer request was made is dropped.
let loadNumber = 0;
// Supervisors and admins give and withdraw notes; the server decides, this only spares others a form they cannot use.
const canNote = () => ["supervisor", "admin"].includes(claims().role ?? "");

function setStatus(text: string, isLive: boolean): void {
  live = isLive;
  const status = byId("connection");
  status.textContent = text;
  status.className = `status ${isLive ? "live" : "down"}`;
  const banner = byId("banner");
  banner.hidden = isLive;
  banner.textContent = isLive ? "" : `Not live: ${text}. The chart may be out of date.`;
}

const measuresAt = (areaId: string) => {
  const level = force.areas.find(a => a.id === areaId)?.level;
  return force.measures.filter(m => m.level === "all" || level === "force");
};
const measureOf = () => force.measures.find(m => m.id === measure)!;
const areaName = () => force.areas.find(a => a.id === area)?.name ?? area;

function fillPickers(): void {
  const areas = byId<HTMLSelectElement>("area");
  areas.replaceChildren(...force.areas.map(a => new Option(a.name, a.id, false, a.id === area)));
  const measures = byId<HTMLSelectElement>("measure");
  measures.replaceChildren(...measuresAt(area).map(m => new Option(m.title, m.id, false, m.id === measure)));
  const periods = byId<HTMLSelectElement>("period");
  const kept = periodOrder.filter(p => measureOf().periods.includes(p));
  periods.replaceChildren(...kept.map(p => new Option(`${periodWords[p][1][0].toUpperCase()}${periodWords[p][1].slice(1)}`, p, false, p === period)));
}

// The address bar always names what is shown, so a link or a bookmark opens the same chart.
function pinAddress(): void {
  const query = new URLSearchParams({ force: force.id, area, measure, period });
  history.replaceState(null, "", `${location.pathname}?${query}`);
  document.title = `Monitor: ${measureOf().title}, ${areaName()} by ${period}`;
}

// Keeps the choice valid when the area or measure changes: a force-level measure leaves with the force.
function settle(): void {
  const measures = measuresAt(area);
  if (!measures.some(m => m.id === measure)) measure = measures[0]?.id ?? "";
  const kept = measureOf().periods;
  if (!kept.includes(period)) period = kept.includes("month") ? "month" : kept[kept.length - 1];
  fillPickers();
  pinAddress();
}

function cell(tag: "td" | "th", text: string): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (tag === "th") element.scope = "row";
  return element;
}

function renderTable(c: ChartResponse): void {
  const rows = c.points.map(p => {
    const effect = effectOf(p);
    const row = document.createElement("tr");
    row.dataset.effect = effect;
    row.dataset.period = p.period;
    const signals = describeSignals(p);
    const words = effect === "common" ? "Common cause" : `${effectWords[effect][0].toUpperCase()}${effectWords[effect].slice(1)}${signals ? `: ${signals}` : ""}`;
    row.append(cell("th", p.period), cell("td", formatValue(p.value, c)), cell("td", p.n.toLocaleString("en-GB")), cell("td", formatValue(p.cl, c)),
      cell("td", formatValue(p.lcl, c)), cell("td", formatValue(p.ucl, c)), cell("td", String(p.phase + 1)), cell("td", words));
    const mark = keyMark(effect, 14);
    row.lastElementChild!.prepend(mark, " ");
    return row;
  });
  const open = document.createElement("tr");
  open.dataset.effect = "partial";
  open.dataset.period = c.open.period;
  const projected = c.open.projected === null ? "" : `, projected ${formatValue(c.open.projected, c)}`;
  open.append(cell("th", c.open.period), cell("td", formatValue(c.open.value, c)), cell("td", c.open.n.toLocaleString("en-GB")),
    cell("td", ""), cell("td", ""), cell("td", ""), cell("td", ""),
    cell("td", `Partial: the open ${periodWords[c.period][0]} so far (${Math.round(c.open.elapsed * 100)}% elapsed${projected}); no signals until it closes`));
  open.lastElementChild!.prepend(keyMark("partial", 14), " ");
  byId("points-body").replaceChildren(...rows, open);
  byId("points-caption").textContent = `Every ${periodWords[c.period][0]} of ${c.title}, ${areaName()} (${c.kind === "pprime" ? "p′" : c.kind.toUpperCase()} chart)`;
}

function renderSummary(c: ChartResponse): void {
  const hasTarget = c.target !== null;
  // Captions for sighted readers; the icons' own names carry the state for screen readers.
  const captioned = (icon: SVGElement, caption: string) => {
    const box = document.createElement("figure");
    const text = document.createElement("figcaption");
    text.textContent = caption;
    text.setAttribute("aria-hidden", "true");
    box.append(icon, text);
    return box;
  };
  byId("icons").replaceChildren(
    captioned(variationIcon(c.variation), "Variation"),
    captioned(assuranceIcon(c.assurance, hasTarget), hasTarget ? "Assurance" : "No target"));
  byId("key-target").hidden = !hasTarget;
  const [one, many] = periodWords[c.period];
  const last = c.points[c.points.length - 1];
  const lastEffect = last ? effectOf(last) : null;
  const phase = c.phases[c.phases.length - 1];
  const counts = new Map<Effect, number>();
  c.points.forEach(p => { const e = effectOf(p); counts.set(e, (counts.get(e) ?? 0) + 1); });
  const sentences = [
    `${c.title}, ${areaName()}, by ${one}: ${c.points.length} closed ${c.points.length === 1 ? one : many} and the open ${one} (partial, ${c.open.value === null ? "no value yet" : `${formatValue(c.open.value, c)} so far`}).`,
    last ? `Latest closed ${one} ${last.period}: ${formatValue(last.value, c)}, ${effectWords[lastEffect!]}.` : `No closed ${many} yet.`,
    phase ? `Mean ${formatValue(phase.mean, c)}, limits ${formatValue(last?.lcl ?? null, c)} to ${formatValue(last?.ucl ?? null, c)}${phase.frozen ? "" : " (trial limits)"}${phase.carried ? ", fixed from periods before this chart's first" : ""}.` : "",
    hasTarget ? `Target ${formatValue(c.target, c)}.` : "No target.",
    `${counts.get("concern") ?? 0} concern, ${counts.get("improvement") ?? 0} improvement and ${counts.get("neutral") ?? 0} other special-cause points.`,
    ...c.phases.slice(1).map((p, i) => `${meanMove(c, p, c.phases[i])} from ${c.points.find(x => x.index === p.start)?.period ?? p.start}.`),
    `Variation: ${c.variation ? variationWords[c.variation] : "no points yet"}.`,
  ];
  byId("summary").textContent = sentences.filter(s => s).join(" ");
}

function plotSize(): [number, number] {
  const box = byId("chart").getBoundingClientRect();
  return [Math.max(320, Math.floor(box.width)), Math.max(260, Math.floor(window.innerHeight * 0.52))];
}

function hover(slot: number | null): void {
  const readout = byId("readout");
  const index = slot === null || !drawn || !chart ? -1 : drawn.data.pointAt[slot];
  if (index < 0 || !chart) { readout.textContent = "\u00a0"; return; }
  if (index === drawn!.data.openIndex) {
    readout.textContent = `${chart.open.period}: ${formatValue(chart.open.value, chart)} so far (partial)`;
    return;
  }
  const p = chart.points.find(x => x.index === index)!;
  const signals = describeSignals(p);
  readout.textContent = `${p.period}: ${formatValue(p.value, chart)} · mean ${formatValue(p.cl, chart)} · limits ${formatValue(p.lcl, chart)} to ${formatValue(p.ucl, chart)} · ${effectWords[effectOf(p)]}${signals ? ` (${signals})` : ""}`;
}

function render(c: ChartResponse): void {
  drawn?.plot.destroy();
  const target = byId("chart");
  target.replaceChildren();
  const [width, height] = plotSize();
  drawn = drawChart(target, c, width, height, hover);
  const marks = countMarks(drawn.data);
  const figure = byId("figure");
  figure.dataset.points = String(c.points.length);
  figure.dataset.drawnPoints = String(marks.common + marks.concern + marks.improvement + marks.neutral + marks.ghosted);
  figure.dataset.concern = String(marks.concern);
  figure.dataset.improvement = String(marks.improvement);
  figure.dataset.partial = String(marks.partial);
  figure.dataset.ghosted = String(marks.ghosted);
  figure.dataset.period = c.period;
  figure.dataset.version = String(c.version);
  byId("heading").textContent = `${c.title} · ${areaName()} · ${periodWords[c.period][1]}`;
  renderSummary(c);
  renderTable(c);
}

function clear(): void {
  drawn?.plot.destroy();
  drawn = null;
  chart = null;
  fetchedAt = null;
  byId("chart").replaceChildren();
  for (const id of ["icons", "points-body"]) byId(id).replaceChildren();
  byId("summary").textContent = "";
  byId("heading").textContent = `${measureOf().title} · ${areaName()} · ${periodWords[period][1]}`;
  byId("updated").textContent = "never";
  byId("age").textContent = "–";
  const figure = byId("figure");
  for (const key of Object.keys(figure.dataset)) delete figure.dataset[key];
}

async function load(): Promise<void> {
  const mine = ++loadNumber;
  const path = `/api/charts/${encodeURIComponent(force.id)}/${encodeURIComponent(area)}/${encodeURIComponent(measure)}?period=${period}`;
  try {
    const answer = await call<ChartResponse>(path);
    if (mine !== loadNumber) return;
    chart = answer;
    fetchedAt = Date.now();
    byId("chart-error").hidden = true;
    render(answer);
    showAge();
    await loadNotes(mine);
  } catch (e) {
    if (mine !== loadNumber) return;
    // A failed re-read keeps the chart (its age says how old it is); another chart's drawing is not left on
    // screen under this one's pickers.
    if (chart && (chart.area !== area || chart.measure !== measure || chart.period !== period)) clear();
    const message = e instanceof ApiError ? e.message : String(e);
    const error = byId("chart-error");
    error.hidden = false;
    error.textContent = `The chart could not be read: ${message}`;
    if (!(e instanceof ApiError)) setStatus("server unreachable", false);
  }
}

const notesPath = () => `/api/charts/${encodeURIComponent(force.id)}/${encodeURIComponent(area)}/${encodeURIComponent(measure)}/notes`;

// A time as the control room reads it: on the force's clock.
const localTime = (iso: string) => new Date(iso).toLocaleString("en-GB", { timeZone: force.timeZone, hour12: false, dateStyle: "medium", timeStyle: "short" });

function noteItem(note: ChartNote): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.note = note.id;
  li.classList.toggle("withdrawn", note.withdrawn !== null);
  const what = document.createElement("span");
  what.className = "what";
  const kind = note.kind === "phase-start" ? "Phase start" : "Excluded";
  const when = note.to === null ? `from ${localTime(note.from)}` : `${localTime(note.from)} to ${localTime(note.to)}`;
  const scope = note.period === null ? "every chart" : `the ${periodWords[note.period]?.[0] ?? note.period} chart`;
  what.textContent = `${kind} ${when}, on ${scope}: ${note.reason}`;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = ` · ${note.who} (${note.role}), ${localTime(note.at)}`
    + (note.withdrawn ? ` · withdrawn by ${note.withdrawn.who} (${note.withdrawn.role}), ${localTime(note.withdrawn.at)}: ${note.withdrawn.reason}` : "");
  li.append(what, who);
  if (note.withdrawn === null && canNote()) li.append(withdrawForm(note));
  return li;
}

function withdrawForm(note: ChartNote): HTMLFormElement {
  const form = document.createElement("form");
  const reason = document.createElement("input");
  reason.name = "reason";
  reason.required = true;
  reason.maxLength = 500;
  reason.placeholder = "why it no longer holds";
  reason.setAttribute("aria-label", `Why note ${note.id} no longer holds`);
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Withdraw";
  form.append(reason, button);
  form.addEventListener("submit", e => {
    e.preventDefault();
    void act(`${notesPath()}/${encodeURIComponent(note.id)}/withdraw`, { reason: reason.value });
  });
  return form;
}

async function loadNotes(mine = loadNumber): Promise<void> {
  try {
    const notes = await call<ChartNote[]>(notesPath());
    if (mine !== loadNumber) return;
    byId("notes-list").replaceChildren(...(notes.length === 0 ? [Object.assign(document.createElement("li"), { textContent: "None." })] : notes.map(noteItem)));
  } catch (e) {
    if (mine !== loadNumber) return;
    byId("notes-list").replaceChildren(Object.assign(document.createElement("li"), { textContent: `The notes could not be read: ${(e as Error).message}` }));
  }
}

// A note given or withdrawn redraws the chart at once; a refusal says why and changes nothing on screen.
async function act(path: string, body: unknown): Promise<boolean> {
  const problem = byId("note-problem");
  try {
    await call<ChartNote>(path, { method: "POST", body });
    problem.hidden = true;
    await load();
    return true;
  } catch (e) {
    problem.hidden = false;
    problem.textContent = `Not saved: ${(e as Error).message}`;
    return false;
  }
}

function wireNoteForm(): void {
  const form = byId<HTMLFormElement>("note-form");
  form.hidden = !canNote();
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const saved = await act(notesPath(), {
      kind: field("kind"),
      from: field("from"),
      to: field("to") === "" ? null : field("to"),
      period: field("scope") === "this" ? period : null,
      reason: field("reason"),
    });
    if (saved) form.reset();
  });
}

// Pushes come in bursts (a batch of events touches a measure several times): one reload per burst.
let pending: number | undefined;
function reloadSoon(): void {
  if (pending !== undefined) return;
  pending = window.setTimeout(() => { pending = undefined; void load(); }, 150);
}

function showAge(): void {
  if (fetchedAt === null) return;
  const seconds = Math.max(0, Math.round((Date.now() - fetchedAt) / 1000));
  byId("updated").textContent = new Date(fetchedAt).toLocaleTimeString("en-GB", { timeZone: force.timeZone, hour12: false });
  byId("updated").setAttribute("datetime", new Date(fetchedAt).toISOString());
  const age = byId("age");
  age.textContent = seconds < 60 ? `${seconds} s ago` : `${Math.floor(seconds / 60)} min ago`;
  // Live, the chart is redrawn on every change; an old copy while disconnected is said to be old.
  age.classList.toggle("stale", !live && seconds >= 60);
}

function fillKey(): void {
  const item = (mark: SVGElement, text: string, id?: string) => {
    const li = document.createElement("li");
    if (id) li.id = id;
    li.append(mark, ` ${text}`);
    return li;
  };
  byId("key").replaceChildren(
    item(keyMark("common"), "Common cause"),
    item(keyMark("concern"), "Concern (special cause)"),
    item(keyMark("improvement"), "Improvement (special cause)"),
    item(keyMark("neutral"), "Special cause, neither"),
    item(keyMark("ghosted"), "Excluded"),
    item(keyMark("partial"), "Open period, partial"),
    item(keyLine(lineStyles.mean.stroke, lineStyles.mean.dash), "Mean"),
    item(keyLine(lineStyles.limit.stroke, lineStyles.limit.dash), "Limits (3σ)"),
    item(keyLine(lineStyles.sigma2.stroke, lineStyles.sigma2.dash), "2σ lines"),
    item(keyLine(lineStyles.target.stroke, lineStyles.target.dash), "Target", "key-target"),
  );
}

async function main(): Promise<void> {
  startSession(setStatus);
  const forceId = params.get("force") ?? (await call<string[]>("/api/forces"))[0];
  force = await call<ForceDescription>(`/api/forces/${encodeURIComponent(forceId)}`);
  area = force.areas.some(a => a.id === params.get("area")) ? params.get("area")! : force.areas.find(a => a.level === "force")!.id;
  measure = params.get("measure") ?? "";
  period = params.get("period") ?? "month";
  settle();
  fillKey();
  wireNoteForm();
  const load0 = load();

  const connection = buildHub();
  const subscribe = async () => {
    try {
      await connection.invoke("Subscribe", force.id, area);
      setStatus("live", true);
    } catch (e) {
      setStatus(`not following ${areaName()}: ${(e as Error).message}`, false);
    }
  };
  connection.on("tiles", (tiles: Tile[]) => {
    if (tiles.some(t => t.force === force.id && t.area === area && t.measure === measure && (chart === null || t.version > chart.version))) reloadSoon();
  });
  // A push to this page may have been lost (docs/wallboard.md, "Never silently stale"): read the chart afresh.
  connection.on("resync", () => reloadSoon());
  connection.onreconnecting(() => setStatus("connection lost, reconnecting", false));
  connection.onreconnected(async () => { await subscribe(); await load(); });
  connection.onclose(() => setStatus("disconnected", false));

  const change = async (apply: () => void) => {
    const before = area;
    apply();
    settle();
    if (before !== area && connection.state === "Connected") {
      await connection.invoke("Unsubscribe", force.id, before);
      await subscribe();
    }
    await load();
  };
  byId<HTMLSelectElement>("area").addEventListener("change", e => void change(() => { area = (e.target as HTMLSelectElement).value; }));
  byId<HTMLSelectElement>("measure").addEventListener("change", e => void change(() => { measure = (e.target as HTMLSelectElement).value; }));
  byId<HTMLSelectElement>("period").addEventListener("change", e => void change(() => { period = (e.target as HTMLSelectElement).value; }));

  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => { if (drawn) drawn.plot.setSize({ width: plotSize()[0], height: plotSize()[1] }); });
  }).observe(byId("chart"));
  window.setInterval(showAge, 1000);
  // A period can close with no event in the area: a slow re-read moves the open period on anyway.
  window.setInterval(() => { if (live) void load(); }, 60_000);

  await load0;
  await connectForever(connection);
  await subscribe();
  // Anything that changed between the first read and the subscription.
  await load();
}

void main();
