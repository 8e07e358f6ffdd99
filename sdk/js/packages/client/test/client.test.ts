import { strict as assert } from "node:assert";
import { test } from "node:test";
import { createMemberflowClient } from "../src/index.js";

/** memberflow as a recorded answer: what the client sent is kept, the answer is given. */
function memberflowAnswering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const sent: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json", ...headers },
    });
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

test("a start is POSTed as the document defines it, with the backend key", async () => {
  const memberflow = memberflowAnswering(201, {
    connection_id: "member-1",
    state: "AWAITING_OAUTH",
    browser_token: "token",
  });
  const client = createMemberflowClient({
    baseUrl: "https://memberflow.example",
    backendKey: "backend-key",
    fetch: memberflow.fetch,
  });

  const { data, response } = await client.POST("/v1/connections", {
    body: { user_id: "user-1", member_id: "member-1", institution_code: "mxbank_oauth" },
  });

  assert.equal(response.status, 201);
  assert.equal(data?.browser_token, "token");
  const request = memberflow.sent[0];
  assert.equal(request.url, "https://memberflow.example/v1/connections");
  assert.equal(request.headers.get("Authorization"), "Bearer backend-key");
  assert.deepEqual(await request.json(), {
    user_id: "user-1",
    member_id: "member-1",
    institution_code: "mxbank_oauth",
  });
});

test("a refusal comes back as memberflow's problem, the path parameter encoded", async () => {
  const problem = { title: "Not found", status: 404, detail: "no connection a/b" };
  const memberflow = memberflowAnswering(404, problem);
  const client = createMemberflowClient({
    baseUrl: "https://memberflow.example",
    backendKey: "backend-key",
    fetch: memberflow.fetch,
  });

  const { data, error } = await client.GET("/v1/connections/{id}", {
    params: { path: { id: "a/b" } },
  });

  assert.equal(data, undefined);
  assert.deepEqual(error, problem);
  assert.equal(memberflow.sent[0].url, "https://memberflow.example/v1/connections/a%2Fb");
});

test("a client without its key is refused at once", () => {
  assert.throws(() => createMemberflowClient({ baseUrl: "https://memberflow.example", backendKey: "" }), {
    message: /backendKey/,
  });
});
