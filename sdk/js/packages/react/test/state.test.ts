import { strict as assert } from "node:assert";
import { test } from "node:test";
import { MemberflowError } from "@memberflow/browser";
import type { Connection, MemberflowEvent } from "@memberflow/browser";
import { IDLE, MemberflowState, nextState } from "../src/index.js";

function connection(state: Connection["state"], more: Partial<Connection> = {}): Connection {
  return { connection_id: "member-1", state, attempt: 1, ...more };
}

const run = (events: MemberflowEvent[]): MemberflowState => events.reduce(nextState, IDLE);

test("the state is idle until the first event, then each event's type with its connection", () => {
  assert.equal(IDLE.status, "idle");
  const state = run([
    { type: "window_opened", connection: connection("AWAITING_OAUTH") },
    { type: "confirming", connection: connection("CONFIRMING") },
    { type: "data_ready", connection: connection("CONNECTED", { aggregation: "DATA_READY" }) },
  ]);
  assert.deepEqual(state, {
    status: "data_ready",
    connection: connection("CONNECTED", { aggregation: "DATA_READY" }),
  });
});

test("a failure keeps the connection it has no news of and carries the error until the next event", () => {
  const refused = new MemberflowError("the browser blocked the sign-in window", undefined);
  const failed = run([
    { type: "window_ready", connection: connection("AWAITING_OAUTH", { attempt: 2 }) },
    { type: "failed", error: refused },
  ]);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error, refused);
  assert.equal(failed.connection?.attempt, 2, "what the page last knew stays on screen");

  const after = nextState(failed, { type: "window_opened", connection: connection("AWAITING_OAUTH", { attempt: 2 }) });
  assert.equal(after.status, "window_opened");
  assert.equal(after.error, undefined);
});
