// The TV wallboard (/board): the lines, emergency response, alerts and the areas' signals, live, never silently stale.
import { HubConnection, HubConnectionState } from "@microsoft/signalr";
import { api, buildHub, claims, connectForever, onSignIn, startSession } from "../lib/session";
import { badge, byId, el } from "../lib/dom";
import { age, clockText, serverNow, sinceHeardMs, span, syncServerClock, zoneName } from "../lib/serverClock";
import type {
  Alert, AlertPush, BoardStatus, CallQueue, Chart, ForceDescription, LiveSnapshot, MeasureDescription, MeasureSignalling,
  MeasureTile, OpenIncident, OpenIncidentsView,
} from "../lib/model";

const params = new URLSearchParams(location.search);
const role = () => claims().role;
const canAct = () => role() === "supervisor";

let force: ForceDescription;
let forceArea = "";
let areas: string[] = [];
let areaIndex = 0;
const area = () => areas[areaIndex];

const tiles = new Map<string, MeasureTile>();
const queues = new Map<string, CallQueue>();
// The longest open incidents of each grade, and every open one counted by grade: the server lists a few, counts all.
let incidents: OpenIncident[] = [];
let openByGrade: Record<string, number> = {};
let incidentsAsOf = 0;
let signalling: MeasureSignalling[] = [];
let warningLead: Record<string, number> = {};
const alerts = new Map<string, Alert>();

// When each item's figures last changed, as far as this board can know: the changedAt the server sends with them
// (when it counted the change; null when it does not know, as after a restart). A snapshot is built when it is asked
// for, so its asOf says nothing of when its figures changed: one bringing what the board already holds keeps the
// earlier time, and one bringing figures whose change the server cannot date leaves the time unknown, known only to
// be before the snapshot. A push is built as the server counts the change, so without a changedAt its asOf is that.
const lastChange = new Map<string, { content: string; at: number | null; before: number }>();

function noteChange(item: string, content: string, asOf: string, changedAt: string | null | undefined, by: "push" | "snapshot"): void {
  if (lastChange.get(item)?.content === content) return;
  const at = changedAt ? Date.parse(changedAt) : by === "push" ? Date.parse(asOf) : null;
  lastChange.set(item, { content, at, before: Date.parse(asOf) });
}

const noteTile = (t: MeasureTile, by: "push" | "snapshot") => noteChange(`tile:${t.area}/${t.measure}`, String(t.version), t.asOf, t.changedAt, by);
const noteQueue = (q: CallQueue, by: "push" | "snapshot") =>
  noteChange(`queue:${q.channel}`, `${q.waiting}|${q.longestWaitingSince}`, q.asOf, q.changedAt, by);
const noteIncidents = (areaId: string, list: OpenIncident[], byGrade: Record<string, number>, asOf: string, changedAt: string | null, by: "push" | "snapshot") =>
  noteChange(`incidents:${areaId}`, JSON.stringify([list, byGrade]), asOf, changedAt, by);

/**
 * When the items a tile shows last changed, or 0 when that is not known: the newest known change, unless an item
 * changed at an unknown time that may be later (figures a snapshot brought after it, say on a reconnect).
 */
function changedAt(...items: string[]): number {
  const held = items.map(i => lastChange.get(i)).filter(c => c !== undefined);
  const known = Math.max(0, ...held.map(c => c.at ?? 0));
  const unknownUntil = Math.max(0, ...held.filter(c => c.at === null).map(c => c.before));
  return known >= unknownUntil ? known : 0;
}
let responseLimits: { cl: number | null; lcl: number | null; ucl: number | null } | null | "unavailable" = null;
let status: BoardStatus | null = null;
let connected = false;
let confirmedAt: number | null = null;
let storage = "";
let hub: HubConnection;

const measure = (id: string): MeasureDescription | undefined => force.measures.find(m => m.id === id);
const areaName = (id: string) => force.areas.find(a => a.id === id)?.name ?? id;
const tileOf = (areaId: string, measureId: string) => tiles.get(`${areaId}/${measureId}`);
const percent = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);

/**
 * A figure to one decimal. A figure shown beside the line it is judged against is rounded away from that line
 * when it has crossed it (and the line towards it), so that 89.96 % against a 90 % target reads 89.9 %, never
 * "90.0 % misses 90.0 % target", and 30.04 min above an upper limit of 30.0 reads 30.1.
 */
