/**
 * @memberflow/browser: runs MX's OAuth window for one memberflow connection in a browser. The
 * page's backend starts (or reconnects) the connection with its backend key; this package opens
 * the window, relays MX's message to memberflow with the connection's browser token, follows
 * memberflow's answers, and reports what the page should show as typed events.
 */

/** A connection's state, as memberflow's API names it. */
export type ConnectionState =
  | "STARTING"
  | "AWAITING_OAUTH"
  | "CONFIRMING"
  | "ACTION_REQUIRED"
  | "LOGIN_FAILED"
  | "PROVIDER_UNAVAILABLE"
  | "CONNECTED"
  | "DEGRADED"
  | "REAUTH_REQUIRED"
  | "FAILED"
  | "EXPIRED"
  | "CANCELLED"
  | "CLOSED"
  | "DISCONNECTED";

/** The connection as memberflow answers it (the fields a frontend uses). */
export interface Connection {
  connection_id: string;
  state: ConnectionState;
  attempt: number;
  oauth_window_uri?: string | null;
  last_error_reason?: string | null;
  failure_reason?: string | null;
  failure_detail?: string | null;
  aggregation?: "AGGREGATING" | "DATA_READY" | "FAILED" | "SKIPPED" | null;
  transitions?: unknown[];
  [field: string]: unknown;
}

/** What memberflow answers a start or a reconnect: the connection and its browser token. */
export interface StartedConnection extends Connection {
  browser_token: string;
}

/**
 * What the page's backend answers a start or a reconnect: memberflow's JSON as it came, or the
 * fetch Response that carries it (then its status, problem details and Retry-After count too).
 */
export type BackendAnswer = StartedConnection | ResponseLike;

/** What the page's backend answers a cancel: memberflow's connection, or the fetch Response. */
export type BackendCancelAnswer = Connection | ResponseLike;

/** What the page should show next. */
export type MemberflowEvent =
  /** The sign-in window points at a fresh MX window. */
  | { type: "window_opened"; connection: Connection }
  /** A fresh window is ready after CANCELLED or SESSION_ERROR: call openWindow() in a click. */
  | { type: "window_ready"; connection: Connection }
  /** The user finished at the bank; memberflow asks MX whether the member is connected. */
  | { type: "confirming"; connection: Connection }
  /** MX reports the member connected; its accounts follow. */
  | { type: "connected"; connection: Connection }
  /** MX has fetched the member's accounts and transactions. */
  | { type: "data_ready"; connection: Connection }
  /** IMPEDED: the user must act at the bank's site, then resume(). */
  | { type: "action_required"; connection: Connection }
  /** DENIED: the bank refused the sign-in; retry() opens a fresh window. */
  | { type: "login_failed"; connection: Connection }
  /** PROVIDER_ERROR or SERVER_ERROR: the bank is in trouble; retry() later. */
  | { type: "provider_unavailable"; connection: Connection }
  /** The bank revoked the member's token: reconnect() signs the user in again. */
  | { type: "reauth_required"; connection: Connection }
  /** The connection ended without a member, or a request failed (error says which). */
  | { type: "failed"; connection?: Connection; error?: MemberflowError };

export type MemberflowEventType = MemberflowEvent["type"];

/** A request memberflow refused, with its problem details (RFC 9457), or one that never got there. */
export class MemberflowError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "MemberflowError";
  }
}

/** What the package needs of the browser; a test gives its own. */
export interface Host {
  open(url: string, target: string, features: string): WindowProxyLike | null;
  addEventListener(type: "message", listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEventLike) => void): void;
  fetch(url: string, init: RequestInit): Promise<ResponseLike>;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WindowProxyLike {
  closed: boolean;
  location: { href: string };
  close(): void;
}

export interface MessageEventLike {
  origin: string;
  data: unknown;
  /** The window that posted it: only the sign-in window's messages count. */
  source?: unknown;
}

