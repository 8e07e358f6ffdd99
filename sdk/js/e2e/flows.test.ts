// A user connecting a bank on the integrator's pages, in Debian's Chromium driven by Playwright
// (playwright-core: nothing downloaded). memberflow, its Temporal and the MX sandbox run beside it
// (JsSdkE2E starts them and passes where they are); the pages, their backend and its webhook
// receiver run here (integrator.ts).
import { strict as assert } from "node:assert";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { ConnectionWebhook } from "@memberflow/client";
import { startIntegrator } from "./integrator.js";

const env = (name: string) => {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: JsSdkE2E runs these flows with memberflow started`);
  return value;
};
const SETTINGS = {
  memberflowUrl: env("MEMBERFLOW_URL"),
  backendKey: env("MEMBERFLOW_BACKEND_KEY"),
  webhookSecret: env("MEMBERFLOW_WEBHOOK_SECRET"),
  mxOrigin: env("MX_ORIGIN"),
};
const PAGES = `http://localhost:${env("INTEGRATOR_PORT")}`;
const STEP = 30_000;

const webhooks: ConnectionWebhook[] = [];
let integrator: Awaited<ReturnType<typeof startIntegrator>>;
let browser: BrowserContext;

before(async () => {
  integrator = await startIntegrator(Number(env("INTEGRATOR_PORT")), SETTINGS, (event) => webhooks.push(event));
  // A fresh profile each run. Headless Chromium lets every window.open through, even with its
  // popup blocker on: that windows open in the click is the unit tests' to show.
  browser = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), "memberflow-chromium-")), {
    executablePath: "/usr/bin/chromium",
    args: env("CHROMIUM_FLAGS").split(" "), // the flags every Chromium run here has
  });
});

after(async () => {
  await browser?.close();
  await integrator?.close();
});

/** The page's events, in order, as its status line showed them. */
async function open(path: string) {
  const page = await browser.newPage();
  const seen: string[] = [];
  await page.exposeFunction("reportEvent", (type: string) => seen.push(type));
  await page.addInitScript(() => {
    // Every change of #status's data-event, as the user saw it, handed to the test.
    new MutationObserver(() => {
      const type = document.getElementById("status")?.dataset.event;
      if (type) (window as unknown as { reportEvent(t: string): void }).reportEvent(type);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-event"], childList: true });
  });
  await page.goto(PAGES + path);
  return { page, seen };
}

async function shows(page: Page, event: string) {
  await page.locator(`#status[data-event="${event}"]`).waitFor({ timeout: STEP });
}

/** The user picks an outcome in the sandbox's OAuth page, in the window the page opened. */
async function atTheBank(window: Page, choice: "authorize" | "cancelled" | "denied") {
  await window.locator(`#${choice}`).click({ timeout: STEP });
}

async function webhook(type: ConnectionWebhook["type"], connectionId: string) {
  const deadline = Date.now() + STEP;
  while (Date.now() < deadline) {
    const found = webhooks.find((w) => w.type === type && w.data.connection_id === connectionId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no verified ${type} webhook for ${connectionId}; had ${webhooks.map((w) => w.type)}`);
}

/** The connection the integrator's backend started last, as memberflow answers it now. */
async function lastStarted() {
  const id = integrator.started.at(-1);
  assert.ok(id, "the page's backend started a connection");
  const { data, error } = await integrator.api.read(id);
  assert.ok(data, JSON.stringify(error));
  return data;
}

/** The bank revokes the member's token: MX's status DENIED, as MX's sandbox plays it. */
async function bankRevokes(memberGuid: string) {
  const answer = await fetch(`${SETTINGS.mxOrigin}/_sandbox/members/${memberGuid}/connection_status`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ connection_status: "DENIED" }),
  });
  assert.equal(answer.status, 204, await answer.text());
}

/**
 * Cancelled at the bank, a fresh window in a click, signed in, data ready; then the bank revokes
 * the token and the user reconnects. The same for the plain page and the React one.
 */
for (const path of ["/connect", "/react"]) {
  describe(`the ${path === "/react" ? "React" : "plain"} page`, () => {
    let page: Page;
    let bank: Page; // the sign-in window: one, named, reused for each fresh MX window
    let seen: string[];
    let connectionId: string;

    test("connects: cancelled at the bank, tried again in a fresh window, signed in, data ready", async () => {
      ({ page, seen } = await open(path));
      const popup = page.waitForEvent("popup");
      await page.click("#connect");
      bank = await popup;
      await shows(page, "window_opened");

      await atTheBank(bank, "cancelled");
      await shows(page, "window_ready");
      await page.click("#again");
      await atTheBank(bank, "authorize");
      await shows(page, "data_ready");

      const told = dedupe(seen.filter((event) => event !== "idle"));
      assert.deepEqual(told.slice(0, 3), ["window_opened", "window_ready", "window_opened"]);
      assert.equal(told.at(-1), "data_ready");
      assert.ok(!told.includes("failed"), String(told));
      const connection = await lastStarted();
      connectionId = connection.connection_id;
      assert.equal(connection.state, "CONNECTED");
      assert.equal(connection.aggregation, "DATA_READY");
      assert.equal(connection.attempt, 2, "the second window signed in");
      const ready = await webhook("connection.data_ready", connectionId);
      assert.equal(ready.data.state, "CONNECTED");
      assert.equal(ready.data.user_id, "user-e2e");
    });

    test("reconnects after the bank revoked the token", async () => {
      seen.length = 0;
      const connection = await lastStarted();
      await bankRevokes(connection.member_guid!);
      await webhook("connection.reauth_required", connectionId);
      await page.click("#check");
      await shows(page, "reauth_required");

      await page.click("#reconnect");
      await atTheBank(bank, "authorize");
      await shows(page, "data_ready");

      const repaired = await lastStarted();
      const other = await integrator.api.start("another-user", { institution_code: "mx_bank_oauth" });
      const refused = await fetch(`${PAGES}/backend/connections/${(other.body as { connection_id: string }).connection_id}/reconnect`, { method: "POST" });
      assert.equal(refused.status, 404, "a user's page cannot reconnect another user's connection");
      assert.deepEqual(dedupe(seen).slice(0, 2), ["reauth_required", "window_opened"]);
      assert.equal(repaired.connection_id, connectionId, "the same connection, repaired");
      assert.equal(repaired.state, "CONNECTED");
      await webhook("connection.repaired", connectionId);
    });
  });
}

test("an APP flow: MX's window outside the app, MX's redirect back into it through memberflow", async () => {
  const { page } = await open("/app");
  const external = page.waitForEvent("popup");
  await page.click("#connect");
  const bank = await external;
  await atTheBank(bank, "authorize");

  // memberflow took MX's redirect and sends the user on to the app: the OS hands the app this URL.
  const back = await bank.locator("#continue").getAttribute("href", { timeout: STEP });
  assert.match(back!, /^myapp:\/\/memberflow\/connections\/member-[^?]+\?state=CONNECTED$/);
  const state = await page.evaluate((url) => (window as unknown as { openedWith(u: string): Promise<{ state: string }> })
    .openedWith(url).then((c) => c.state), back!);
  assert.equal(state, "CONNECTED");
  await shows(page, "data_ready");
});

function dedupe(events: string[]) {
  return events.filter((event, i) => event !== events[i - 1]);
}