function tenths(value: number, round: "down" | "up" | "nearest" = "nearest"): string {
  const scaled = value * 10;
  const shown = round === "down" ? Math.floor(scaled) : round === "up" ? Math.ceil(scaled) : Math.round(scaled);
  return (shown / 10).toFixed(1);
}

/** Every piece of data is confirmed current as of the last thing heard from a connected server. */
function confirm(): void {
  if (connected) confirmedAt = serverNow();
}

// ---------------------------------------------------------------- the lines (999, 101)

function lineTile(channel: "999" | "101"): void {
  const section = byId(`tile-${channel}`);
  const queue = queues.get(channel);
  const inTarget = force.measures.find(m => m.aggregation === "proportion" && m.id.startsWith(`calls-${channel}-answered-`));
  const abandoned = measure(`calls-${channel}-abandoned`);
  const tile = inTarget ? tileOf(forceArea, inTarget.id) : undefined;
  const abandonedTile = abandoned ? tileOf(forceArea, abandoned.id) : undefined;

  const against = (value: number | null | undefined, target: number | null | undefined, better: "higher" | "lower") => {
    if (target === null || target === undefined) return badge("info", "no target set");
    if (value === null || value === undefined) return badge("info", "no calls yet");
    const met = better === "higher" ? value >= target : value <= target;
    return met ? badge("ok", `meets ${percent(target)} target`) : badge("breach", `misses ${percent(target)} target`);
  };
  // The figure beside its verdict: a miss never rounds onto the target.
  const share = (value: number | null | undefined, target: number | null | undefined, better: "higher" | "lower") => {
    if (value === null || value === undefined) return "–";
    const misses = target !== null && target !== undefined && (better === "higher" ? value < target : value > target);
    return `${tenths(value * 100, !misses ? "nearest" : better === "higher" ? "down" : "up")}%`;
  };

  const waitingSince = queue?.longestWaitingSince ? Date.parse(queue.longestWaitingSince) : null;
  section.querySelector(".body")!.replaceChildren(
    el("dl", { class: "figures" },
      el("div", { class: "figure big" }, el("dt", {}, "Calls waiting"), el("dd", { "data-role": "waiting" }, queue ? String(queue.waiting) : "–")),
      el("div", { class: "figure big" }, el("dt", {}, "Longest wait"),
        el("dd", { "data-role": "longest", "data-since": waitingSince === null ? undefined : String(waitingSince) }, waitingSince === null ? "none" : span(serverNow() - waitingSince))),
      el("div", { class: "figure" }, el("dt", {}, inTarget ? `Answered in ${inTarget.id.split("-").pop()} today` : "Service level today"),
        el("dd", { "data-role": "service-today" }, share(tile?.today.value, inTarget?.target, "higher"), " ", against(tile?.today.value, inTarget?.target, "higher"))),
      el("div", { class: "figure" }, el("dt", {}, "Month to date"),
        el("dd", { "data-role": "service-month" }, share(tile?.monthToDate.value, inTarget?.target, "higher"), " ", against(tile?.monthToDate.value, inTarget?.target, "higher"))),
      el("div", { class: "figure" }, el("dt", {}, "Abandoned today"),
        // The count beside its share, the verdict after both: a badge between them pushed the count onto a line of its own.
        el("dd", { "data-role": "abandoned" }, share(abandonedTile?.today.value, abandoned?.target, "lower"),
          el("span", { class: "muted" }, ` (${abandonedTile?.today.sum ?? 0} of ${abandonedTile?.today.n ?? 0})`),
          abandoned?.target != null ? " " : "", abandoned?.target != null ? against(abandonedTile?.today.value, abandoned.target, "lower") : null)),
    ));
  section.dataset.changedAt = String(changedAt(`queue:${channel}`, ...(inTarget ? [`tile:${forceArea}/${inTarget.id}`] : [])));
}

// ---------------------------------------------------------------- emergency response

