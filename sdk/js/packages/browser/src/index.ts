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
  private closed = false;
  /** A request was taken (202) and its window is not out yet: the window waits for it. */
  private windowPending = false;

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
    this.popup = this.openPopup();
    this.point(uri);
  }

  /**
   * APP flows: the app was opened with memberflow's return URL
   * (`<scheme>://memberflow/connections/{id}?state=…`, after MX's redirect); the connection is read
   * and reported. A URL naming another connection is refused.
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
  cancel(ask: () => Promise<Connection>): Promise<Connection> {
    this.closePopup();
    return ask().then(
      (connection) => this.report(connection),
      (error) => this.fail(error),
    );
  }

  /**
   * The connection read again and reported: after an APP flow came back into the app (its
   * redirect names the connection), or whenever the page wants to know.
   */
  refresh(): Promise<Connection> {
    return this.call("GET", "").then((connection) => this.report(connection));
  }

  /** For a page that resumes a connection it started earlier (an APP flow back in the app). */
  attach(started: StartedConnection): Connection {
    this.connectionId = started.connection_id;
    this.browserToken = started.browser_token;
    return this.report(started);
  }

  /** Stops listening and polling; the window, if open, stays as it is. */
  close(): void {
    this.closed = true;
    this.host.removeEventListener("message", this.listener);
    this.stopPolling();
  }

  // --- the window ---

  private withWindow(ask: () => Promise<Connection>): Promise<Connection> {
    this.popup = this.app() ? null : this.openPopup();
    return Promise.resolve()
      .then(ask)
      .then(
        (connection) => this.afterAsk(connection),
        (error) => {
          this.closePopup();
          return this.fail(error);
        },
      );
  }

  private afterAsk(connection: Connection): Connection {
    if (connection.oauth_window_uri && !this.usedUris.has(connection.oauth_window_uri)) {
      this.last = connection;
      this.point(connection.oauth_window_uri);
      return connection;
    }
    if (connection.state === "STARTING" || connection.state === "AWAITING_OAUTH") {
      // Taken, no window yet (a 202): read until it is out.
      this.last = connection;
      this.windowPending = true;
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

  /** Sets the window's location to MX's one-time URI exactly as memberflow gave it. */
  private point(uri: string): void {
    if (this.app()) {
      this.usedUris.add(uri);
      this.options.openExternal!(uri);
      this.emit({ type: "window_opened", connection: this.last! }, "window_opened:" + uri);
      this.poll();
      return;
    }
    const popup = this.popup;
    if (!popup || popup.closed) {
      this.fail(
        new MemberflowError("the browser blocked the sign-in window: allow pop-ups and try again"),
      );
      return;
    }
    this.usedUris.add(uri);
    popup.location.href = uri;
    this.emit({ type: "window_opened", connection: this.last! }, "window_opened:" + uri);
    this.poll();
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
    if (this.closed || event.origin !== this.options.mxOrigin) {
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
      (connection) => this.report(connection),
      (error) => this.fail(error),
    );
  }

  // --- reading memberflow ---

  private lookAgainMs = 0;

  private call(method: string, suffix: string, body?: unknown): Promise<Connection> {
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
      .then((response) => this.read<Connection>(response));
  }

  /** memberflow's answer, or its refusal as an error; a 202's Retry-After sets the next look. */
  private read<T>(response: ResponseLike): Promise<T> {
    this.lookAgainMs =
      response.status === 202 ? retryAfterMs(response, this.pollEvery) : this.pollEvery;
    return response.json().then((json) => {
      if (!response.ok) {
        const problem = (json ?? {}) as Record<string, unknown>;
        throw new MemberflowError(
          String(problem.detail ?? "memberflow answered " + response.status),
          response.status,
          problem,
        );
      }
      return json as T;
    });
  }

  /** Reads the connection while something is under way: a 202's request, MX's confirmation, the aggregation. */
  private poll(): void {
    if (this.timer !== undefined || this.closed) {
      return;
    }
    this.timer = this.host.setTimeout(() => {
      this.timer = undefined;
      this.call("GET", "").then(
        (connection) => {
          if (this.windowPending && connection.oauth_window_uri) {
            this.windowPending = false;
            this.last = connection;
            this.point(connection.oauth_window_uri);
            return;
          }
          if (this.windowPending && connection.state === "STARTING") {
            this.poll();
            return;
          }
          this.windowPending = false;
          this.report(connection);
        },
        (error) => this.fail(error),
      );
    }, this.lookAgainMs || this.pollEvery);
  }

  private stopPolling(): void {
    if (this.timer !== undefined) {
      this.host.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Tells the page what to do next; the same news twice is told once. */
  private report(connection: Connection): Connection {
    if (this.closed) {
      return connection;
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

  private fail(error: unknown): Connection {
    const failure =
      error instanceof MemberflowError
        ? error
        : new MemberflowError(error instanceof Error ? error.message : String(error));
    this.emit({ type: "failed", connection: this.last, error: failure }, undefined);
    throw failure;
  }

  private emit(event: MemberflowEvent, key: string | undefined): void {
    if (key !== undefined && key === this.lastEvent) {
      return;
    }
    this.lastEvent = key;
    this.options.onEvent?.(event);
  }

  /** Adopts what the backend's start or reconnect answered: its connection and browser token. */
  private async adopt(answer: BackendAnswer): Promise<Connection> {
    const started = isResponse(answer) ? await this.read<StartedConnection>(answer) : answer;
    if (!started || !started.connection_id || !started.browser_token) {
      throw new MemberflowError("the backend answered without connection_id and browser_token");
    }
    this.connectionId = started.connection_id;
    this.browserToken = started.browser_token;
    return started;
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

function isResponse(answer: BackendAnswer): answer is ResponseLike {
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
