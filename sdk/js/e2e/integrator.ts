// The integrator's backend for the Chromium flows: its pages, its calls to memberflow with
// @memberflow/client, and its webhook receiver. docs/backend.md shows the marked part.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { build } from "esbuild";

// docs:begin backend
import { randomUUID } from "node:crypto";
import { createMemberflowClient, type ConnectionWebhook } from "@memberflow/client";
import { Webhook } from "standardwebhooks";

/** What the backend knows from its configuration: never from a page. */
export interface BackendSettings {
  memberflowUrl: string;
  backendKey: string;
  /** The whsec_… secret memberflow signs this receiver's webhooks with. */
  webhookSecret: string;
}

export function backend(settings: BackendSettings, onWebhook: (event: ConnectionWebhook) => void) {
  const memberflow = createMemberflowClient({
    baseUrl: settings.memberflowUrl,
    backendKey: settings.backendKey,
  });
  const webhooks = new Webhook(settings.webhookSecret);

  /** memberflow's answer to the page as it came: status, body, and a 202's Retry-After. */
  function passOn(answer: { data?: unknown; error?: unknown; response: Response }) {
    const headers: Record<string, string> = {};
    const retryAfter = answer.response.headers.get("Retry-After");
    if (retryAfter) headers["Retry-After"] = retryAfter;
    return { status: answer.response.status, headers, body: answer.data ?? answer.error };
  }

  return {
    /** POST /backend/connections from the signed-in user's page. */
    async start(userId: string, request: { institution_code: string; referral_source?: "APP" }) {
      return passOn(
        await memberflow.POST("/v1/connections", {
          body: {
            user_id: userId,
            member_id: "member-" + randomUUID(), // the integrator's id for this bank connection
            institution_code: request.institution_code,
            ...(request.referral_source === "APP"
              ? { referral_source: "APP", ui_message_webview_url_scheme: "myapp" }
              : {}),
          },
        }),
      );
    },

    /** POST /backend/connections/{id}/reconnect, once the user's bank revoked the token. */
    async reconnect(userId: string, connectionId: string) {
      const params = { path: { id: connectionId } };
      // The page names the connection: only its own user's may be reconnected (and its token given).
      const { data } = await memberflow.GET("/v1/connections/{id}", { params });
      if (data?.user_id !== userId) {
        return { status: 404, headers: {}, body: { title: "Not found", detail: "no such connection" } };
      }
      return passOn(await memberflow.POST("/v1/connections/{id}/reconnect", { params }));
    },

    /** memberflow's webhook: verified on the raw body, before anything reads it. */
    receive(rawBody: string, headers: Record<string, string>) {
      const event = webhooks.verify(rawBody, headers) as ConnectionWebhook; // throws if forged
      onWebhook(event);
    },

    read: (connectionId: string) =>
      memberflow.GET("/v1/connections/{id}", { params: { path: { id: connectionId } } }),
  };
}
// docs:end backend

export type Backend = ReturnType<typeof backend>;

const SITE = new URL("../site/", import.meta.url);

/**
 * The integrator's server: its pages (bundled from site/ with esbuild, as its build would), the
 * backend routes the pages call, and the webhook receiver.
 */
export async function startIntegrator(
  port: number,
  settings: BackendSettings & { mxOrigin: string },
  onWebhook: (event: ConnectionWebhook) => void,
) {
  const bundles = await build({
    entryPoints: ["connect.ts", "app.ts", "react.tsx"].map((file) => new URL(file, SITE).pathname),
    bundle: true,
    format: "esm",
    target: "es2022",
    outdir: "/site",
    write: false,
    logLevel: "warning",
  });
  const scripts = new Map(bundles.outputFiles.map((file) => [file.path, file.text]));
  const api = backend(settings, onWebhook);
  const user = "user-e2e"; // the integrator's signed-in user
  const started: string[] = [];

  async function route(request: IncomingMessage, body: string) {
    const path = new URL(request.url ?? "/", "http://page").pathname;
    const page = /^\/(connect|app|react)$/.exec(path);
    if (request.method === "GET" && page) {
      return { status: 200, type: "text/html", body: await readFile(new URL(page[1] + ".html", SITE), "utf8") };
    }
    if (request.method === "GET" && scripts.has(path)) {
      return { status: 200, type: "text/javascript", body: scripts.get(path)! };
    }
    if (request.method === "GET" && path === "/backend/config") {
      return json({ status: 200, body: { memberflowUrl: settings.memberflowUrl, mxOrigin: settings.mxOrigin } });
    }
    if (request.method === "POST" && path === "/backend/connections") {
      const answer = await api.start(user, JSON.parse(body));
      const id = (answer.body as { connection_id?: string }).connection_id;
      if (id) started.push(id);
      return json(answer);
    }
    const reconnect = /^\/backend\/connections\/([^/]+)\/reconnect$/.exec(path);
    if (request.method === "POST" && reconnect) {
      return json(await api.reconnect(user, decodeURIComponent(reconnect[1])));
    }
    if (request.method === "POST" && path === "/webhooks") {
      try {
        api.receive(body, request.headers as Record<string, string>);
        return { status: 204, body: "" };
      } catch (forged) {
        return { status: 400, type: "text/plain", body: String(forged) };
      }
    }
    return { status: 404, type: "text/plain", body: "not found" };
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const answer: { status: number; type?: string; headers?: Record<string, string>; body: string } =
        await route(request, Buffer.concat(chunks).toString("utf8"));
      response.writeHead(answer.status, { ...(answer.type ? { "Content-Type": answer.type } : {}), ...answer.headers });
      response.end(answer.body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
  return { api, started, close: () => new Promise((done) => server.close(done)) };
}

function json(answer: { status: number; headers?: Record<string, string>; body: unknown }) {
  return { ...answer, type: "application/json", body: JSON.stringify(answer.body) };
}