export interface ResponseLike {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

export interface MemberflowOptions {
  /** Where memberflow's API is; "" (default) is the page's own origin. */
  apiBase?: string;
  /** The only origin whose messages count: MX's widget origin, or the sandbox's. */
  mxOrigin: string;
  /** Called with every event, in order. */
  onEvent?: (event: MemberflowEvent) => void;
  /** How often the connection is read while something is under way (default 2000 ms). */
  pollIntervalMs?: number;
  /** The sign-in window's name and features. */
  popupName?: string;
  popupFeatures?: string;
  /**
   * BROWSER (default): MX's window is a popup and MX posts its message to this page. APP: a native
   * app or a webview started the connection with referral_source APP; MX's window opens with
   * openExternal and MX's redirect comes back into the app through memberflow: hand the URL the
   * app was opened with to returned().
   */
  referralSource?: "BROWSER" | "APP";
  /** APP only: opens MX's window outside the webview (the system browser, an in-app browser tab). */
  openExternal?: (uri: string) => void;
  /** The browser, by default; tests pass their own. */
  host?: Host;
}

const MESSAGE_TYPES = ["oauthComplete/success", "oauthComplete/error"];

/** States after which nothing more happens to the connection. */
const ENDED: ConnectionState[] = ["FAILED", "EXPIRED", "CANCELLED", "CLOSED", "DISCONNECTED"];

/** Answers worth waiting out while reading in the background: a network failure has no status. */
const PASSING = [undefined, 429, 502, 503, 504];
/** How many passing failures in a row are waited out before the page is told. */
const PATIENCE = 5;

/** memberflow's answer: its status tells a 202 (taken, not done) from a request that is done. */
interface Answer<T> {
  status: number;
  body: T;
}

/**
 * One connection's sign-in in this page. Each method that opens the window must be called
 * synchronously in a click handler: popup blockers let a window through only there, so it is
 * opened at once and pointed at MX's window once memberflow has it.
 */
export class Memberflow {
  private readonly host: Host;
  private readonly apiBase: string;
  private readonly pollEvery: number;
  private readonly listener = (event: MessageEventLike) => this.onMessage(event);
  private readonly usedUris = new Set<string>();
  private connectionId?: string;
  private browserToken?: string;
  private popup: WindowProxyLike | null = null;
  private last?: Connection;
  private lastEvent?: string;
  private timer: unknown;
  private lookAgainMs = 0;
  private failuresInARow = 0;
  private closed = false;
  /** A request the page made (connect, retry, …) whose answer is not in yet. */
  private asking = false;
  /**
   * A request was taken (202) and its window is not out yet: the window waits for it. The
   * connection's transitions then tell when it has moved.
   */
  private pending?: { transitions?: number };

  constructor(private readonly options: MemberflowOptions) {
    if (!options.mxOrigin) {
      throw new Error("mxOrigin is required: the only origin whose messages count");
    }
    if (options.referralSource === "APP" && !options.openExternal) {
      throw new Error("openExternal is required with referralSource APP: the app opens MX's window");
    }
    this.host = options.host ?? browserHost();
    this.apiBase = options.apiBase ?? "";
    this.pollEvery = options.pollIntervalMs ?? 2000;
    this.host.addEventListener("message", this.listener);
  }

  /**
   * A new connection: opens the window, then asks the page's backend to start the connection
   * (memberflow's POST /v1/connections, with the backend key), and points the window at the first
   * one. Call it in the click handler. The backend's answer may be memberflow's JSON, or the fetch
   * Response itself: then a 202's Retry-After is followed and a refusal's problem details kept.
   */
  connect(start: () => Promise<BackendAnswer>): Promise<Connection> {
    return this.withWindow(() => start().then((answer) => this.adopt(answer)));
  }

  /**
   * A member whose token the bank revoked (reauth_required): as connect, with the page's backend
   * asking memberflow for a reconnect (POST /v1/connections/{id}/reconnect).
   */
  reconnect(ask: () => Promise<BackendAnswer>): Promise<Connection> {
    return this.withWindow(() => ask().then((answer) => this.adopt(answer)));
  }

  /** After login_failed or provider_unavailable: a fresh window. Call it in a click handler. */
  retry(): Promise<Connection> {
    return this.withWindow(() => this.call("POST", "/retry"));
  }

  /** After action_required, once the user acted at the bank: a fresh window. In a click handler. */
  resume(): Promise<Connection> {
    return this.withWindow(() => this.call("POST", "/resume"));
  }

  /** After window_ready: points a new window at the fresh MX window. In a click handler. */
  openWindow(): void {
    const uri = this.last?.oauth_window_uri;
    if (!uri || this.usedUris.has(uri)) {
      throw new Error(
        "no fresh window to open: an oauth_window_uri is used once, and memberflow has no other now",
      );
    }
    this.popup = this.app() ? null : this.openPopup();
    const blocked = this.point(uri);
    if (blocked) {
      this.fail(blocked);
    }
  }

  /**
   * APP flows: the app was opened with memberflow's return URL
   * (`<scheme>://memberflow/connections/{id}?state=…`, after MX's redirect); the connection is read
   * and reported. A URL naming another connection is refused. An app whose page was reloaded
   * attach()es the connection first.
   */
  returned(url: string): Promise<Connection> {
    const back = appReturn(url);
    if (!back || back.connectionId !== this.connectionId) {
      return Promise.resolve().then(() =>
        this.fail(new MemberflowError("not a return of this connection: " + url)),
      );
    }
    return this.refresh();
  }

