// What every page shares: the signed-in token, calls to the API, and a hub connection that never gives up.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

const tokenKey = "monitor.access_token";

/** Reports a problem the person must see (a banner, a status line); the page decides where it goes. */
export type StatusReporter = (text: string, live: boolean) => void;

let token = "";
let report: StatusReporter = () => {};

// The token comes from ?access_token= once (then leaves the address bar, so it is neither bookmarked nor
// shown) or from a prompt; it is kept for this tab only, in sessionStorage.
function takeToken(): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("access_token");
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    params.delete("access_token");
    const rest = params.toString();
    history.replaceState(null, "", rest ? `${location.pathname}?${rest}` : location.pathname);
  }
  return sessionStorage.getItem(tokenKey);
}

// A dismissed prompt leaves the old token: the caller says what happens next, since only the first sign-in
// needs a reload (a refused token is asked for again at the next reconnect attempt, an API call at the next call).
function signIn(reason: string): string | null {
  const entered = window.prompt(`${reason}\nPaste your Monitor access token (from your administrator or \`monitor token\`):`)?.trim();
  if (!entered) return null;
  sessionStorage.setItem(tokenKey, entered);
  // The page says who is signed in; a new token can be someone else's.
  queueMicrotask(() => signedIn());
  return entered;
}

let signedIn: () => void = () => {};

/** Called after a sign-in replaced the token, so that the page can show who is signed in now. */
export function onSignIn(handler: () => void): void {
  signedIn = handler;
}

/** The claims the page needs to decide what to show; the server decides what is allowed. */
export interface Claims { name: string | null; role: string | null; force: string | null; }

export function claims(): Claims {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(atob(payload)) as Record<string, unknown>;
    const text = (key: string) => (typeof json[key] === "string" ? (json[key] as string) : null);
    return {
      name: text("name") ?? text("sub"),
      role: text("role") ?? text("http://schemas.microsoft.com/ws/2008/06/identity/claims/role"),
      force: text("force"),
    };
  } catch {
    return { name: null, role: null, force: null };
  }
}

/** Signs in from the address bar, the tab's storage or a prompt. Call once, before anything else. */
export function startSession(reporter: StatusReporter): void {
  report = reporter;
  const first = takeToken() ?? signIn("Monitor needs you to sign in.");
  if (first === null) {
    report("not signed in: reload the page to sign in", false);
    throw new Error("not signed in");
  }
  token = first;
}

/**
 * Whether the server refuses the token (401), asked of the server itself: a failed hub connect says only that
 * negotiation failed, and a token's expiry read against this screen's clock is wrong on a TV whose clock is
 * wrong (ahead, it asked for a new token while the old one was good; behind, it retried a dead one forever as
 * an outage). An unreachable server is not a refusal.
 */
async function tokenRefused(): Promise<boolean> {
  try {
    const response = await fetch("/api/forces", { headers: { Authorization: `Bearer ${token}` } });
    return response.status === 401;
  } catch {
    return false;
  }
}

/** Asks for a token in place of the refused one; false when the prompt was dismissed (the next attempt asks again). */
function replaceRefusedToken(): boolean {
  sessionStorage.removeItem(tokenKey);
  const entered = signIn("Your sign-in was refused (expired, or the server's key has changed).");
  if (entered === null) {
    report("not signed in: the sign-in is asked for again at the next reconnect attempt", false);
    return false;
  }
  token = entered;
  return true;
}

// Set when an automatic reconnect fails; the next attempt asks the server whether the token was the reason.
let reconnectFailed = false;

// The hub asks for the token on every (re)connect: one the server refuses is replaced instead of retried.
async function currentToken(): Promise<string> {
  if (reconnectFailed) {
    reconnectFailed = false;
    if (await tokenRefused()) replaceRefusedToken();
  }
  return token;
}

/** An error the API answered with a problem document. */
export class ApiError extends Error {
  constructor(public readonly status: number, message: string) { super(message); }
}

// Every API call carries the token; a 401 (missing, expired or bad token) asks for a new one once.
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    if (response.status === 401 && attempt === 0) {
      sessionStorage.removeItem(tokenKey);
      const entered = signIn("Your sign-in is missing or has expired.");
      if (entered === null) throw new ApiError(401, "not signed in");
      token = entered;
      continue;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => null) as { title?: string; detail?: string } | null;
      throw new ApiError(response.status, `${response.status} ${problem?.title ?? response.statusText}${problem?.detail ? `: ${problem.detail}` : ""}`);
    }
    return response.status === 204 ? (undefined as T) : await response.json() as T;
  }
}

/** Back-off for every retry: half a second doubling to 30 s, forever. */
export const retryDelay = (attempt: number) => Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));

/** Every message the hub sends (docs/api.md, "Hub /hubs/wallboard"). */
const hubMessages = ["tiles", "queue", "incidents", "alert", "status", "resync"];

/**
 * A connection to the wallboard hub that retries for ever. Each page adds handlers for the messages it draws; every
 * other message is taken here, or the client would log a warning for each one (a status beat every 5 s, every change
 * of a line's queue).
 */
export function buildHub(): HubConnection {
  const connection = new HubConnectionBuilder()
    .withUrl("/hubs/wallboard", { accessTokenFactory: currentToken })
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: ctx => {
        if (ctx.previousRetryCount > 0) reconnectFailed = true;
        return retryDelay(ctx.previousRetryCount);
      },
    })
    .configureLogging(LogLevel.Warning)
    .build();
  for (const name of hubMessages) connection.on(name, () => {});
  return connection;
}

// The first connection retries forever too: a board started before the server must come up by itself.
export async function connectForever(connection: HubConnection): Promise<void> {
  for (let attempt = 0; connection.state !== HubConnectionState.Connected; attempt++) {
    try {
      await connection.start();
    } catch {
      // A refused token is not an outage: ask for another instead of retrying the same one forever.
      if (await tokenRefused()) {
        if (replaceRefusedToken()) continue;
      } else {
        report("server unreachable, retrying", false);
      }
      await new Promise(r => setTimeout(r, retryDelay(attempt)));
    }
  }
}
