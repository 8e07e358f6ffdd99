/**
 * @memberflow/client: memberflow's API for Node backends. The calls and their types are generated
 * from the OpenAPI document memberflow serves (openapi-typescript); openapi-fetch makes them, with
 * the backend key on every request.
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

export type { components, paths };

type Schemas = components["schemas"];
export type Connection = Schemas["Connection"];
export type StartedConnection = Schemas["StartedConnection"];
export type StartConnection = Schemas["StartConnection"];
export type ConnectionWebhook = Schemas["ConnectionWebhook"];
export type Problem = Schemas["Problem"];
export type MemberflowClient = Client<paths>;

export interface MemberflowClientOptions {
  /** Where memberflow's API is, e.g. https://memberflow.internal */
  baseUrl: string;
  /** One of memberflow.security.backend-api-keys; from the backend's configuration, never a page. */
  backendKey: string;
  /** Node's fetch, by default. */
  fetch?: typeof globalThis.fetch;
}

export function createMemberflowClient(options: MemberflowClientOptions): MemberflowClient {
  if (!options.baseUrl || !options.backendKey) {
    throw new Error("baseUrl and backendKey are required");
  }
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const authorization = "Bearer " + options.backendKey;
  client.use({
    onRequest({ request }) {
      request.headers.set("Authorization", authorization);
      return request;
    },
  });
  return client;
}
