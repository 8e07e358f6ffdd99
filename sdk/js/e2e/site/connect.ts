// The integrator's page with @memberflow/browser: docs/frontend.md shows it, the Chromium flows run it.
// docs:begin frontend
import { Memberflow, type MemberflowEvent } from "@memberflow/browser";

// Where memberflow and MX's widget are: this page's backend knows, and says so.
const config: { memberflowUrl: string; mxOrigin: string } = await (await fetch("/backend/config")).json();
const button = (id: string) => document.getElementById(id) as HTMLButtonElement;
const status = document.getElementById("status")!;

const memberflow = new Memberflow({
  apiBase: config.memberflowUrl,
  mxOrigin: config.mxOrigin, // messages from any other origin are ignored
  onEvent: (event: MemberflowEvent) => {
    status.dataset.event = event.type;
    status.textContent = event.type === "failed" ? `failed: ${event.error?.message ?? event.connection?.state}` : event.type;
  },
});
let connectionId = "";

// Each handler runs in the click: popup blockers let the window through only there.
button("connect").onclick = () => {
  const institution = (document.getElementById("institution") as HTMLSelectElement).value;
  // The page's backend starts the connection with its backend key and passes memberflow's answer on.
  memberflow
    .connect(() =>
      fetch("/backend/connections", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ institution_code: institution }),
      }),
    )
    .then((connection) => (connectionId = connection.connection_id))
    .catch(() => {}); // the failed event has said it
};
button("again").onclick = () => memberflow.openWindow(); // after window_ready (CANCELLED, SESSION_ERROR)
button("retry").onclick = () => memberflow.retry().catch(() => {}); // after login_failed, provider_unavailable
button("reconnect").onclick = () =>
  // After reauth_required: a reconnect needs the backend key, so the backend asks memberflow.
  memberflow
    .reconnect(() => fetch(`/backend/connections/${encodeURIComponent(connectionId)}/reconnect`, { method: "POST" }))
    .catch(() => {});
button("check").onclick = () => memberflow.refresh().catch(() => {});
// docs:end frontend