  /**
   * Ends the connection while it is being made: cancelling is the backend's right, so the page's
   * backend asks memberflow (POST /v1/connections/{id}/cancel); the window closes.
   */
  cancel(ask: () => Promise<BackendCancelAnswer>): Promise<Connection> {
    this.closePopup();
    this.pending = undefined;
    this.stopPolling();
    return ask()
      .then((answer) => (isResponse(answer) ? this.read<Connection>(answer).then((a) => a.body) : answer))
      .then(
        (connection) => this.report(connection),
        (error) => this.fail(error),
      );
  }

  /**
   * The connection read again and reported: after an APP flow came back into the app, or whenever
   * the page wants to know (a webhook told its backend something).
   */
  refresh(): Promise<Connection> {
    return this.call("GET", "").then(
      (answer) => this.report(answer.body),
      (error) => this.fail(error),
    );
  }

  /**
   * For a page that resumes a connection it started earlier (an app's page reloaded): the
   * connection and its browser token, as the backend answered them.
   */
  attach(started: StartedConnection): Connection {
    const connection = this.adoptToken(started);
    return this.report(connection);
  }

  /** Stops listening, reading and telling; the window, if open, stays as it is. */
  close(): void {
    this.closed = true;
    this.host.removeEventListener("message", this.listener);
    this.stopPolling();
  }

  // --- the window ---

  private withWindow(ask: () => Promise<Answer<Connection>>): Promise<Connection> {
    if (this.asking) {
      // A second click while the first is under way: the window is already the first's.
      return Promise.reject(new MemberflowError("a request for this connection is under way"));
    }
    this.asking = true;
    this.popup = this.app() ? null : this.openPopup();
    return Promise.resolve()
      .then(ask)
      .then(
        (answer) => {
          this.asking = false;
          return this.afterAsk(answer.body, answer.status === 202);
        },
        (error) => {
          this.asking = false;
          this.closePopup();
          return this.fail(error);
        },
      );
  }

  /** What a request the page made was answered; taken means 202: its window comes later. */
  private afterAsk(connection: Connection, taken: boolean): Connection {
    this.last = connection;
    const uri = connection.oauth_window_uri;
    if (uri && !this.usedUris.has(uri)) {
      const blocked = this.point(uri);
      return blocked ? this.fail(blocked) : connection;
    }
    if (taken) {
      this.pending = { transitions: transitionsOf(connection) };
      this.poll();
      return connection;
    }
    this.closePopup();
    return this.report(connection);
  }

  private openPopup(): WindowProxyLike | null {
    return this.host.open(
      "",
      this.options.popupName ?? "memberflow-oauth",
      this.options.popupFeatures ?? "width=520,height=720",
    );
  }

  /**
   * Sets the window's location to MX's one-time URI exactly as memberflow gave it; the error when
   * there is no window to point (the browser blocked it, or the user closed it).
   */
  private point(uri: string): MemberflowError | undefined {
    if (this.closed) {
      return undefined;
    }
    if (this.app()) {
      this.usedUris.add(uri);
      this.options.openExternal!(uri);
    } else {
      const popup = this.popup;
      if (!popup || popup.closed) {
        this.stopPolling();
        return new MemberflowError(
          "the browser blocked the sign-in window: allow pop-ups and try again",
        );
      }
      this.usedUris.add(uri);
      popup.location.href = uri;
    }
    this.emit({ type: "window_opened", connection: this.last! }, "window_opened:" + uri);
    this.poll();
    return undefined;
  }

  private app(): boolean {
    return this.options.referralSource === "APP";
  }

  private closePopup(): void {
    if (this.popup && !this.popup.closed) {
      this.popup.close();
    }
    this.popup = null;
  }

  // --- MX's message ---

  private onMessage(event: MessageEventLike): void {
    // Only MX, only from the window this page opened for it, only while that window is ours.
    if (this.closed || event.origin !== this.options.mxOrigin) {
      return;
    }
    if (!this.popup || event.source !== this.popup) {
      return;
    }
    const data = event.data as { mx?: unknown; type?: unknown } | null;
    if (!data || typeof data !== "object" || data.mx !== true) {
      return;
    }
    if (typeof data.type !== "string" || !MESSAGE_TYPES.includes(data.type)) {
      return;
    }
    // Relayed verbatim: memberflow, not the page, judges what MX said.
    this.call("POST", "/oauth-messages", event.data).then(
      (answer) => this.report(answer.body),
      (error) => this.onBackgroundError(error),
    );
  }

