// The demo page: starts a connection through the demo backend, then lets memberflow.js run the
// OAuth window and report each step.
(function () {
  'use strict';

  var config;
  var flow;
  var el = function (id) { return document.getElementById(id); };

  var NEXT = {
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

  /** Steps of a member that lives on: the page keeps reading it, as a backend would hear webhooks. */
  var LIFE = ['connected', 'data_ready', 'aggregation_failed', 'reauth_required', 'degraded'];
  var watcher = null;

  function show(step, connection) {
    el('status').hidden = false;
    el('connection-id').textContent = connection.connection_id;
    el('state').textContent = connection.state;
    el('attempt').textContent = connection.attempt;
    el('next').textContent = NEXT[step] || '';
    el('next').dataset.step = step;
    el('again').hidden = step !== 'try_again';
    el('resume').hidden = step !== 'act_at_institution';
    el('retry').hidden = step !== 'login_failed' && step !== 'provider_unavailable';
    el('reconnect').hidden = step !== 'reauth_required';
    el('bank').hidden = !connection.member_guid || !!connection.state.match(/FAILED|EXPIRED|CANCELLED|CLOSED|DISCONNECTED/);
    watch(LIFE.indexOf(step) >= 0);
    var history = el('history');
    history.textContent = '';
    (connection.transitions || []).forEach(function (t) {
      var item = document.createElement('li');
      item.textContent = t.from + ' → ' + t.to + ' (' + t.event + ')';
      history.appendChild(item);
    });
  }

  function watch(on) {
    if (on && !watcher) {
      watcher = setInterval(function () { flow.refresh().catch(fail); }, 2000);
    } else if (!on && watcher) {
      clearInterval(watcher);
      watcher = null;
    }
  }

  function demoCall(suffix, body) {
    return fetch('/demo/connections/' + el('connection-id').textContent + suffix, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return null; }
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json.detail); }
        return json;
      });
    });
  }

  function fail(error) {
    el('status').hidden = false;
    el('next').textContent = error.message;
    el('next').dataset.step = 'error';
  }

  el('start').addEventListener('submit', function (event) {
    event.preventDefault();
    if (flow) {
      flow.close();
    }
    // Opened here, in the click, so that popup blockers allow it; pointed at the URI below.
    var opened = Memberflow.openWindow();
    fetch('/demo/connections', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ institution_code: el('institution').value, mx_api: el('api').value })
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json.detail); }
        // 202: the connection is starting; its window comes after Retry-After.
        return { started: json, firstLookMs: Memberflow.retryAfterMs(response, 2000) };
      });
    }).then(function (answer) {
      var started = answer.started;
      flow = Memberflow.connection({
        connectionId: started.connection_id,
        browserToken: started.browser_token,
        mxOrigin: config.mx_origin,
        current: started,
        onStep: show,
        onError: fail
      });
      show(Memberflow.STEPS[started.state] || 'waiting', started);
      if (started.oauth_window_uri) {
        flow.open(started.oauth_window_uri, opened);
      } else if (Memberflow.STEPS[started.state] === 'waiting') {
        flow.openWhenReady(opened, answer.firstLookMs);
      } else if (opened) {
        opened.close();
      }
    }).catch(function (error) {
      if (opened) {
        opened.close();
      }
      fail(error);
    });
  });

  el('again').addEventListener('click', function () { flow.tryAgain(); });
  el('resume').addEventListener('click', function () { flow.resume().catch(fail); });
  el('retry').addEventListener('click', function () { flow.retry().catch(fail); });
  // In the click, as for a first connection: memberflow.js opens the window before asking.
  el('reconnect').addEventListener('click', function () {
    flow.reconnectWith(function () { return demoCall('/reconnect'); }).catch(fail);
  });
  el('bank').addEventListener('submit', function (event) {
    event.preventDefault();
    demoCall('/mx-status', { connection_status: el('mx-status').value })
      .then(function () { return flow.refresh(); }).catch(fail);
  });

  el('connect').disabled = true;
  fetch('/demo/config').then(function (r) { return r.json(); }).then(function (json) {
    config = json;
    el('connect').disabled = false;
    json.institutions.forEach(function (i) {
      var option = document.createElement('option');
      option.value = i.code;
      option.textContent = i.name + (i.supports_oauth ? '' : ' (no OAuth)');
      el('institution').appendChild(option);
    });
    json.mx_statuses.forEach(function (status) {
      var option = document.createElement('option');
      option.value = status;
      option.textContent = status;
      option.selected = status === 'DENIED';
      el('mx-status').appendChild(option);
    });
    json.mx_apis.forEach(function (api) {
      var option = document.createElement('option');
      option.value = api;
      option.textContent = api;
      el('api').appendChild(option);
    });
  }).catch(fail);
})();