function incidentLevel(incident: OpenIncident, now: number): { level: "ok" | "warning" | "breach"; word: string } {
  const start = Date.parse(incident.clockStart);
  const breachAt = start + incident.targetMinutes * 60_000;
  const lead = warningLead[incident.grade] ?? 0;
  const warnAt = lead > 0 && lead < incident.targetMinutes ? breachAt - lead * 60_000 : null;
  // Attended at exactly the target is within it; past it is overdue (the server's alert says the same).
  if (now > breachAt) return { level: "breach", word: `OVERDUE (past ${incident.targetMinutes} min)` };
  if (warnAt !== null && now >= warnAt) return { level: "warning", word: `APPROACHING ${incident.targetMinutes} min` };
  return { level: "ok", word: "within target" };
}

function emergencyTile(): void {
  const section = byId("tile-emergency");
  const meanMeasure = measure("response-emergency-time");
  const mean = tileOf(area(), "response-emergency-time");
  const value = mean?.today.value ?? null;
  let limitsText: (Node | string | null)[] = ["limits not available"];
  let meanRounding: "down" | "up" | "nearest" = "nearest";
  if (responseLimits === "unavailable") limitsText = [badge("info", "control limits could not be read")];
  else if (responseLimits && responseLimits.lcl !== null && responseLimits.ucl !== null) {
    const { cl, lcl, ucl } = responseLimits;
    const above = value !== null && value > ucl;
    const below = value !== null && value < lcl;
    meanRounding = above ? "up" : below ? "down" : "nearest";
    const where = value === null ? badge("info", "no arrivals today")
      : above ? badge("breach", "above the upper limit")
      : below ? badge("ok", "below the lower limit")
      : badge("ok", "within limits");
    // "usual", not "mean": the figure beside it is already a mean (today's), this one is the chart's centre line.
    limitsText = [`· usual ${cl === null ? "–" : tenths(cl)}, limits ${tenths(lcl, below ? "up" : "nearest")}–${tenths(ucl, above ? "down" : "nearest")} min `, where];
  } else if (responseLimits) limitsText = [badge("info", "too few days for control limits")];

  const emergencies = incidents.filter(i => i.grade === "emergency");
  const openEmergencies = openByGrade["emergency"] ?? 0;
  const others = Object.entries(openByGrade).reduce((sum, [grade, count]) => grade === "emergency" ? sum : sum + count, 0);
  const list = el("ol", { class: "incidents", "aria-label": "Open emergency incidents" },
    ...emergencies.map(i => {
      const state = incidentLevel(i, serverNow());
      return el("li", { class: `incident ${state.level}`, "data-incident": i.incidentId, "data-state": state.level },
        el("span", { class: "who" }, `${i.incidentId} · ${areaName(i.district)}`),
        el("span", { class: "ticker", "data-clock-start": String(Date.parse(i.clockStart)) }, span(serverNow() - Date.parse(i.clockStart))),
        badge(state.level, state.word));
    }));
  section.querySelector(".body")!.replaceChildren(...[
    el("dl", { class: "figures" },
      el("div", { class: "figure big" }, el("dt", {}, "Open emergency incidents"), el("dd", { "data-role": "open-emergencies" }, String(openEmergencies))),
      el("div", { class: "figure" }, el("dt", {}, `Mean response today${meanMeasure ? "" : " (not configured)"}`),
        el("dd", { "data-role": "mean-response" }, value === null ? "–" : `${tenths(value, meanRounding)} min`, " ", ...limitsText))),
    openEmergencies === 0 ? el("p", { class: "muted" }, "No emergency incident waiting for arrival.") : list,
    openEmergencies > emergencies.length ? el("p", { class: "muted" }, `and ${openEmergencies - emergencies.length} more`) : null,
    others > 0 ? el("p", { class: "muted" }, `${others} priority incident${others === 1 ? "" : "s"} also open`) : null,
  ].filter((n): n is NonNullable<typeof n> => n !== null));
  section.dataset.changedAt = String(changedAt(`incidents:${area()}`, `tile:${area()}/response-emergency-time`));
}

// Clocks tick between renders: only the text and the state of each clock change, so nothing flickers.
function tickClocks(): void {
  const now = serverNow();
  for (const ticker of Array.from(document.querySelectorAll<HTMLElement>("[data-clock-start]"))) {
    ticker.textContent = span(now - Number(ticker.dataset.clockStart));
  }
  for (const item of Array.from(document.querySelectorAll<HTMLElement>("li[data-incident]"))) {
    const incident = incidents.find(i => i.incidentId === item.dataset.incident);
    if (incident && incidentLevel(incident, now).level !== item.dataset.state) emergencyTile();
  }
  for (const since of Array.from(document.querySelectorAll<HTMLElement>("[data-since]"))) {
    since.textContent = span(now - Number(since.dataset.since));
  }
  for (const aged of Array.from(document.querySelectorAll<HTMLElement>("[data-age-of]"))) {
    aged.textContent = age(now - Number(aged.dataset.ageOf));
  }
}