  // --- reading memberflow ---

  private call(method: string, suffix: string, body?: unknown): Promise<Answer<Connection>> {
    if (!this.connectionId || !this.browserToken) {
      return Promise.reject(new MemberflowError("no connection yet: connect() first"));
    }
    const url =
      this.apiBase + "/v1/connections/" + encodeURIComponent(this.connectionId) + suffix;
    return this.host
      .fetch(url, {
        method,
        headers: {
          Authorization: "Bearer " + this.browserToken,
          "Content-Type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      .then(
        (response) => this.read<Connection>(response),
        (error) => {
          throw new MemberflowError("memberflow did not answer: " + messageOf(error));
        },
      );
  }

  /**
   * memberflow's answer, or its refusal as an error with the problem details; a 202's, 429's or
   * 503's Retry-After sets the next look.
   */
  private read<T>(response: ResponseLike): Promise<Answer<T>> {
    this.lookAgainMs = [202, 429, 503].includes(response.status)
      ? retryAfterMs(response, this.pollEvery)
      : this.pollEvery;
    return response.json().then(
      (json) => {
        if (!response.ok) {
          const problem = (json ?? {}) as Record<string, unknown>;
          throw new MemberflowError(
            String(problem.detail ?? "memberflow answered " + response.status),
            response.status,
            problem,
          );
        }
        return { status: response.status, body: json as T };
      },
      () => {
        // Not JSON: a proxy's page, most likely; the status is what there is to tell.
        throw new MemberflowError("memberflow answered " + response.status, response.status);
      },
    );
  }

  /** Reads the connection while something is under way: a 202's request, MX's confirmation, the aggregation. */
  private poll(): void {
    if (this.timer !== undefined || this.closed) {
      return;
    }
    this.timer = this.host.setTimeout(() => {
      this.timer = undefined;
      this.call("GET", "").then(
        (answer) => this.afterRead(answer.body),
        (error) => this.onBackgroundError(error),
      );
    }, this.lookAgainMs || this.pollEvery);
  }

  private afterRead(connection: Connection): void {
    this.failuresInARow = 0;
    const pending = this.pending;
    if (pending === undefined) {
      this.report(connection);
      return;
    }
    const uri = connection.oauth_window_uri;
    if (uri && !this.usedUris.has(uri) && !this.isStale(connection)) {
      this.pending = undefined;
      this.last = connection;
      const blocked = this.point(uri);
      if (blocked) {
        this.tell({ type: "failed", connection, error: blocked });
      }
    } else if (!movedSince(connection, pending.transitions)) {
      // The request taken has not moved the connection yet.
      this.poll();
    } else {
      this.pending = undefined;
      this.report(connection);
    }
  }

  /**
   * A request that failed while nothing in the page waited on it (a relay, a read): a passing
   * failure is waited out; a 409 carries the connection as it is; anything else is told.
   */
  private onBackgroundError(error: unknown): void {
    if (this.closed) {
      return;
    }
    const failure = asMemberflowError(error);
    const connection = failure.problem?.connection as Connection | undefined;
    if (failure.status === 409 && connection) {
      this.report(connection);
    } else if (PASSING.includes(failure.status) && ++this.failuresInARow < PATIENCE) {
      this.poll();
    } else {
      this.failuresInARow = 0;
      this.tell({ type: "failed", connection: this.last, error: failure });
    }
  }

  private stopPolling(): void {
    if (this.timer !== undefined) {
      this.host.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** An answer older than one already told (a slow relay overtaken by a read) says nothing new. */
  private isStale(connection: Connection): boolean {
    const now = transitionsOf(connection);
    const told = this.last && transitionsOf(this.last);
    return now !== undefined && told !== undefined && now < told;
  }

  /** Tells the page what to do next; the same news twice is told once. */
  private report(connection: Connection): Connection {
    if (this.closed || this.isStale(connection)) {
      return this.last ?? connection;
    }
    this.last = connection;
    const event = eventFor(connection, this.usedUris);
    if (event === undefined) {
      // Still under way: the window is out, or a request is being acted on.
      this.poll();
      return connection;
    }
    if (event === "confirming" || connection.aggregation === "AGGREGATING") {
      this.poll();
    } else {
      this.stopPolling();
    }
    if (ENDED.includes(connection.state)) {
      this.closePopup();
    }
    const key =
      event + ":" + connection.state + ":" + connection.attempt + ":" + connection.aggregation;
    this.emit({ type: event, connection } as MemberflowEvent, key);
    return connection;
  }

  /** A request the page made failed: the page is told, and the promise it holds rejects. */
  private fail(error: unknown): never {
    const failure = asMemberflowError(error);
    this.tell({ type: "failed", connection: this.last, error: failure });
    throw failure;
  }

  private tell(event: MemberflowEvent): void {
    this.emit(event, undefined);
  }

  private emit(event: MemberflowEvent, key: string | undefined): void {
    if (this.closed || (key !== undefined && key === this.lastEvent)) {
      return;
    }
    this.lastEvent = key;
    this.options.onEvent?.(event);
  }

  /** Adopts what the backend's start or reconnect answered: its connection and browser token. */
  private async adopt(answer: BackendAnswer): Promise<Answer<Connection>> {
    if (isResponse(answer)) {
      const read = await this.read<StartedConnection>(answer);
      return { status: read.status, body: this.adoptToken(read.body) };
    }
    const connection = this.adoptToken(answer);
    // memberflow's JSON without its status: a connection still starting was taken, not done.
    return { status: connection.state === "STARTING" ? 202 : 200, body: connection };
  }

  /** Keeps the browser token to itself: the events and the promises carry the connection only. */
  private adoptToken(started: StartedConnection): Connection {
    if (!started || !started.connection_id || !started.browser_token) {
      throw new MemberflowError("the backend answered without connection_id and browser_token");
    }
    const { browser_token, ...connection } = started;
    this.connectionId = connection.connection_id;
    this.browserToken = browser_token;
    return connection;
  }
}

/**
 * The event a connection calls for, or undefined while it is under way (a window out and not
 * answered, a request being acted on).
 */
export function eventFor(
  connection: Connection,
  usedUris: ReadonlySet<string> = new Set(),
): MemberflowEventType | undefined {
  switch (connection.state) {
    case "STARTING":
      return undefined;
    case "AWAITING_OAUTH":
      return connection.oauth_window_uri && !usedUris.has(connection.oauth_window_uri)
        && usedUris.size > 0
        ? "window_ready"
        : undefined;
    case "CONFIRMING":
      return "confirming";
    case "CONNECTED":
      return connection.aggregation === "DATA_READY" ? "data_ready" : "connected";
    case "DEGRADED":
      return "connected";
    case "ACTION_REQUIRED":
      return "action_required";
    case "LOGIN_FAILED":
      return "login_failed";
    case "PROVIDER_UNAVAILABLE":
      return "provider_unavailable";
    case "REAUTH_REQUIRED":
      return "reauth_required";
    default:
      return "failed";
  }
}

/**
 * The connection an app was sent back to after an APP flow
 * (`<scheme>://memberflow/connections/{id}?state=…`), or undefined for any other URL.
 */
export function appReturn(url: string): { connectionId: string; state: string } | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/memberflow\/connections\/([^/?#]+)\?(?:.*&)?state=([A-Z_]+)/i.exec(url);
  return match ? { connectionId: decodeURIComponent(match[1]), state: match[2] } : undefined;
}

function isResponse(answer: BackendAnswer | BackendCancelAnswer): answer is ResponseLike {
  return typeof (answer as ResponseLike).json === "function" && "status" in answer;
}

/** A 202 answer's Retry-After in milliseconds, or the fallback. */
export function retryAfterMs(response: ResponseLike, fallbackMs: number): number {
  const seconds = Number(response.headers.get("Retry-After"));
  return seconds > 0 ? seconds * 1000 : fallbackMs;
}

function browserHost(): Host {
  const w = globalThis as unknown as Window & typeof globalThis;
  return {
    open: (url, target, features) => w.open(url, target, features),
    addEventListener: (type, listener) =>
      w.addEventListener(type, listener as unknown as EventListener),
    removeEventListener: (type, listener) =>
      w.removeEventListener(type, listener as unknown as EventListener),
    fetch: (url, init) => w.fetch(url, init),
    setTimeout: (callback, ms) => w.setTimeout(callback, ms),
    clearTimeout: (handle) => w.clearTimeout(handle as number),
  };
}

/** memberflow counts every change of state in transitions: their number orders its answers. */
function transitionsOf(connection: Connection): number | undefined {
  return Array.isArray(connection.transitions) ? connection.transitions.length : undefined;
}

function movedSince(connection: Connection, transitions: number | undefined): boolean {
  const now = transitionsOf(connection);
  return now === undefined || transitions === undefined
    ? connection.state !== "STARTING"
    : now > transitions;
}

function asMemberflowError(error: unknown): MemberflowError {
  return error instanceof MemberflowError ? error : new MemberflowError(messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
