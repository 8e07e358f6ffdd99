// The demo page: starts a connection through the demo backend, then lets @memberflow/browser (the
// service's /memberflow.js) run the OAuth window and report each step.
import { Memberflow } from '/memberflow.js';

const el = (id) => document.getElementById(id);
let config;
let flow;
let watcher = null;

const NEXT = {
  waiting: 'Finish signing in in the window that opened.',
  confirming: 'Signed in. Checking with your bank that the connection is there…',
  connected: 'Connected. Your bank is sending your accounts…',
  data_ready: 'Connected. Your accounts are ready.',
  aggregation_failed: 'Connected, but your bank could not send your accounts yet. Try again later.',
  try_again: 'The sign-in did not finish. Try again with a fresh window.',
  login_failed: 'Your bank refused the sign-in. Check your details and retry.',
  act_at_institution: 'Your bank needs you to act on its own site first, then continue here.',
  provider_unavailable: 'Your bank is not answering right now. Retry later.',
  failed: 'The connection failed.',
  expired: 'The connection expired.',
  cancelled: 'The connection was cancelled.',
  reauth_required: 'Your bank needs you to sign in again. Reconnect to keep your accounts coming.',
  degraded: 'Your bank is having trouble; your accounts may be late. Nothing to do for now.',
  closed: 'Your bank closed this connection.',
  disconnected: 'Disconnected.'
};

/** The package's event, told the way this page tells it (with the finer states it shows). */
function stepOf(event) {
  const connection = event.connection;
  switch (event.type) {
    case 'window_opened': return 'waiting';
    case 'window_ready': return 'try_again';
    case 'action_required': return 'act_at_institution';
    case 'connected':
      if (connection.state === 'DEGRADED') { return 'degraded'; }
      return connection.aggregation === 'FAILED' ? 'aggregation_failed' : 'connected';
    case 'failed':
      return connection && !event.error ? connection.state.toLowerCase() : 'error';
    default: return event.type;
  }
}

/** Steps of a member that lives on: the page keeps reading it, as a backend would hear webhooks. */
const LIFE = ['connected', 'data_ready', 'aggregation_failed', 'reauth_required', 'degraded'];

function show(event) {
  const step = stepOf(event);
  const connection = event.connection;
  el('status').hidden = false;
  el('next').textContent = step === 'error' ? event.error.message : NEXT[step] || '';
  el('next').dataset.step = step;
  el('again').hidden = step !== 'try_again';
  el('resume').hidden = step !== 'act_at_institution';
  el('retry').hidden = step !== 'login_failed' && step !== 'provider_unavailable';
  el('reconnect').hidden = step !== 'reauth_required';
  watch(LIFE.includes(step));
  if (!connection) {
    return;
  }
  el('connection-id').textContent = connection.connection_id;
  el('state').textContent = connection.state;
  el('attempt').textContent = connection.attempt;
  el('bank').hidden = !connection.member_guid
    || /FAILED|EXPIRED|CANCELLED|CLOSED|DISCONNECTED/.test(connection.state);
  el('history').replaceChildren(...(connection.transitions || []).map((t) => {
    const item = document.createElement('li');
    item.textContent = `${t.from} → ${t.to} (${t.event})`;
    return item;
  }));
}

function watch(on) {
  if (on && !watcher) {
    watcher = setInterval(() => flow.refresh().catch(() => {}), 2000);
  } else if (!on && watcher) {
    clearInterval(watcher);
    watcher = null;
  }
}

/** The demo backend's own calls (reconnect, the bank's switch), as the page's backend would offer. */
function demoCall(suffix, body) {
  return fetch(`/demo/connections/${encodeURIComponent(el('connection-id').textContent)}${suffix}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
}

// A failure has been shown by the failed event; the promise's rejection needs no more.
const shown = () => {};

el('start').addEventListener('submit', (event) => {
  event.preventDefault();
  flow?.close();
  watch(false);
  flow = new Memberflow({ mxOrigin: config.mx_origin, onEvent: show });
  // In the submit, as popup blockers require: the package opens the window before the backend
  // answers and points it at the first MX window once it is out (after a 202, too).
  flow.connect(() => fetch('/demo/connections', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ institution_code: el('institution').value, mx_api: el('api').value })
  })).then((connection) => {
    // A 202's connection is not out yet: the page says what comes, as it will once the window is.
    if (connection.state === 'STARTING' || connection.state === 'AWAITING_OAUTH') {
      show({ type: 'window_opened', connection });
    }
  }, shown);
});

el('again').addEventListener('click', () => flow.openWindow());
el('resume').addEventListener('click', () => flow.resume().catch(shown));
el('retry').addEventListener('click', () => flow.retry().catch(shown));
el('reconnect').addEventListener('click', () => flow.reconnect(() => demoCall('/reconnect')).catch(shown));
el('bank').addEventListener('submit', (event) => {
  event.preventDefault();
  demoCall('/mx-status', { connection_status: el('mx-status').value })
    .then(() => flow.refresh()).catch(shown);
});

el('connect').disabled = true;
fetch('/demo/config').then((r) => r.json()).then((json) => {
  config = json;
  el('connect').disabled = false;
  const options = (select, values, label) => values.forEach((value) => {
    const option = document.createElement('option');
    option.value = label ? value.code : value;
    option.textContent = label ? label(value) : value;
    el(select).appendChild(option);
  });
  options('institution', json.institutions, (i) => i.name + (i.supports_oauth ? '' : ' (no OAuth)'));
  options('api', json.mx_apis);
  options('mx-status', json.mx_statuses);
  el('mx-status').value = 'DENIED';
}).catch((error) => show({ type: 'failed', error }));
