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
  readonly timers: { callback: () => void; ms: number }[] = [];
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
    this.timers.push({ callback, ms });
    return this.timers.length;
  }

  clearTimeout(): void {
    this.timers.length = 0;
  }

  post(origin: string, data: unknown): void {
    this.listener?.({ origin, data });
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

test("only MX's messages from MX's origin are relayed, verbatim, with the browser token", async () => {
  const { browser, types } = await windowOpen();
  const message = {
    mx: true,
    type: "oauthComplete/success",
    metadata: { member_guid: "MBR-1", extra: [1, 2] },
  };

  browser.post("https://evil.example", message);
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

  await assert.rejects(flow.returned("myapp://memberflow/connections/other?state=CONNECTED"), {
    message: /not a return of this connection/,
  });
  browser.answers.push({ status: 200, body: connection("CONNECTED", { aggregation: "DATA_READY" }) });
  const back = await flow.returned("myapp://memberflow/connections/member-1?state=CONNECTED");

  assert.equal(back.state, "CONNECTED");
  assert.equal(browser.requests.at(-1)?.url, "/v1/connections/member-1");
  assert.deepEqual(
    events.map((e) => e.type),
    ["window_opened", "failed", "data_ready"],
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
