// An app's webview with @memberflow/browser in an APP flow: docs/frontend.md shows it, the Chromium flows run it.
// docs:begin app
import { Memberflow } from "@memberflow/browser";

const config: { memberflowUrl: string; mxOrigin: string } = await (await fetch("/backend/config")).json();
const status = document.getElementById("status")!;

const memberflow = new Memberflow({
  apiBase: config.memberflowUrl,
  mxOrigin: config.mxOrigin,
  referralSource: "APP",
  // MX's window opens outside the webview: Capacitor's Browser.open, React Native's Linking.openURL.
  openExternal: (uri) => window.open(uri, "_blank"),
  onEvent: (event) => {
    status.dataset.event = event.type;
    status.textContent = event.type;
  },
});

document.getElementById("connect")!.onclick = () =>
  memberflow
    .connect(() =>
      fetch("/backend/connections", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ institution_code: "mx_bank_oauth", referral_source: "APP" }),
      }),
    )
    .catch(() => {});

// The app's deep-link handler: MX's redirect comes back through memberflow as
// myapp://memberflow/connections/{id}?state=…; memberflow reads the connection and reports it.
export function openedWith(url: string) {
  return memberflow.returned(url);
}
// docs:end app
Object.assign(window, { openedWith });
