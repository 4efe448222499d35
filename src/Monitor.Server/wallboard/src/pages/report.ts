// The quarterly performance summary: the API's report laid out for reading and for printing on A4.
import { api, claims, startSession } from "../lib/session";

interface ReportMonth { period: string; value: number | null; n: number; beyond: string | null; }
interface ReportRun { side: string; months: number; warning: string | null; }
interface ReportRebaseline { period: string; fromMean: number | null; toMean: number | null; }
interface MeasureQuarter {
  measure: string; title: string; unit: string; aggregation: string; area: string; areaName: string; months: ReportMonth[];
  quarterTotal: number | null; previousQuarter: number | null; changePercent: number | null; quarterAverage: number | null;
  sameQuarterLastYear: number | null; monthlyMean: number | null; run: ReportRun | null; beyondLimits: string[]; rebaselines: ReportRebaseline[];
  /** improvement, concern, neutral, comparable or none: the server's reading of the change against the measure's better direction. */
  verdict: string;
}
interface SummaryLine { topic: string; section: string; measures: string[]; quarterTotal: number | null; previousQuarter: number | null; changePercent: number | null; quarterAverage: number | null; direction: string; commentary: string; verdict: string; }
interface DistrictCell { area: string; lastQuarter: number | null; quarterAverage: number | null; shareOfTotalCrime: number | null; ratePer1000: number | null; }
interface DistrictTable { columns: { area: string; name: string; population: number; households: number }[]; rows: { measure: string; title: string; ratePer: "people" | "households"; cells: DistrictCell[] }[]; }
interface QuarterlyReport {
  force: string; forceName: string; quarter: string; title: string; months: string[]; averageBaseline: string;
  summary: SummaryLine[]; districts: DistrictTable; sections: { id: string; title: string; measures: string[] }[]; measures: MeasureQuarter[];
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function status(text: string, error = false): void {
  const line = byId("status");
  line.textContent = text;
  line.classList.toggle("error", error);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function figure(value: number | null, q: { aggregation: string; unit: string } | null = null): string {
  if (value === null) return "–";
  if (q?.aggregation === "proportion") return `${(value * 100).toFixed(1)}%`;
  if (q?.aggregation === "mean") return value.toFixed(1);
  return Math.round(value).toLocaleString("en-GB");
}

/** Changes smaller than this, in percent either way, are "comparable": the server's ReportSummary.ComparableWithinPercent. */
const comparableWithinPercent = 1;

/**
 * A change as the page prints it, the one place for the rule (docs/reports.md). A whole percent, as the force's report
 * writes changes ("a 2% reduction"), halves away from zero as the commentary does (ReportSummary.RoundedPercent):
 * +3.55% is "+4%", -2.5% is "-3%". But a change within 1% is "comparable", and its whole percent must not read as 1%
 * (+0.7% is not "+1%") nor as none (+0.3% is not "+0%"): it gets the fewest decimals that keep it under 1 and above
 * 0, "+0.7%", "-0.96%", "+0.3%", "-0.04%". Zero is "0%".
 */
function percent(change: number | null): string {
  if (change === null) return "–";
  const size = Math.abs(change);
  // toFixed rounds the exact value, ties to the larger magnitude: halves away from zero.
  const misread = (decimals: number) => {
    const printed = Number(size.toFixed(decimals));
    return printed >= comparableWithinPercent || printed === 0;
  };
  let decimals = 0;
  while (size > 0 && size < comparableWithinPercent && misread(decimals) && decimals < 20) decimals++;
  const printed = size.toFixed(decimals);
  return `${change > 0 ? "+" : change < 0 && Number(printed) !== 0 ? "-" : ""}${printed}%`;
}

const monthLabel = (period: string) => `${monthNames[Number(period.slice(5, 7)) - 1]} ${period.slice(2, 4)}`;

function table(head: string[], rows: HTMLTableRowElement[], caption?: string): HTMLTableElement {
  const t = el("table");
  if (caption) t.appendChild(el("caption", caption));
  const tr = el("tr");
  head.forEach((h, i) => { const th = el("th", h, i === 0 ? "text" : undefined); th.scope = "col"; tr.appendChild(th); });
  t.createTHead().appendChild(tr);
  t.createTBody().append(...rows);
  return t;
}

function row(cells: (string | HTMLElement)[], className?: string): HTMLTableRowElement {
  const tr = el("tr", undefined, className);
  cells.forEach((c, i) => {
    const cell = el(i === 0 ? "th" : "td");
    if (i === 0) { cell.scope = "row"; cell.className = "text"; }
    if (typeof c === "string") cell.textContent = c; else cell.appendChild(c);
    tr.appendChild(cell);
  });
  return tr;
}

function section(title: string, id: string, first = false): HTMLElement {
  const s = el("section", undefined, first ? "report-section first" : "report-section");
  s.id = id;
  s.appendChild(el("h2", title));
  return s;
}

function notes(q: MeasureQuarter): HTMLElement {
  const cell = el("span");
  const parts: HTMLElement[] = [];
  if (q.run && q.run.months > 1) parts.push(el("span", `${q.run.months} months ${q.run.side} the monthly mean (${figure(q.monthlyMean, q)})`));
  if (q.run?.warning) parts.push(el("span", q.run.warning, "warning"));
  if (q.beyondLimits.length) parts.push(el("span", `beyond the limits: ${q.beyondLimits.map(monthLabel).join(", ")}`, "warning"));
  for (const r of q.rebaselines) parts.push(el("span", `monthly mean re-baselined in ${monthLabel(r.period)} from ${figure(r.fromMean, q)} to ${figure(r.toMean, q)}`));
  parts.forEach((p, i) => { if (i) cell.appendChild(document.createTextNode("; ")); cell.appendChild(p); });
  return cell;
}

function measureRows(quarters: MeasureQuarter[]): HTMLTableRowElement[] {
  return quarters.map(q => {
    const months = q.months.map(m => { const s = el("span", figure(m.value, q), m.beyond ? "beyond" : undefined); return s; });
    // Coloured by what the change means for this measure (more hate crime reported is an improvement), not by its sign.
    const change = el("span", percent(q.changePercent), q.verdict);
    const tr = row([q.areaName, ...months, figure(q.quarterTotal, q), figure(q.previousQuarter, q), change, figure(q.quarterAverage, q), figure(q.sameQuarterLastYear, q), notes(q)]);
    tr.dataset.measure = q.measure;
    tr.dataset.area = q.area;
    tr.lastElementChild!.className = "notes";
    return tr;
  });
}

function render(report: QuarterlyReport): void {
  document.title = `${report.forceName}: performance summary ${report.title}`;
  byId("force-name").textContent = report.forceName;
  byId("title").textContent = `Performance summary ${report.title}`;
  const main = byId("report");
  const forceArea = report.districts.columns[0]?.area ?? report.force;
  const byKey = new Map(report.measures.map(q => [`${q.area}/${q.measure}`, q]));
  const parents = new Set(report.measures.filter(q => q.area !== forceArea && !report.districts.columns.some(c => c.area === q.area)).map(q => q.area));
  const monthHeads = report.months.map(monthLabel);
  const detailHead = ["Area", ...monthHeads, "Quarter", "Previous", "Change", "Quarter average", "Same quarter last year", "Chart"];

  const summary = section("Summary", "summary", true);
  summary.appendChild(el("p", `Quarter average: ${report.averageBaseline}.`, "baseline"));
  summary.appendChild(table(["Topic", "Quarter", "Previous", "Change", "Data"], report.summary.map(line => {
    const tr = row([line.topic, figure(line.quarterTotal), figure(line.previousQuarter), percent(line.changePercent), el("span", line.commentary, line.verdict)]);
    tr.dataset.topic = line.topic;
    tr.dataset.direction = line.direction;
    tr.dataset.verdict = line.verdict;
    return tr;
  })));
  const sections: HTMLElement[] = [summary];

  // One page per part of the summary: each topic's measures for the force and its policing areas.
  for (const part of [...new Set(report.summary.map(l => l.section))]) {
    const s = section(part, `part-${sections.length}`);
    for (const line of report.summary.filter(l => l.section === part)) {
      for (const measure of line.measures) {
        const quarters = [forceArea, ...parents].map(a => byKey.get(`${a}/${measure}`)).filter((q): q is MeasureQuarter => q !== undefined);
        if (!quarters.length) continue;
        s.appendChild(el("h3", quarters[0].title));
        s.appendChild(table(detailHead, measureRows(quarters)));
      }
    }
    sections.push(s);
  }

  const districts = section("Crime by district", "districts");
  const columns = report.districts.columns;
  const headCells = ["Crime type", ...columns.flatMap(c => [`${c.name}: quarter`, "average", "% of crime", "per 1,000"])];
  districts.appendChild(el("p", `Rates per 1,000 people (per 1,000 households where marked †): ${columns.map(c => `${c.name} ${c.population.toLocaleString("en-GB")} people${c.households > 0 ? `, ${c.households.toLocaleString("en-GB")} households` : ""}`).join("; ")}.`, "baseline"));
  districts.appendChild(table(headCells, report.districts.rows.map(r => {
    const tr = row([r.ratePer === "households" ? `${r.title} †` : r.title, ...r.cells.flatMap(c => [figure(c.lastQuarter), figure(c.quarterAverage),
      c.shareOfTotalCrime === null ? "–" : `${Math.round(c.shareOfTotalCrime)}%`, c.ratePer1000 === null ? "–" : c.ratePer1000.toFixed(1)])]);
    tr.dataset.measure = r.measure;
    return tr;
  })));
  sections.push(districts);

  for (const part of report.sections) {
    const s = section(part.title, part.id);
    const quarters = part.measures.map(m => byKey.get(`${forceArea}/${m}`)).filter((q): q is MeasureQuarter => q !== undefined);
    if (quarters.length === 0) s.appendChild(el("p", "No figures for this quarter."));
    for (const q of quarters) {
      s.appendChild(el("h3", q.title));
      s.appendChild(table(detailHead, measureRows([q])));
    }
    sections.push(s);
  }

  main.replaceChildren(...sections);
  status(`Written from the monthly charts for ${report.quarter}.`);
  document.body.dataset.ready = report.quarter;
}

async function load(): Promise<void> {
  startSession(status);
  byId("print").addEventListener("click", () => window.print());
  // No quarter in the address: the server writes the last one to have ended, by its clock and the force's calendar.
  const quarter = params.get("quarter") ?? "";
  byId<HTMLInputElement>("quarter").value = quarter;
  const force = params.get("force") ?? claims().force;
  if (!force) {
    status("This sign-in names no force: add ?force= to the address.", true);
    return;
  }
  byId<HTMLInputElement>("force").value = force;
  try {
    const report = await api<QuarterlyReport>(`/api/reports/${encodeURIComponent(force)}/quarterly${quarter ? `?quarter=${encodeURIComponent(quarter)}` : ""}`);
    byId<HTMLInputElement>("quarter").value = report.quarter;
    render(report);
  } catch (e) {
    status(`The report could not be written: ${(e as Error).message}`, true);
  }
}

void load();
