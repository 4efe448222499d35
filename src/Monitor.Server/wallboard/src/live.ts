// The plain live page: one area's counts, updated as events arrive. The real wallboard builds on this.
import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

interface PeriodFigure { start: string; label: string; value: number | null; sum: number; n: number; }
interface MeasureTile { force: string; area: string; measure: string; version: number; asOf: string; today: PeriodFigure; monthToDate: PeriodFigure; days: PeriodFigure[]; months: PeriodFigure[]; }
interface LiveSnapshot { force: string; area: string; areaName: string; asOf: string; storage: string; tiles: MeasureTile[]; }
interface MeasureDescription { id: string; title: string; unit: string; aggregation: string; }
interface ForceDescription { id: string; name: string; timeZone: string; areas: { id: string; name: string; level: string }[]; measures: MeasureDescription[]; }

const params = new URLSearchParams(location.search);
const tokenKey = "monitor.access_token";
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

// The token comes from ?access_token= once (then leaves the address bar, so it is neither bookmarked nor
// shown) or from a prompt; it is kept for this tab only, in sessionStorage.
function takeToken(): string | null {
  const fromUrl = params.get("access_token");
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    params.delete("access_token");
    const rest = params.toString();
    history.replaceState(null, "", rest ? `?${rest}` : location.pathname);
  }
  return sessionStorage.getItem(tokenKey);
}

function signIn(reason: string): string {
  const entered = window.prompt(`${reason}\nPaste your Monitor access token (from your administrator or \`monitor token\`):`)?.trim();
  if (!entered) {
    setStatus("not signed in: reload the page to sign in", false);
    throw new Error("not signed in");
  }
  sessionStorage.setItem(tokenKey, entered);
  return entered;
}

let token = "";

// Seconds since the epoch at which a JWT expires, or null when it cannot be read (the server decides anyway).
function expiryOf(jwt: string): number | null {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp : null;
  } catch {
    return null;
  }
}

// The hub asks for the token on every (re)connect: an expired one is replaced before it is refused.
function currentToken(): string {
  const exp = expiryOf(token);
  if (exp !== null && exp * 1000 <= Date.now() + 5_000) {
    sessionStorage.removeItem(tokenKey);
    token = signIn("Your sign-in has expired.");
  }
  return token;
}

// Every API call carries the token; a 401 (missing, expired or bad token) asks for a new one once.
async function api<T>(path: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401 && attempt === 0) {
      sessionStorage.removeItem(tokenKey);
      token = signIn("Your sign-in is missing or has expired.");
      continue;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => null) as { title?: string; detail?: string } | null;
      const text = `${response.status} ${problem?.title ?? response.statusText}${problem?.detail ? `: ${problem.detail}` : ""}`;
      setStatus(text, false);
      throw new Error(text);
    }
    return await response.json() as T;
  }
}

async function main(): Promise<void> {
  token = takeToken() ?? signIn("Monitor needs you to sign in.");
  const forceId = params.get("force") ?? (await api<string[]>("/api/forces"))[0];
  force = await api<ForceDescription>(`/api/forces/${encodeURIComponent(forceId)}`);
  area = params.get("area") ?? force.areas.find(a => a.level === "force")!.id;
  byId("zone").textContent = force.timeZone;
  const select = byId<HTMLSelectElement>("area");
  for (const a of force.areas) select.add(new Option(a.name, a.id, false, a.id === area));

  const connection = new HubConnectionBuilder()
    .withUrl("/hubs/wallboard", { accessTokenFactory: currentToken })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(30_000, 500 * 2 ** Math.min(ctx.previousRetryCount, 6)) })
    .configureLogging(LogLevel.Warning)
    .build();

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
  connection.onreconnecting(() => setStatus("connection lost, reconnecting", false));
  connection.onreconnected(() => void subscribe());
  connection.onclose(() => setStatus("disconnected", false));

  select.addEventListener("change", async () => {
    await connection.invoke("Unsubscribe", force.id, area);
    area = select.value;
    history.replaceState(null, "", `?force=${encodeURIComponent(force.id)}&area=${encodeURIComponent(area)}`);
    await subscribe();
  });

  // The first connection retries forever too: a board started before the server must come up by itself.
  for (let attempt = 0; connection.state !== HubConnectionState.Connected; attempt++) {
    try {
      await connection.start();
    } catch (e) {
      // A refused token is not an outage: ask for another instead of retrying the same one forever.
      if ((e as { statusCode?: number }).statusCode === 401) {
        sessionStorage.removeItem(tokenKey);
        token = signIn("Your sign-in was refused.");
        continue;
      }
      setStatus("server unreachable, retrying", false);
      await new Promise(r => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))));
    }
  }
  await subscribe();
}

void main();