// ---------------------------------------------------------------- alerts

const severityRank = (a: Alert) => (a.severity === "breach" ? 2 : a.severity === "warning" ? 1 : 0);
const needsAcknowledging = (a: Alert) => a.state === "active-unacknowledged" || a.state === "returned-unacknowledged";

/** The board's alerts: its area and everything below it, and the force-wide ones (the lines, the feeds). */
function mine(alert: Alert): boolean {
  if (alert.state === "resolved") return false;
  if (alert.key.area === forceArea) return true;
  for (let a: string | null | undefined = alert.key.area; a; a = force.areas.find(x => x.id === a)?.parent) {
    if (a === area()) return true;
  }
  return false;
}

/** How long an alert's condition has lasted, ticking (an incident unattended, a caller waiting, a feed quiet); nothing for one that does not grow with time. */
function lasting(alert: Alert): (Node | string)[] {
  if (!alert.since) return [];
  const since = Date.parse(alert.since);
  return [" · for ", el("span", { class: "ticker", "data-clock-start": String(since) }, span(serverNow() - since))];
}

function alertSummary(alert: Alert): HTMLElement {
  const level = alert.severity === "breach" ? "breach" : "warning";
  const stateWords: Record<string, string> = {
    "active-unacknowledged": "NOT ACKNOWLEDGED", "returned-unacknowledged": "RETURNED, not acknowledged",
    "active-acknowledged": `acknowledged by ${alert.acknowledgedBy ?? "someone"}`,
    shelved: `shelved${alert.shelvedUntil ? ` until ${clockText(Date.parse(alert.shelvedUntil), force.timeZone, false)}` : ""}`,
  };
  const lastNote = alert.notes.length > 0 ? alert.notes[alert.notes.length - 1] : null;
  return el("div", { class: "summary" },
    badge(level, level === "breach" ? "BREACH" : "WARNING"),
    el("span", { class: "message" }, alert.message, ...lasting(alert)),
    el("span", { class: "meta" },
      `${areaName(alert.key.area)} · raised `, el("span", { "data-age-of": String(Date.parse(alert.raisedAt)) }, age(serverNow() - Date.parse(alert.raisedAt))),
      " ago · ", el("span", { "data-role": "state", class: needsAcknowledging(alert) ? "unacked" : "" }, stateWords[alert.state] ?? alert.state),
      ` · escalation: ${alert.escalation.replace("-", " ")}`),
    lastNote ? el("span", { class: "note" }, `“${lastNote.text}” (${lastNote.who})`) : null);
}

function actionsFor(alert: Alert): HTMLElement | null {
  if (!canAct()) return null;
  const problem = el("p", { class: "problem", role: "alert", hidden: "" });
  const fail = (e: unknown) => {
    problem.hidden = false;
    problem.textContent = e instanceof Error ? e.message.replace(/^.*HubException: /, "") : String(e);
  };
  if (needsAcknowledging(alert)) {
    const note = el("input", { type: "text", name: "note", "aria-label": "Note", placeholder: "Note (required)", required: "", maxlength: "500" });
    const form = el("form", { class: "act", "data-action": "acknowledge" }, note, el("button", { type: "submit" }, "Acknowledge"), problem);
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      try {
        const updated = await hub.invoke<Alert>("Acknowledge", force.id, alert.id, note.value);
        applyAlert(updated);
      } catch (e) { fail(e); }
    });
    return form;
  }
  if (alert.state === "active-acknowledged") {
    const minutes = el("input", { type: "number", name: "minutes", "aria-label": "Minutes", min: "1", value: "30" });
    const note = el("input", { type: "text", name: "note", "aria-label": "Note", placeholder: "Note (required)", required: "", maxlength: "500" });
    const form = el("form", { class: "act", "data-action": "shelve" }, minutes, note, el("button", { type: "submit" }, "Shelve"), problem);
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      try {
        const updated = await api<Alert>(`/api/alerts/${encodeURIComponent(force.id)}/${encodeURIComponent(alert.id)}/shelve`,
          { method: "POST", body: { minutes: Number(minutes.value), note: note.value } });
        applyAlert(updated);
      } catch (e) { fail(e); }
    });
    return form;
  }
  return null;
}

