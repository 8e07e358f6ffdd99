import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  Connection,
  Host,
  Memberflow,
  MemberflowEvent,
  MessageEventLike,
  ResponseLike,
  StartedConnection,
  WindowProxyLike,
} from "../src/index.js";

const MX = "https://int-widgets.moneydesktop.com";

/** A browser the test drives: its popups, its message listener, memberflow's answers, its timers. */
class FakeBrowser implements Host {
  readonly popups: { url: string; window: WindowProxyLike }[] = [];
  readonly requests: { method: string; url: string; auth: string; body?: string }[] = [];
  readonly answers: { status: number; body: unknown; retryAfter?: string }[] = [];
  readonly timers: { id: number; callback: () => void; ms: number }[] = [];
  private nextTimer = 0;
  blockPopups = false;
  private listener?: (event: MessageEventLike) => void;

  open(url: string): WindowProxyLike | null {
    if (this.blockPopups) {
      return null;
    }
    const window = { closed: false, location: { href: url }, close: () => (window.closed = true) };
    this.popups.push({ url, window });
    return window;
  }

  addEventListener(_type: "message", listener: (event: MessageEventLike) => void): void {
    this.listener = listener;
  }

  removeEventListener(): void {
    this.listener = undefined;
  }

  fetch(url: string, init: RequestInit): Promise<ResponseLike> {
    const headers = init.headers as Record<string, string>;
    this.requests.push({
      method: String(init.method),
      url,
      auth: headers.Authorization,
      body: init.body as string | undefined,
    });
    const answer = this.answers.shift();
    assert.ok(answer, "memberflow was asked more than the test answers: " + url);
    return Promise.resolve({
      status: answer.status,
      ok: answer.status < 300,
      headers: { get: (name: string) => (name === "Retry-After" ? answer.retryAfter ?? null : null) },
      json: () => Promise.resolve(answer.body),
    });
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextTimer;
    this.timers.push({ id, callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    const index = this.timers.findIndex((timer) => timer.id === handle);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** A message posted to the page, by default from the last window it opened. */
  post(origin: string, data: unknown, source: unknown = this.popups.at(-1)?.window): void {
    this.listener?.({ origin, data, source });
  }

  /** Runs the pending timer, as time passing would. */
  tick(): number {
    const timer = this.timers.shift();
    assert.ok(timer, "no timer pending");
    timer.callback();
    return timer.ms;
  }
}

function connection(state: Connection["state"], more: Partial<Connection> = {}): Connection {
  return { connection_id: "member-1", state, attempt: 1, ...more };
}

function started(more: Partial<Connection> = {}): StartedConnection {
  return {
    ...connection("AWAITING_OAUTH", { oauth_window_uri: "https://mx.example/oauth/1" }),
    browser_token: "token-1",
    ...more,
  };
}

/** The page's backend passing memberflow's answer on as the fetch Response it got. */
function backendAnswer(status: number, body: unknown, retryAfter?: string): ResponseLike {
  return {
    status,
    ok: status < 300,
    headers: { get: (name: string) => (name === "Retry-After" ? retryAfter ?? null : null) },
    json: () => Promise.resolve(body),
  };
}

/** Lets the promise chains the last step started run to their end. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** The next read of the connection comes due, and memberflow answers it with {@code answer}. */
async function readAs(browser: FakeBrowser, answer: Connection) {
  browser.answers.push({ status: 200, body: answer });
  browser.tick();
  await settled();
}

/** MX's window posts its outcome; memberflow answers the relay with {@code answer}. */
async function mxPosts(browser: FakeBrowser, errorReason: string | null, answer: Connection) {
  browser.answers.push({ status: 200, body: answer });
  browser.post(
    MX,
    errorReason === null
      ? { mx: true, type: "oauthComplete/success", metadata: {} }
      : { mx: true, type: "oauthComplete/error", metadata: { error_reason: errorReason } },
  );
  await settled();
}

/** A connection whose first window the user just opened. */
async function windowOpen() {
  const browser = new FakeBrowser();
  const flow = flowIn(browser);
  await flow.flow.connect(() => Promise.resolve(started()));
  return { browser, ...flow };
}

function flowIn(browser: FakeBrowser) {
  const events: MemberflowEvent[] = [];
  const flow = new Memberflow({
    mxOrigin: MX,
    apiBase: "https://api.example",
    host: browser,
    onEvent: (event) => events.push(event),
  });
  return { flow, events, types: () => events.map((e) => e.type) };
}

test("connect opens the window in the click, before the backend answers, then points it at MX", async () => {
  const browser = new FakeBrowser();
  const { flow, types } = flowIn(browser);
  let answer!: (s: StartedConnection) => void;

  const connecting = flow.connect(() => new Promise((resolve) => (answer = resolve)));
  assert.equal(browser.popups.length, 1, "opened synchronously, as popup blockers require");
  assert.equal(browser.popups[0].url, "");
  await settled();
  answer(started());
  await connecting;

  assert.equal(browser.popups[0].window.location.href, "https://mx.example/oauth/1");
  assert.deepEqual(types(), ["window_opened"]);
});

test("only MX's messages from MX's origin, posted by the sign-in window, are relayed, verbatim, with the browser token", async () => {
  const { browser, types } = await windowOpen();
  const message = {
    mx: true,
    type: "oauthComplete/success",
    metadata: { member_guid: "MBR-1", extra: [1, 2] },
  };

  browser.post("https://evil.example", message);
  browser.post(MX, message, { another: "window" });
  browser.post(MX, { ...message, mx: "true" });
  browser.post(MX, { mx: true, type: "somethingElse" });
  browser.post(MX, "oauthComplete/success");
  assert.equal(browser.requests.length, 0);

  browser.answers.push({ status: 200, body: connection("CONFIRMING") });
  browser.post(MX, message);
  await settled();

  assert.deepEqual(browser.requests[0], {
    method: "POST",
    url: "https://api.example/v1/connections/member-1/oauth-messages",
    auth: "Bearer token-1",
    body: JSON.stringify(message),
  });
  assert.deepEqual(types(), ["window_opened", "confirming"]);
});

test("a confirmation is followed to connected, then to data_ready, and reading stops", async () => {
  const { browser, types } = await windowOpen();
  await mxPosts(browser, null, connection("CONFIRMING"));

  await readAs(browser, connection("CONNECTED", { aggregation: "AGGREGATING" }));
  await readAs(browser, connection("CONNECTED", { aggregation: "AGGREGATING" }));
  await readAs(browser, connection("CONNECTED", { aggregation: "DATA_READY" }));

  assert.deepEqual(types(), ["window_opened", "confirming", "connected", "data_ready"]);
  assert.equal(browser.timers.length, 0, "nothing more to read");
});

test("a start taken but not done (202) is read again after its Retry-After until the window is out", async () => {
  const browser = new FakeBrowser();
  const { flow, types } = flowIn(browser);
  await flow.connect(() =>
    Promise.resolve(
      backendAnswer(202, started({ state: "STARTING", oauth_window_uri: null }), "1"),
    ),
  );
  assert.equal(browser.popups[0].window.location.href, "", "no window yet");

  browser.answers.push({ status: 200, body: connection("STARTING") });
  assert.equal(browser.tick(), 1000, "the backend's Retry-After, not the 2 s default");
  await settled();
  await readAs(browser, connection("AWAITING_OAUTH", { oauth_window_uri: "https://mx.example/oauth/2" }));

  assert.equal(browser.popups[0].window.location.href, "https://mx.example/oauth/2");
  assert.deepEqual(types(), ["window_opened"]);
});

test("a start the backend passes on refused closes the window and fails with memberflow's problem", async () => {
  const browser = new FakeBrowser();
  const { flow, events } = flowIn(browser);
  const problem = { title: "Conflict", status: 409, detail: "institution_code differs" };

  await assert.rejects(flow.connect(() => Promise.resolve(backendAnswer(409, problem))), {
    name: "MemberflowError",
    message: "institution_code differs",
  });

  assert.equal(browser.popups[0].window.closed, true);
  const failed = events[0] as Extract<MemberflowEvent, { type: "failed" }>;
  assert.equal(failed.type, "failed");
  assert.equal(failed.error?.status, 409);
  assert.deepEqual(failed.error?.problem, problem);
});

test("an APP flow opens MX's window outside the webview and reports the outcome the app came back with", async () => {
  const browser = new FakeBrowser();
  const events: MemberflowEvent[] = [];
  const opened: string[] = [];
  const flow = new Memberflow({
    mxOrigin: MX,
    referralSource: "APP",
    openExternal: (uri) => opened.push(uri),
    host: browser,
    onEvent: (event) => events.push(event),
  });

  await flow.connect(() => Promise.resolve(started()));
  assert.equal(browser.popups.length, 0, "no popup in an app");
  assert.deepEqual(opened, ["https://mx.example/oauth/1"]);

  // The user cancelled at the bank; the fresh window goes outside the webview too.
  await readAs(browser, connection("AWAITING_OAUTH", { attempt: 2, oauth_window_uri: "https://mx.example/oauth/2" }));
  flow.openWindow();
  assert.equal(browser.popups.length, 0);
  assert.deepEqual(opened, ["https://mx.example/oauth/1", "https://mx.example/oauth/2"]);

  await assert.rejects(flow.returned("myapp://memberflow/connections/other?state=CONNECTED"), {
    message: /not a return of this connection/,
  });
  browser.answers.push({ status: 200, body: connection("CONNECTED", { aggregation: "DATA_READY" }) });
  const back = await flow.returned("myapp://memberflow/connections/member-1?state=CONNECTED");

  assert.equal(back.state, "CONNECTED");
  assert.equal(browser.requests.at(-1)?.url, "/v1/connections/member-1");
  assert.deepEqual(
    events.map((e) => e.type),
    ["window_opened", "window_ready", "window_opened", "failed", "data_ready"],
  );
});

test("each outcome the user can act on is its own event; retry and resume open a fresh window", async () => {
  const { browser, flow, types } = await windowOpen();

  await mxPosts(browser, "DENIED", connection("LOGIN_FAILED"));
  browser.answers.push({
    status: 200,
    body: connection("AWAITING_OAUTH", { attempt: 2, oauth_window_uri: "https://mx.example/oauth/3" }),
  });
  await flow.retry();

  assert.equal(browser.requests[1].url, "https://api.example/v1/connections/member-1/retry");
  assert.equal(browser.requests[1].method, "POST");
  assert.equal(browser.popups.length, 2);
  assert.equal(browser.popups[1].window.location.href, "https://mx.example/oauth/3");

  await mxPosts(browser, "IMPEDED", connection("ACTION_REQUIRED", { attempt: 2 }));
  browser.answers.push({
    status: 200,
    body: connection("AWAITING_OAUTH", { attempt: 3, oauth_window_uri: "https://mx.example/oauth/4" }),
  });
  await flow.resume();

  assert.equal(browser.requests[3].url, "https://api.example/v1/connections/member-1/resume");
  assert.deepEqual(types(), [
    "window_opened",
    "login_failed",
    "window_opened",
    "action_required",
    "window_opened",
  ]);
});

test("after CANCELLED the fresh window is ready for a click, never opened without one", async () => {
  const { browser, flow, events } = await windowOpen();
  browser.popups[0].window.close();
  await mxPosts(browser, "CANCELLED", connection("AWAITING_OAUTH", { attempt: 2, oauth_window_uri: "https://mx.example/oauth/5" }));

  assert.equal(events.at(-1)?.type, "window_ready");
  assert.equal(browser.popups.length, 1);
  flow.openWindow();
  assert.equal(browser.popups[1].window.location.href, "https://mx.example/oauth/5");
  assert.throws(() => flow.openWindow(), /used once|fresh/);
});

test("a refused request and a blocked popup are failed events with the reason", async () => {
  const { browser, flow, events } = await windowOpen();
  browser.answers.push({
    status: 409,
    body: { title: "Not possible now", detail: "retry applies after DENIED or a provider error" },
  });

  await assert.rejects(flow.retry(), /retry applies after DENIED/);
  const failed = events.at(-1);
  assert.equal(failed?.type, "failed");
  assert.equal(failed?.type === "failed" && failed.error?.status, 409);
  assert.equal(browser.popups[1].window.closed, true, "the window opened for it is closed again");

  const blocked = new FakeBrowser();
  blocked.blockPopups = true;
  const second = flowIn(blocked);
  await assert.rejects(second.flow.connect(() => Promise.resolve(started())), /pop-ups/);
  assert.equal(second.events.at(-1)?.type, "failed");
});

test("a connection that ended closes the window and reads no more", async () => {
  const { browser, types } = await windowOpen();
  await mxPosts(browser, "CANCELLED", connection("FAILED", { failure_reason: "ATTEMPTS_EXHAUSTED" }));

  assert.deepEqual(types(), ["window_opened", "failed"]);
  assert.equal(browser.popups[0].window.closed, true);
  assert.equal(browser.timers.length, 0);
});

test("a relay refused because the connection moved on reports the connection the refusal carries", async () => {
  const { browser, types } = await windowOpen();
  browser.answers.push({
    status: 409,
    body: { title: "Connection ended", detail: "it is CONNECTED", connection: connection("CONNECTED", { aggregation: "DATA_READY" }) },
  });
  browser.post(MX, { mx: true, type: "oauthComplete/success", metadata: {} });
  await settled();

  assert.deepEqual(types(), ["window_opened", "data_ready"]);
});

test("a read that fails in passing is read again after its Retry-After; five in a row are told", async () => {
  const { browser, types } = await windowOpen();
  browser.answers.push({ status: 503, body: { detail: "Temporal is busy" }, retryAfter: "3" });
  browser.tick();
  await settled();
  assert.equal(browser.timers.length, 1);
  assert.equal(browser.timers[0].ms, 3000, "the 503's Retry-After");
  assert.deepEqual(types(), ["window_opened"], "nothing to tell yet");

  for (let i = 0; i < 4; i++) {
    browser.answers.push({ status: 503, body: "<html>proxy</html>" });
    browser.tick();
    await settled();
  }
  assert.deepEqual(types(), ["window_opened", "failed"]);
  assert.equal(browser.timers.length, 0, "reading stops once the page is told");
});

test("an answer older than one already told is not told again", async () => {
  const { browser, types } = await windowOpen();
  const confirming = connection("CONFIRMING", { transitions: [1, 2] });
  const connected = connection("CONNECTED", { aggregation: "DATA_READY", transitions: [1, 2, 3] });
  let answerRelay!: () => void;
  browser.fetch = ((original) => (url: string, init: RequestInit) =>
    init.method === "POST"
      ? new Promise((resolve) => (answerRelay = () => resolve(original.call(browser, url, init))))
      : original.call(browser, url, init))(browser.fetch) as FakeBrowser["fetch"];

  browser.post(MX, { mx: true, type: "oauthComplete/success", metadata: {} });
  await readAs(browser, connected); // a read overtakes the slow relay
  browser.answers.push({ status: 200, body: confirming });
  answerRelay();
  await settled();

  assert.deepEqual(types(), ["window_opened", "data_ready"]);
});

test("a retry taken (202) while the connection still shows LOGIN_FAILED waits for its fresh window", async () => {
  const { browser, flow, types } = await windowOpen();
  const denied = connection("LOGIN_FAILED", { transitions: [1, 2] });
  await mxPosts(browser, "DENIED", denied);
  browser.answers.push({ status: 202, body: denied, retryAfter: "1" });
  await flow.retry();
  assert.equal(browser.popups[1].window.closed, false, "the window opened in the click waits");

  await readAs(browser, denied);
  await readAs(browser, connection("AWAITING_OAUTH", { attempt: 2, oauth_window_uri: "https://mx.example/oauth/9", transitions: [1, 2, 3] }));

  assert.equal(browser.popups[1].window.location.href, "https://mx.example/oauth/9");
  assert.deepEqual(types(), ["window_opened", "login_failed", "window_opened"]);
});

test("cancel closes the window, stops reading and tells how the connection ended", async () => {
  const { browser, flow, types } = await windowOpen();
  const cancelled = await flow.cancel(() => Promise.resolve(backendAnswer(200, connection("CANCELLED"))));

  assert.equal(cancelled.state, "CANCELLED");
  assert.equal(browser.popups[0].window.closed, true);
  assert.equal(browser.timers.length, 0);
  assert.deepEqual(types(), ["window_opened", "failed"]);
});

test("a reconnect adopts the fresh browser token, which no event or promise carries", async () => {
  const { browser, flow, events } = await windowOpen();
  await mxPosts(browser, null, connection("CONNECTED", { aggregation: "DATA_READY" }));
  browser.answers.push({ status: 200, body: connection("REAUTH_REQUIRED") });
  await flow.refresh();

  const repaired = await flow.reconnect(() =>
    Promise.resolve(backendAnswer(200, started({ attempt: 2, oauth_window_uri: "https://mx.example/oauth/7", browser_token: "token-2" }))),
  );
  await mxPosts(browser, null, connection("CONNECTED", { attempt: 2 }));

  assert.equal(browser.requests.at(-1)?.auth, "Bearer token-2");
  assert.equal("browser_token" in repaired, false);
  assert.ok(events.every((e) => !e.connection || !("browser_token" in e.connection)));
  assert.deepEqual(
    events.map((e) => e.type),
    ["window_opened", "data_ready", "reauth_required", "window_opened", "connected"],
  );
});

test("a second click while the first request is under way opens no second window", async () => {
  const browser = new FakeBrowser();
  const { flow } = flowIn(browser);
  let answer!: (s: StartedConnection) => void;
  const first = flow.connect(() => new Promise((resolve) => (answer = resolve)));

  await assert.rejects(flow.connect(() => Promise.resolve(started())), /under way/);
  assert.equal(browser.popups.length, 1);
  answer(started());
  await first;
  assert.equal(browser.popups[0].window.location.href, "https://mx.example/oauth/1");
});

test("after close nothing is told and the window is not moved", async () => {
  const browser = new FakeBrowser();
  const { flow, types } = flowIn(browser);
  let answer!: (s: StartedConnection) => void;
  const connecting = flow.connect(() => new Promise((resolve) => (answer = resolve)));
  flow.close();
  await settled();
  answer(started());
  await connecting;

  assert.equal(browser.popups[0].window.location.href, "");
  assert.deepEqual(types(), []);
});
