// The integrator's React page with @memberflow/react: docs/frontend.md shows it, the Chromium flows run it.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// docs:begin react
import { useMemberflow } from "@memberflow/react";

const ignore = () => {}; // a failure is the hook's state already

export function ConnectBank({ memberflowUrl, mxOrigin }: { memberflowUrl: string; mxOrigin: string }) {
  const flow = useMemberflow({ apiBase: memberflowUrl, mxOrigin });
  const connectionId = flow.connection?.connection_id ?? "";
  // In the click, as popup blockers require; the backend starts it with its backend key.
  const connect = () =>
    flow
      .connect(() =>
        fetch("/backend/connections", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ institution_code: "mx_bank_oauth" }),
        }),
      )
      .catch(ignore);
  const reconnect = () =>
    flow
      .reconnect(() => fetch(`/backend/connections/${encodeURIComponent(connectionId)}/reconnect`, { method: "POST" }))
      .catch(ignore);
  return (
    <div>
      <p id="status" data-event={flow.status}>
        {flow.status}
        {flow.error && `: ${flow.error.message}`}
      </p>
      {flow.status === "idle" && <button id="connect" onClick={connect}>Connect</button>}
      {flow.status === "window_ready" && <button id="again" onClick={flow.openWindow}>Try again</button>}
      {(flow.status === "login_failed" || flow.status === "provider_unavailable") && (
        <button id="retry" onClick={() => flow.retry().catch(ignore)}>Retry</button>
      )}
      {flow.status === "action_required" && <button id="resume" onClick={() => flow.resume().catch(ignore)}>I have acted at my bank</button>}
      {flow.status === "reauth_required" && <button id="reconnect" onClick={reconnect}>Reconnect</button>}
      {flow.connection && <button id="check" onClick={() => flow.refresh().catch(ignore)}>Check</button>}
    </div>
  );
}
// docs:end react

const config = await (await fetch("/backend/config")).json();
// StrictMode mounts twice in development: the hook must come through it with one Memberflow.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConnectBank {...config} />
  </StrictMode>,
);