// Keyed: an item is rebuilt only when its alert changed, so a note being typed survives other alerts' pushes.
function renderAlerts(): void {
  const list = byId<HTMLOListElement>("alerts");
  const shown = [...alerts.values()].filter(mine)
    .sort((a, b) => severityRank(b) - severityRank(a) || Date.parse(b.changedAt) - Date.parse(a.changedAt));
  const existing = new Map(Array.from(list.querySelectorAll<HTMLLIElement>("li[data-alert-id]")).map(li => [li.dataset.alertId!, li]));
  const items = shown.map(alert => {
    let item = existing.get(alert.id);
    const stamp = `${alert.changedAt}|${alert.state}|${alert.severity}|${alert.escalation}|${alert.notes.length}`;
    if (!item || item.dataset.stamp !== stamp) {
      const fresh = el("li", { class: `alert ${alert.severity}`, "data-alert-id": alert.id, "data-stamp": stamp, "data-state": alert.state });
      fresh.append(alertSummary(alert));
      const actions = actionsFor(alert);
      if (actions) fresh.append(actions);
      if (item) item.replaceWith(fresh);
      item = fresh;
    }
    existing.delete(alert.id);
    return item;
  });
  for (const gone of existing.values()) gone.remove();
  const inOrder = items.every((item, i) => list.children[i] === item);
  if (!inOrder) list.replaceChildren(...items);
  if (shown.length === 0) list.replaceChildren(el("li", { class: "muted none" }, "No open alert."));
  byId("tile-alerts-title").textContent = `Alerts (${shown.length} open, ${shown.filter(needsAcknowledging).length} not acknowledged)`;
  renderBanners();
  renderAreas();
}

function applyAlert(alert: Alert): void {
  const known = alerts.get(alert.id);
  if (known && Date.parse(known.changedAt) > Date.parse(alert.changedAt)) return;
  alerts.set(alert.id, alert);
  renderAlerts();
}

// ---------------------------------------------------------------- per-area panels

function chartLink(areaId: string, measureId: string, period: string): string {
  const q = new URLSearchParams({ force: force.id, area: areaId, measure: measureId, period });
  return `/chart.html?${q.toString()}`;
}

function renderAreas(): void {
  const panelAreas = [area(), ...force.areas.filter(a => a.parent === area()).map(a => a.id)];
  const panels = panelAreas.map(areaId => {
    const rows: HTMLElement[] = [];
    for (const alert of [...alerts.values()].filter(a => a.state !== "resolved" && a.key.area === areaId)) {
      const m = measure(alert.key.measure);
      const period = alert.key.rule.split(".")[0];
      const title = m?.title ?? alert.message;
      const level = alert.severity === "breach" ? "breach" : "warning";
      rows.push(el("li", { "data-measure": alert.key.measure },
        badge(level, level === "breach" ? "alert (breach)" : "alert (warning)"), " ",
        m ? el("a", { href: chartLink(areaId, m.id, ["hour", "day", "week", "month"].includes(period) ? period : "day") }, title) : title));
    }
    for (const s of signalling.filter(x => x.area === areaId)) {
      const m = measure(s.measure);
      const level = s.effect === "concern" ? "breach" : s.effect === "improvement" ? "ok" : "info";
      rows.push(el("li", { "data-measure": s.measure },
        badge(level, `${s.effect} (${s.event.replace(/-/g, " ")}, ${s.kind} ${s.period})`), " ",
        el("a", { href: chartLink(areaId, s.measure, s.kind) }, m?.title ?? s.measure)));
    }
    return el("section", { class: "area-panel", "data-area": areaId },
      el("h3", {}, el("a", { href: `/board?force=${encodeURIComponent(force.id)}&area=${encodeURIComponent(areaId)}` }, areaName(areaId))),
      rows.length > 0 ? el("ul", {}, ...rows.slice(0, 6)) : el("p", { class: "muted" }, "● nothing in alert or signalling"),
      rows.length > 6 ? el("p", { class: "muted" }, `and ${rows.length - 6} more`) : null);
  });
  byId("area-panels").replaceChildren(...panels);
}

