// @memberflow/browser 0.1.0, built from sdk/js/packages/browser: do not edit here.
// cd sdk/js && npm run build && npm run service-copy
/**
 * @memberflow/browser: runs MX's OAuth window for one memberflow connection in a browser. The
 * page's backend starts (or reconnects) the connection with its backend key; this package opens
 * the window, relays MX's message to memberflow with the connection's browser token, follows
 * memberflow's answers, and reports what the page should show as typed events.
 */
/** A request memberflow refused, with its problem details (RFC 9457), or one that never got there. */
export class MemberflowError extends Error {
    constructor(message, status, problem) {
        super(message);
        this.status = status;
        this.problem = problem;
        this.name = "MemberflowError";
    }
}
const MESSAGE_TYPES = ["oauthComplete/success", "oauthComplete/error"];
/** States after which nothing more happens to the connection. */
const ENDED = ["FAILED", "EXPIRED", "CANCELLED", "CLOSED", "DISCONNECTED"];
/**
 * One connection's sign-in in this page. Each method that opens the window must be called
 * synchronously in a click handler: popup blockers let a window through only there, so it is
 * opened at once and pointed at MX's window once memberflow has it.
 */
export class Memberflow {
    constructor(options) {
        this.options = options;
        this.listener = (event) => this.onMessage(event);
        this.usedUris = new Set();
        this.popup = null;
        this.closed = false;
        /** A request was taken (202) and its window is not out yet: the window waits for it. */
        this.windowPending = false;
        // --- reading memberflow ---
        this.lookAgainMs = 0;
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
    connect(start) {
        return this.withWindow(() => start().then((answer) => this.adopt(answer)));
    }
    /**
     * A member whose token the bank revoked (reauth_required): as connect, with the page's backend
     * asking memberflow for a reconnect (POST /v1/connections/{id}/reconnect).
     */
    reconnect(ask) {
        return this.withWindow(() => ask().then((answer) => this.adopt(answer)));
    }
    /** After login_failed or provider_unavailable: a fresh window. Call it in a click handler. */
    retry() {
        return this.withWindow(() => this.call("POST", "/retry"));
    }
    /** After action_required, once the user acted at the bank: a fresh window. In a click handler. */
    resume() {
        return this.withWindow(() => this.call("POST", "/resume"));
    }
    /** After window_ready: points a new window at the fresh MX window. In a click handler. */
    openWindow() {
        const uri = this.last?.oauth_window_uri;
        if (!uri || this.usedUris.has(uri)) {
            throw new Error("no fresh window to open: an oauth_window_uri is used once, and memberflow has no other now");
        }
        this.popup = this.openPopup();
        this.point(uri);
    }
    /**
     * APP flows: the app was opened with memberflow's return URL
     * (`<scheme>://memberflow/connections/{id}?state=…`, after MX's redirect); the connection is read
     * and reported. A URL naming another connection is refused.
     */
    returned(url) {
        const back = appReturn(url);
        if (!back || back.connectionId !== this.connectionId) {
            return Promise.resolve().then(() => this.fail(new MemberflowError("not a return of this connection: " + url)));
        }
        return this.refresh();
    }
    /**
     * Ends the connection while it is being made: cancelling is the backend's right, so the page's
     * backend asks memberflow (POST /v1/connections/{id}/cancel); the window closes.
     */
    cancel(ask) {
        this.closePopup();
        return ask().then((connection) => this.report(connection), (error) => this.fail(error));
    }
    /**
     * The connection read again and reported: after an APP flow came back into the app (its
     * redirect names the connection), or whenever the page wants to know.
     */
    refresh() {
        return this.call("GET", "").then((connection) => this.report(connection));
    }
    /** For a page that resumes a connection it started earlier (an APP flow back in the app). */
    attach(started) {
        this.connectionId = started.connection_id;
        this.browserToken = started.browser_token;
        return this.report(started);
    }
    /** Stops listening and polling; the window, if open, stays as it is. */
    close() {
        this.closed = true;
        this.host.removeEventListener("message", this.listener);
        this.stopPolling();
    }
    // --- the window ---
    withWindow(ask) {
        this.popup = this.app() ? null : this.openPopup();
        return Promise.resolve()
            .then(ask)
            .then((connection) => this.afterAsk(connection), (error) => {
            this.closePopup();
            return this.fail(error);
        });
    }
    afterAsk(connection) {
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
    openPopup() {
        return this.host.open("", this.options.popupName ?? "memberflow-oauth", this.options.popupFeatures ?? "width=520,height=720");
    }
    /** Sets the window's location to MX's one-time URI exactly as memberflow gave it. */
    point(uri) {
        if (this.app()) {
            this.usedUris.add(uri);
            this.options.openExternal(uri);
            this.emit({ type: "window_opened", connection: this.last }, "window_opened:" + uri);
            this.poll();
            return;
        }
        const popup = this.popup;
        if (!popup || popup.closed) {
            this.fail(new MemberflowError("the browser blocked the sign-in window: allow pop-ups and try again"));
            return;
        }
        this.usedUris.add(uri);
        popup.location.href = uri;
        this.emit({ type: "window_opened", connection: this.last }, "window_opened:" + uri);
        this.poll();
    }
    app() {
        return this.options.referralSource === "APP";
    }
    closePopup() {
        if (this.popup && !this.popup.closed) {
            this.popup.close();
        }
        this.popup = null;
    }
    // --- MX's message ---
    onMessage(event) {
        if (this.closed || event.origin !== this.options.mxOrigin) {
            return;
        }
        const data = event.data;
        if (!data || typeof data !== "object" || data.mx !== true) {
            return;
        }
        if (typeof data.type !== "string" || !MESSAGE_TYPES.includes(data.type)) {
            return;
        }
        // Relayed verbatim: memberflow, not the page, judges what MX said.
        this.call("POST", "/oauth-messages", event.data).then((connection) => this.report(connection), (error) => this.fail(error));
    }
    call(method, suffix, body) {
        if (!this.connectionId || !this.browserToken) {
            return Promise.reject(new MemberflowError("no connection yet: connect() first"));
        }
        const url = this.apiBase + "/v1/connections/" + encodeURIComponent(this.connectionId) + suffix;
        return this.host
            .fetch(url, {
            method,
            headers: {
                Authorization: "Bearer " + this.browserToken,
                "Content-Type": "application/json",
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        })
            .then((response) => this.read(response));
    }
    /** memberflow's answer, or its refusal as an error; a 202's Retry-After sets the next look. */
    read(response) {
        this.lookAgainMs =
            response.status === 202 ? retryAfterMs(response, this.pollEvery) : this.pollEvery;
        return response.json().then((json) => {
            if (!response.ok) {
                const problem = (json ?? {});
                throw new MemberflowError(String(problem.detail ?? "memberflow answered " + response.status), response.status, problem);
            }
            return json;
        });
    }
    /** Reads the connection while something is under way: a 202's request, MX's confirmation, the aggregation. */
    poll() {
        if (this.timer !== undefined || this.closed) {
            return;
        }
        this.timer = this.host.setTimeout(() => {
            this.timer = undefined;
            this.call("GET", "").then((connection) => {
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
            }, (error) => this.fail(error));
        }, this.lookAgainMs || this.pollEvery);
    }
    stopPolling() {
        if (this.timer !== undefined) {
            this.host.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
    /** Tells the page what to do next; the same news twice is told once. */
    report(connection) {
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
        }
        else {
            this.stopPolling();
        }
        if (ENDED.includes(connection.state)) {
            this.closePopup();
        }
        const key = event + ":" + connection.state + ":" + connection.attempt + ":" + connection.aggregation;
        this.emit({ type: event, connection }, key);
        return connection;
    }
    fail(error) {
        const failure = error instanceof MemberflowError
            ? error
            : new MemberflowError(error instanceof Error ? error.message : String(error));
        this.emit({ type: "failed", connection: this.last, error: failure }, undefined);
        throw failure;
    }
    emit(event, key) {
        if (key !== undefined && key === this.lastEvent) {
            return;
        }
        this.lastEvent = key;
        this.options.onEvent?.(event);
    }
    /** Adopts what the backend's start or reconnect answered: its connection and browser token. */
    async adopt(answer) {
        const started = isResponse(answer) ? await this.read(answer) : answer;
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
export function eventFor(connection, usedUris = new Set()) {
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
export function appReturn(url) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/memberflow\/connections\/([^/?#]+)\?(?:.*&)?state=([A-Z_]+)/i.exec(url);
    return match ? { connectionId: decodeURIComponent(match[1]), state: match[2] } : undefined;
}
function isResponse(answer) {
    return typeof answer.json === "function" && "status" in answer;
}
/** A 202 answer's Retry-After in milliseconds, or the fallback. */
export function retryAfterMs(response, fallbackMs) {
    const seconds = Number(response.headers.get("Retry-After"));
    return seconds > 0 ? seconds * 1000 : fallbackMs;
}
function browserHost() {
    const w = globalThis;
    return {
        open: (url, target, features) => w.open(url, target, features),
        addEventListener: (type, listener) => w.addEventListener(type, listener),
        removeEventListener: (type, listener) => w.removeEventListener(type, listener),
        fetch: (url, init) => w.fetch(url, init),
        setTimeout: (callback, ms) => w.setTimeout(callback, ms),
        clearTimeout: (handle) => w.clearTimeout(handle),
    };
}
