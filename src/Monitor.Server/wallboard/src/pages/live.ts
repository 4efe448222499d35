// The plain live page: one area's counts in a table, updated as events arrive.
import { ApiError, api as call, buildHub, connectForever, startSession } from "../lib/session";

interface PeriodFigure { start: string; label: string; value: number | null; sum: number; n: number; }
interface MeasureTile { force: string; area: string; measure: string; version: number; asOf: string; today: PeriodFigure; monthToDate: PeriodFigure; days: PeriodFigure[]; months: PeriodFigure[]; }
interface LiveSnapshot { force: string; area: string; areaName: string; asOf: string; storage: string; tiles: MeasureTile[]; }
interface MeasureDescription { id: string; title: string; unit: string; aggregation: string; }
interface ForceDescription { id: string; name: string; timeZone: string; areas: { id: string; name: string; level: string }[]; measures: MeasureDescription[]; }

const params = new URLSearchParams(location.search);
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const tiles = new Map<string, MeasureTile>();
let force: ForceDescription;
let area = "";

function format(figure: PeriodFigure, measure: MeasureDescription | undefined): string {
  if (figure.value === null) return "–";
  if (measure?.aggregation === "proportion") return `${(figure.value * 100).toFixed(1)}%`;
  if (measure?.aggregation === "mean") return `${figure.value.toFixed(1)} ${measure.unit}`;
  return figure.value.toLocaleString("en-GB");
}

function render(changed: Set<string> = new Set()): void {
  const body = byId<HTMLTableSectionElement>("tiles");
  const rows = force.measures.filter(m => tiles.has(m.id)).map(m => {
    const tile = tiles.get(m.id)!;
    const row = document.createElement("tr");
    row.dataset.measure = m.id;
    const cells = [m.title, format(tile.today, m), format(tile.monthToDate, m), tile.days.slice(-7).map(d => format(d, m)).join(" · ")];
    cells.forEach((text, i) => {
      const cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) cell.setAttribute("scope", "row");
      cell.textContent = text;
      if (i > 0 && changed.has(m.id)) cell.classList.add("changed");
      if (i === 1) cell.dataset.role = "today";
      row.appendChild(cell);
    });
    return row;
  });
  body.replaceChildren(...rows);
}

function applyTiles(update: MeasureTile[]): void {
  const changed = new Set<string>();
  for (const tile of update) {
    if (tile.force !== force.id || tile.area !== area) continue;
    const known = tiles.get(tile.measure);
    // A tile carries its whole figures, so only an older push is ignored.
    if (known && known.version >= tile.version) continue;
    tiles.set(tile.measure, tile);
    changed.add(tile.measure);
    byId("as-of").textContent = new Date(tile.asOf).toLocaleTimeString("en-GB", { timeZone: force.timeZone, hour12: false });
  }
  if (changed.size > 0) render(changed);
}

function setStatus(text: string, live: boolean): void {
  const status = byId("connection");
  status.textContent = text;
  status.className = `status ${live ? "live" : "down"}`;
  const banner = byId("banner");
  banner.hidden = live;
  banner.textContent = live ? "" : `Not live: ${text}. Figures shown may be out of date.`;
}

// An API failure is shown in the status line, not only thrown.
async function api<T>(path: string): Promise<T> {
  try {
    return await call<T>(path);
  } catch (e) {
    if (e instanceof ApiError) setStatus(e.message, false);
    throw e;
  }
}

async function main(): Promise<void> {
  startSession(setStatus);
  const forceId = params.get("force") ?? (await api<string[]>("/api/forces"))[0];
  force = await api<ForceDescription>(`/api/forces/${encodeURIComponent(forceId)}`);
  area = params.get("area") ?? force.areas.find(a => a.level === "force")!.id;
  byId("zone").textContent = force.timeZone;
  const select = byId<HTMLSelectElement>("area");
  for (const a of force.areas) select.add(new Option(a.name, a.id, false, a.id === area));

  const connection = buildHub();

  const subscribe = async () => {
    const snapshot = await connection.invoke<LiveSnapshot>("Subscribe", force.id, area);
    tiles.clear();
    snapshot.tiles.forEach(t => tiles.set(t.measure, t));
    byId("area-name").textContent = `· ${snapshot.areaName}`;
    byId("as-of").textContent = new Date(snapshot.asOf).toLocaleTimeString("en-GB", { timeZone: force.timeZone, hour12: false });
    render();
    setStatus(`live · storage ${snapshot.storage}`, true);
  };

  connection.on("tiles", applyTiles);
  // A push to this page may have been lost (docs/wallboard.md, "Never silently stale"): read the area afresh.
  connection.on("resync", () => void subscribe());
  connection.onreconnecting(() => setStatus("connection lost, reconnecting", false));
  connection.onreconnected(() => void subscribe());
  connection.onclose(() => setStatus("disconnected", false));

  select.addEventListener("change", async () => {
    await connection.invoke("Unsubscribe", force.id, area);
    area = select.value;
    history.replaceState(null, "", `?force=${encodeURIComponent(force.id)}&area=${encodeURIComponent(area)}`);
    await subscribe();
  });

  await connectForever(connection);
  await subscribe();
}

void main();