// ---------------------------------------------------------------- never silently stale

function renderBanners(): void {
  const banners: HTMLElement[] = [];
  const since = confirmedAt === null ? "" : ` Figures shown are as of ${clockText(confirmedAt, force?.timeZone ?? "UTC")}.`;
  if (!connected) {
    banners.push(el("p", { class: "banner breach", "data-kind": "connection" }, badge("breach", "NOT LIVE:"),
      ` connection to the server lost, reconnecting.${since}`));
  } else {
    const heard = sinceHeardMs();
    const beat = (status?.beatSeconds ?? 0) * 1000;
    if (beat > 0 && heard !== null && heard > beat * 3) {
      banners.push(el("p", { class: "banner breach", "data-kind": "silent" }, badge("breach", "NOT CONFIRMED:"),
        ` no word from the server for ${age(heard)}.${since}`));
    }
  }
  if (status?.degraded) {
    banners.push(el("p", { class: "banner warning", "data-kind": "degraded" }, badge("warning", "SERVER DEGRADED:"),
      ` ${status.problems.join("; ")}. Figures may be incomplete.`));
  }
  // Only while the feed is still quiet: a returned alert waits in the panel for its acknowledgement, but the feed is back.
  for (const quiet of [...alerts.values()].filter(a => a.source === "feed-quiet" && a.state !== "resolved" && a.state !== "returned-unacknowledged")) {
    banners.push(el("p", { class: "banner warning", "data-kind": "feed-quiet" }, badge("warning", "FEED QUIET:"), ` ${quiet.message}`, ...lasting(quiet)));
  }
  byId("banners").replaceChildren(...banners);
}

function renderAges(): void {
  const now = serverNow();
  for (const age_ of Array.from(document.querySelectorAll<HTMLElement>(".tile [data-role='age']"))) {
    const tile = age_.closest<HTMLElement>(".tile")!;
    const changed = Number(tile.dataset.changedAt ?? 0);
    const changedText = changed > 0 ? ` · last change ${clockText(changed, force.timeZone)}` : "";
    if (confirmedAt === null) {
      age_.textContent = "no data yet";
    } else {
      const old = now - confirmedAt;
      age_.textContent = `${connected && old < 60_000 ? "● live" : "■ NOT LIVE"} · data ${age(old)} old${changedText}`;
      age_.classList.toggle("stale", !connected || old >= 60_000);
    }
  }
}

function setConnection(text: string, live: boolean): void {
  const line = byId("connection");
  line.textContent = `${live ? "●" : "■"} ${text}`;
  line.className = `status ${live ? "live" : "down"}`;
  connected = live;
  if (!force) return;
  renderBanners();
  renderAges();
}

// ---------------------------------------------------------------- data in

function applyTiles(update: MeasureTile[]): void {
  let changed = false;
  for (const tile of update) {
    if (tile.force !== force.id) continue;
    const key = `${tile.area}/${tile.measure}`;
    const known = tiles.get(key);
    if (known && known.version >= tile.version) continue;
    tiles.set(key, tile);
    noteTile(tile, "push");
    changed = true;
  }
  confirm();
  if (changed) renderAll();
}

function applyQueue(queue: CallQueue): void {
  const known = queues.get(queue.channel);
  if (known && Date.parse(known.asOf) > Date.parse(queue.asOf)) return;
  queues.set(queue.channel, queue);
  noteQueue(queue, "push");
  confirm();
  lineTile(queue.channel === "101" ? "101" : "999");
}

function applyIncidents(view: OpenIncidentsView): void {
  if (view.area !== area() || Date.parse(view.asOf) < incidentsAsOf) return;
  incidents = view.incidents;
  openByGrade = view.openByGrade;
  incidentsAsOf = Date.parse(view.asOf);
  noteIncidents(view.area, view.incidents, view.openByGrade, view.asOf, view.changedAt, "push");
  confirm();
  emergencyTile();
}

function applyStatus(next: BoardStatus): void {
  status = next;
  syncServerClock(next.serverTime);
  confirm();
  renderBanners();
}

function renderAll(): void {
  lineTile("999");
  lineTile("101");
  emergencyTile();
  renderAlerts();
  renderAges();
}

