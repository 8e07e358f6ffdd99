/*
 * memberflow.js: runs MX's OAuth window for one memberflow connection in a browser.
 * No dependencies, no build step. See the README ("Frontends") for how to use it.
 *
 *   var flow = Memberflow.connection({
 *     apiBase: '',                         // where memberflow's API is ('' = this origin)
 *     connectionId: started.connection_id,
 *     browserToken: started.browser_token,
 *     mxOrigin: 'https://int-widgets.moneydesktop.com', // the only origin whose messages count
 *     current: started,                    // the connection as the start answered it
 *     onStep: function (step, connection) { ... },       // see STEPS
 *     onError: function (error) { ... }    // error.problem: memberflow's problem details
 *   });
 *   button.onclick = function () { flow.open(started.oauth_window_uri); };  // in the click handler
 *
 * When the URI is not known yet at the click (the page starts the connection first), open the
 * window in the click with Memberflow.openWindow() and hand it over: flow.open(uri, thatWindow).
 */
(function (global) {
  'use strict';

  var MESSAGE_TYPES = ['oauthComplete/success', 'oauthComplete/error'];

  /**
   * What the page should show next, by connection state. Besides these, 'try_again' means a fresh
   * window is ready after CANCELLED or SESSION_ERROR (call tryAgain() in a click handler);
   * 'login_failed' and 'provider_unavailable' call for retry(), 'act_at_institution' for resume().
   */
  var STEPS = {
    STARTING: 'waiting',
    AWAITING_OAUTH: 'waiting',
    CONNECTED: 'connected',
    ACTION_REQUIRED: 'act_at_institution',
    LOGIN_FAILED: 'login_failed',
    PROVIDER_UNAVAILABLE: 'provider_unavailable',
    FAILED: 'failed',
    EXPIRED: 'expired',
    CANCELLED: 'cancelled'
  };

  function connection(options) {
    var apiBase = options.apiBase || '';
    var path = apiBase + '/v1/connections/' + encodeURIComponent(options.connectionId);
    var pollEvery = options.pollIntervalMs || 2000;
    var usedUris = {};
    var lastSeen = options.current || null;
    var poller = null;

    function call(method, suffix, body) {
      return fetch(path + suffix, {
        method: method,
        headers: {
          'Authorization': 'Bearer ' + options.browserToken,
          'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) {
            var error = new Error(json.detail || ('memberflow answered ' + response.status));
            error.problem = json;
            throw error;
          }
          return json;
        });
      });
    }

    /**
     * Tells the page what to do next. A fresh window after an error is "try_again" with its URI,
     * whatever the state says.
     */
    function report(current) {
      var step = STEPS[current.state] || 'waiting';
      var previous = lastSeen;
      lastSeen = current;
      if (current.state === 'AWAITING_OAUTH' && previous && current.attempt > previous.attempt) {
        step = 'try_again';
      }
      if (previous && previous.state === current.state && previous.attempt === current.attempt) {
        return current;
      }
      if (step !== 'waiting' && poller) {
        clearInterval(poller);
        poller = null;
      }
      if (options.onStep) {
        options.onStep(step, current);
      }
      return current;
    }

    function onMessage(event) {
      if (event.origin !== options.mxOrigin) {
        return;
      }
      var data = event.data;
      if (!data || typeof data !== 'object' || data.mx !== true
          || MESSAGE_TYPES.indexOf(data.type) < 0) {
        return;
      }
      call('POST', '/oauth-messages', data).then(report, reportError);
    }

    function reportError(error) {
      if (options.onError) {
        options.onError(error);
      }
    }

    /** Without a message (window closed, opener cut) the state still arrives, by polling. */
    function poll() {
      if (!poller) {
        poller = setInterval(function () {
          call('GET', '').then(report, reportError);
        }, pollEvery);
      }
    }

    /**
     * Points the OAuth window at a one-time URI, exactly as memberflow gave it: a window the page
     * opened in the click handler, or a new one (then this must run in the click handler).
     */
    function open(uri, openedWindow) {
      if (!uri || usedUris[uri]) {
        throw new Error('an oauth_window_uri is used once; ask memberflow for a fresh one');
      }
      usedUris[uri] = true;
      (openedWindow || openWindow()).location.href = uri;
      poll();
    }

    /** After DENIED or a provider error, or after IMPEDED (resume): a fresh window. */
    function again(action) {
      var opened = openWindow();
      return call('POST', '/' + action).then(function (current) {
        report(current);
        if (current.oauth_window_uri) {
          open(current.oauth_window_uri, opened);
        } else {
          opened.close();
        }
        return current;
      }, function (error) {
        opened.close();
        reportError(error);
        throw error;
      });
    }

    global.addEventListener('message', onMessage);

    return {
      open: open,
      retry: function () { return again('retry'); },
      resume: function () { return again('resume'); },
      /** Continues a CANCELLED/SESSION_ERROR outcome: the fresh URI is already there. */
      tryAgain: function () { open(lastSeen.oauth_window_uri); },
      refresh: function () { return call('GET', '').then(report); },
      close: function () {
        global.removeEventListener('message', onMessage);
        if (poller) {
          clearInterval(poller);
        }
      }
    };
  }

  /**
   * Opens the (blank) OAuth window. Call it synchronously inside the click handler so that popup
   * blockers let it through.
   */
  function openWindow() {
    return global.open('', 'memberflow-oauth', 'width=520,height=720');
  }

  global.Memberflow = { connection: connection, openWindow: openWindow, STEPS: STEPS };
})(window);
