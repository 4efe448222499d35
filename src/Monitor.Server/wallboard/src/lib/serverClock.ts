// The monitor's clock as the board sees it. The server may run a clock of its own (a test's fake clock, a
// replay), and a TV's clock drifts: every clock on the board ticks from the last server time heard, plus the
// time elapsed in the browser since.

let offsetMs = 0;
let heardAt: number | null = null;

/** Adopts a server timestamp (the snapshot's asOf, a status beat's serverTime) as now. */
export function syncServerClock(serverTime: string): void {
  const server = Date.parse(serverTime);
  if (Number.isNaN(server)) return;
  offsetMs = server - Date.now();
  heardAt = Date.now();
}

/** The server's now, in milliseconds since the epoch. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** How long since the server's time was last heard (null: never). */
export function sinceHeardMs(): number | null {
  return heardAt === null ? null : Date.now() - heardAt;
}

/** Minutes and seconds (or hours, minutes and seconds) of a span: 4:07, 1:02:09. */
export function span(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => n.toString().padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** A span in words for ages: 12 s, 4 min, 2 h 5 min. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A 24-hour time in the force's zone. */
export function clockText(at: number, timeZone: string, seconds = true): string {
  return new Date(at).toLocaleTimeString("en-GB", {
    timeZone, hour12: false, hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}),
  });
}

/** The zone's short name at that instant (GMT, BST). */
export function zoneName(at: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" }).formatToParts(new Date(at))
    .find(p => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}