async function limitsOf(areaId: string): Promise<typeof responseLimits> {
  if (!measure("response-emergency-time")) return responseLimits;
  try {
    const chart = await api<Chart>(`/api/charts/${encodeURIComponent(force.id)}/${encodeURIComponent(areaId)}/response-emergency-time?period=day`);
    const last = chart.points.length > 0 ? chart.points[chart.points.length - 1] : null;
    return last ? { cl: last.cl, lcl: last.lcl, ucl: last.ucl } : { cl: null, lcl: null, ucl: null };
  } catch {
    return "unavailable";
  }
}

// Pushes heard while a subscribe is in flight: its snapshot may be older than they are, so once it is in they are
// applied again, through the same checks (a tile's version, a queue's or incidents' asOf, an alert's changedAt),
// and only those newer than the snapshot change anything.
let heardDuringSubscribe: (() => void)[] | null = null;

/** A push handler that also keeps the push for the subscribe in flight, if any. */
function pushed<T>(apply: (push: T) => void): (push: T) => void {
  return push => {
    heardDuringSubscribe?.push(() => apply(push));
    apply(push);
  };
}

// Subscribes are numbered: a rotation and the five-minute refresh can overlap, and only the newest may draw.
let subscribes = 0;

// A snapshot replaces everything the board holds for its areas: after a reconnect nothing old survives.
async function subscribe(): Promise<void> {
  const mine = ++subscribes;
  const target = area();
  const heard: (() => void)[] = [];
  heardDuringSubscribe = heard;
  try {
    await subscribeTo(target, mine, heard);
  } finally {
    if (heardDuringSubscribe === heard) heardDuringSubscribe = null;
  }
}

async function subscribeTo(target: string, mine: number, heard: (() => void)[]): Promise<void> {
  const snapshot = await hub.invoke<LiveSnapshot>("Subscribe", force.id, target);
  const lines = target === forceArea ? snapshot : await hub.invoke<LiveSnapshot>("Subscribe", force.id, forceArea);
  const [current, open, limits] = await Promise.all([
    hub.invoke<BoardStatus>("Status"),
    api<Alert[]>(`/api/alerts/${encodeURIComponent(force.id)}?state=active`),
    limitsOf(target),
  ]);
  if (mine !== subscribes || target !== area()) {
    // A newer subscribe owns the board (a rotation moved on while this refresh was out): draw nothing, and leave
    // an area the board no longer shows.
    if (target !== area() && target !== forceArea) void hub.invoke("Unsubscribe", force.id, target).catch(() => undefined);
    return;
  }

  syncServerClock(snapshot.asOf);
  responseLimits = limits;
  tiles.clear();
  for (const t of [...snapshot.tiles, ...(lines === snapshot ? [] : lines.tiles)]) {
    tiles.set(`${t.area}/${t.measure}`, t);
    noteTile(t, "snapshot");
  }
  queues.clear();
  for (const q of lines.queues) {
    queues.set(q.channel, q);
    noteQueue(q, "snapshot");
  }
  incidents = snapshot.openIncidents;
  openByGrade = snapshot.openIncidentsByGrade;
  incidentsAsOf = Date.parse(snapshot.asOf);
  noteIncidents(target, incidents, openByGrade, snapshot.asOf, snapshot.openIncidentsChangedAt, "snapshot");
  signalling = snapshot.signalling;
  warningLead = snapshot.incidentWarningBeforeMinutes;
  alerts.clear();
  for (const a of open) alerts.set(a.id, a);
  storage = snapshot.storage;
  byId("area-name").textContent = snapshot.areaName;
  byId("storage").textContent = `Storage: ${storage}`;
  document.title = `Monitor: ${snapshot.areaName}`;
  setConnection("live", true);
  applyStatus(current);
  renderAll();
  for (const push of heard) push();
}

async function rotate(): Promise<void> {
  if (hub.state !== HubConnectionState.Connected) return;
  const leaving = area();
  areaIndex = (areaIndex + 1) % areas.length;
  if (leaving !== forceArea) await hub.invoke("Unsubscribe", force.id, leaving);
  await subscribe();
  showRotation();
}

function showRotation(): void {
  const line = byId("rotation");
  const seconds = Number(params.get("rotate"));
  line.hidden = !(seconds > 0 && areas.length > 1);
  line.textContent = `◆ rotating every ${seconds} s · ${areaIndex + 1} of ${areas.length}`;
}

