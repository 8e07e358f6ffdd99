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
    cancelled: 'The connection was cancelled.'
  };

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
    var history = el('history');
    history.textContent = '';
    (connection.transitions || []).forEach(function (t) {
      var item = document.createElement('li');
      item.textContent = t.from + ' → ' + t.to + ' (' + t.event + ')';
      history.appendChild(item);
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
    json.mx_apis.forEach(function (api) {
      var option = document.createElement('option');
      option.value = api;
      option.textContent = api;
      el('api').appendChild(option);
    });
  }).catch(fail);
})();
