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
/** Answers worth waiting out while reading in the background: a network failure has no status. */
const PASSING = [undefined, 429, 502, 503, 504];
/** How many passing failures in a row are waited out before the page is told. */
const PATIENCE = 5;
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
        this.lookAgainMs = 0;
        this.failuresInARow = 0;
        this.closed = false;
        /** A request the page made (connect, retry, …) whose answer is not in yet. */
        this.asking = false;
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
        this.pending = undefined;
        this.stopPolling();
        return ask()
            .then((answer) => (isResponse(answer) ? this.read(answer).then((a) => a.body) : answer))
            .then((connection) => this.report(connection), (error) => this.fail(error));
    }
    /**
     * The connection read again and reported: after an APP flow came back into the app, or whenever
     * the page wants to know (a webhook told its backend something).
     */
    refresh() {
        return this.call("GET", "").then((answer) => this.report(answer.body), (error) => this.fail(error));
    }
    /**
     * For a page that resumes a connection it started earlier (an app's page reloaded): the
     * connection and its browser token, as the backend answered them.
     */
    attach(started) {
        const connection = this.adoptToken(started);
        return this.report(connection);
    }
    /** Stops listening, reading and telling; the window, if open, stays as it is. */
    close() {
        this.closed = true;
        this.host.removeEventListener("message", this.listener);
        this.stopPolling();
    }
    // --- the window ---
    withWindow(ask) {
        if (this.asking) {
            // A second click while the first is under way: the window is already the first's.
            return Promise.reject(new MemberflowError("a request for this connection is under way"));
        }
        this.asking = true;
        this.popup = this.app() ? null : this.openPopup();
        return Promise.resolve()
            .then(ask)
            .then((answer) => {
            this.asking = false;
            return this.afterAsk(answer.body, answer.status === 202);
        }, (error) => {
            this.asking = false;
            this.closePopup();
            return this.fail(error);
        });
    }
    /** What a request the page made was answered; taken means 202: its window comes later. */
    afterAsk(connection, taken) {
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
    openPopup() {
        return this.host.open("", this.options.popupName ?? "memberflow-oauth", this.options.popupFeatures ?? "width=520,height=720");
    }
    /**
     * Sets the window's location to MX's one-time URI exactly as memberflow gave it; the error when
     * there is no window to point (the browser blocked it, or the user closed it).
     */
    point(uri) {
        if (this.closed) {
            return undefined;
        }
        if (this.app()) {
            this.usedUris.add(uri);
            this.options.openExternal(uri);
        }
        else {
            const popup = this.popup;
            if (!popup || popup.closed) {
                this.stopPolling();
                return new MemberflowError("the browser blocked the sign-in window: allow pop-ups and try again");
            }
            this.usedUris.add(uri);
            popup.location.href = uri;
        }
        this.emit({ type: "window_opened", connection: this.last }, "window_opened:" + uri);
        this.poll();
        return undefined;
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
        // Only MX, only from the window this page opened for it, only while that window is ours.
        if (this.closed || event.origin !== this.options.mxOrigin) {
            return;
        }
        if (!this.popup || event.source !== this.popup) {
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
        this.call("POST", "/oauth-messages", event.data).then((answer) => this.report(answer.body), (error) => this.onBackgroundError(error));
    }
    // --- reading memberflow ---
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
            .then((response) => this.read(response), (error) => {
            throw new MemberflowError("memberflow did not answer: " + messageOf(error));
        });
    }
    /**
     * memberflow's answer, or its refusal as an error with the problem details; a 202's, 429's or
     * 503's Retry-After sets the next look.
     */
    read(response) {
        this.lookAgainMs = [202, 429, 503].includes(response.status)
            ? retryAfterMs(response, this.pollEvery)
            : this.pollEvery;
        return response.json().then((json) => {
            if (!response.ok) {
                const problem = (json ?? {});
                throw new MemberflowError(String(problem.detail ?? "memberflow answered " + response.status), response.status, problem);
            }
            return { status: response.status, body: json };
        }, () => {
            // Not JSON: a proxy's page, most likely; the status is what there is to tell.
            throw new MemberflowError("memberflow answered " + response.status, response.status);
        });
    }
    /** Reads the connection while something is under way: a 202's request, MX's confirmation, the aggregation. */
    poll() {
        if (this.timer !== undefined || this.closed) {
            return;
        }
        this.timer = this.host.setTimeout(() => {
            this.timer = undefined;
            this.call("GET", "").then((answer) => this.afterRead(answer.body), (error) => this.onBackgroundError(error));
        }, this.lookAgainMs || this.pollEvery);
    }
    afterRead(connection) {
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
        }
        else if (!movedSince(connection, pending.transitions)) {
            // The request taken has not moved the connection yet.
            this.poll();
        }
        else {
            this.pending = undefined;
            this.report(connection);
        }
    }
    /**
     * A request that failed while nothing in the page waited on it (a relay, a read): a passing
     * failure is waited out; a 409 carries the connection as it is; anything else is told.
     */
    onBackgroundError(error) {
        if (this.closed) {
            return;
        }
        const failure = asMemberflowError(error);
        const connection = failure.problem?.connection;
        if (failure.status === 409 && connection) {
            this.report(connection);
        }
        else if (PASSING.includes(failure.status) && ++this.failuresInARow < PATIENCE) {
            this.poll();
        }
        else {
            this.failuresInARow = 0;
            this.tell({ type: "failed", connection: this.last, error: failure });
        }
    }
    stopPolling() {
        if (this.timer !== undefined) {
            this.host.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
    /** An answer older than one already told (a slow relay overtaken by a read) says nothing new. */
    isStale(connection) {
        const now = transitionsOf(connection);
        const told = this.last && transitionsOf(this.last);
        return now !== undefined && told !== undefined && now < told;
    }
    /** Tells the page what to do next; the same news twice is told once. */
    report(connection) {
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
    /** A request the page made failed: the page is told, and the promise it holds rejects. */
    fail(error) {
        const failure = asMemberflowError(error);
        this.tell({ type: "failed", connection: this.last, error: failure });
        throw failure;
    }
    tell(event) {
        this.emit(event, undefined);
    }
    emit(event, key) {
        if (this.closed || (key !== undefined && key === this.lastEvent)) {
            return;
        }
        this.lastEvent = key;
        this.options.onEvent?.(event);
    }
    /** Adopts what the backend's start or reconnect answered: its connection and browser token. */
    async adopt(answer) {
        if (isResponse(answer)) {
            const read = await this.read(answer);
            return { status: read.status, body: this.adoptToken(read.body) };
        }
        const connection = this.adoptToken(answer);
        // memberflow's JSON without its status: a connection still starting was taken, not done.
        return { status: connection.state === "STARTING" ? 202 : 200, body: connection };
    }
    /** Keeps the browser token to itself: the events and the promises carry the connection only. */
    adoptToken(started) {
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
/** memberflow counts every change of state in transitions: their number orders its answers. */
function transitionsOf(connection) {
    return Array.isArray(connection.transitions) ? connection.transitions.length : undefined;
}
function movedSince(connection, transitions) {
    const now = transitionsOf(connection);
    return now === undefined || transitions === undefined
        ? connection.state !== "STARTING"
        : now > transitions;
}
function asMemberflowError(error) {
    return error instanceof MemberflowError ? error : new MemberflowError(messageOf(error));
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}