function tick(): void {
  const now = serverNow();
  if (force) {
    byId("clock").textContent = clockText(now, force.timeZone);
    byId("zone").textContent = `${zoneName(now, force.timeZone)} (${force.timeZone})`;
    renderAges();
    tickClocks();
    if (connected) renderBanners();
    takeNewDay(now);
  }
}

// The server turns "today" and "month to date" over at the force's midnight, but pushes a tile only when it counts
// a fact: a quiet line would go on showing yesterday's figures as today's. When the server's clock has passed into
// a day the tiles do not show, the board takes a fresh snapshot (at most every 30 s, should the clocks disagree).
let dayFormat: Intl.DateTimeFormat | null = null;
let newDayAskedAt = Number.NEGATIVE_INFINITY;

function takeNewDay(now: number): void {
  if (hub?.state !== HubConnectionState.Connected || heardDuringSubscribe !== null || Math.abs(now - newDayAskedAt) < 30_000) return;
  dayFormat ??= new Intl.DateTimeFormat("en-CA", { timeZone: force.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const today = dayFormat.format(now);
  for (const tile of tiles.values()) {
    if (tile.today.label !== today) {
      newDayAskedAt = now;
      void subscribe().catch(e => setConnection(`could not refresh: ${(e as Error).message}`, false));
      return;
    }
  }
}

async function main(): Promise<void> {
  startSession((text, live) => setConnection(text, live));
  const forceId = params.get("force") ?? (await api<string[]>("/api/forces"))[0];
  force = await api<ForceDescription>(`/api/forces/${encodeURIComponent(forceId)}`);
  forceArea = force.areas.find(a => a.level === "force")!.id;
  byId("force-name").textContent = force.name;
  const showSignedIn = () => { byId("signed-in").textContent = `· signed in as ${claims().name ?? "unknown"} (${role() ?? "no role"})`; };
  showSignedIn();
  onSignIn(showSignedIn);

  // ?area=a,b,c names the areas a rotating board cycles through; one area rotates through itself and those below it.
  const asked = (params.get("area") ?? forceArea).split(",").map(a => a.trim()).filter(a => force.areas.some(x => x.id === a));
  areas = asked.length > 0 ? asked : [forceArea];
  const rotateSeconds = Number(params.get("rotate"));
  if (rotateSeconds > 0 && areas.length === 1) areas = [areas[0], ...force.areas.filter(a => a.parent === areas[0]).map(a => a.id)];

  hub = buildHub();
  hub.on("tiles", pushed(applyTiles));
  hub.on("queue", pushed(applyQueue));
  hub.on("incidents", pushed(applyIncidents));
  hub.on("alert", pushed((push: AlertPush) => { if (push.force === force.id) { confirm(); applyAlert(push.alert); } }));
  hub.on("status", applyStatus);
  // The server says a push to this board may have been lost (a failed send, or its Redis connection dropped): the
  // figures are read afresh rather than left as they are until the item next changes.
  hub.on("resync", () => {
    if (hub.state === HubConnectionState.Connected) void subscribe().catch(e => setConnection(`could not refresh: ${(e as Error).message}`, false));
  });
  hub.onreconnecting(() => setConnection("connection lost, reconnecting", false));
  hub.onreconnected(() => void subscribe().catch(e => setConnection(`reconnected but could not subscribe: ${(e as Error).message}`, false)));
  hub.onclose(() => {
    // Automatic reconnection gave up (or the token expired): start again, forever.
    setConnection("disconnected, reconnecting", false);
    void connectForever(hub).then(subscribe).catch(e => setConnection(`could not subscribe: ${(e as Error).message}`, false));
  });

  setInterval(tick, 1000);
  // Signals on closed periods are read with the snapshot, not pushed: take a fresh one every few minutes.
  setInterval(() => {
    if (hub.state === HubConnectionState.Connected) void subscribe().catch(e => setConnection(`could not refresh: ${(e as Error).message}`, false));
  }, 5 * 60_000);
  if (rotateSeconds > 0 && areas.length > 1) {
    setInterval(() => void rotate().catch(e => setConnection(`could not change area: ${(e as Error).message}`, false)), rotateSeconds * 1000);
  }
  await connectForever(hub);
  await subscribe();
  showRotation();
  tick();
}

void main().catch(e => setConnection(e instanceof Error ? e.message : String(e), false));
