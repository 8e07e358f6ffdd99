/*
 * memberflow.js: runs MX's OAuth window for one memberflow connection in a browser.
 * No dependencies, no build step. See docs/api.md ("Frontends") for how to use it.
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
   * window is ready after CANCELLED or SESSION_ERROR, or after a success MX did not confirm (call
   * tryAgain() in a click handler); 'confirming' means MX is being asked about a relayed success;
   * after 'connected' come 'data_ready' (MX has fetched the accounts) or 'aggregation_failed';
   * 'login_failed' and 'provider_unavailable' call for retry(), 'act_at_institution' for resume().
   * A connected member's life goes on: 'reauth_required' calls for reconnectWith() (the user must
   * sign in again on the same member), 'degraded' means the bank is in trouble (nothing to do),
   * 'closed' and 'disconnected' are ends.
   */
  var STEPS = {
    STARTING: 'waiting',
    AWAITING_OAUTH: 'waiting',
    CONFIRMING: 'confirming',
    CONNECTED: 'connected',
    ACTION_REQUIRED: 'act_at_institution',
    LOGIN_FAILED: 'login_failed',
    PROVIDER_UNAVAILABLE: 'provider_unavailable',
    FAILED: 'failed',
    EXPIRED: 'expired',
    CANCELLED: 'cancelled',
    DEGRADED: 'degraded',
    REAUTH_REQUIRED: 'reauth_required',
    CLOSED: 'closed',
    DISCONNECTED: 'disconnected'
  };

  /** After CONNECTED, by the first aggregation's state; SKIPPED stays 'connected'. */
  var AGGREGATION_STEPS = {
    DATA_READY: 'data_ready',
    FAILED: 'aggregation_failed'
  };

  function connection(options) {
    var apiBase = options.apiBase || '';
    var path = apiBase + '/v1/connections/' + encodeURIComponent(options.connectionId);
    var pollEvery = options.pollIntervalMs || 2000;
    var usedUris = {};
    var lastSeen = options.current || null;
    var closed = false;
    var poller = null;
    /** A 202 says the request goes on, and when to look again (Retry-After). */
    var lookAgainMs = pollEvery;

    function call(method, suffix, body) {
      return fetch(path + suffix, {
        method: method,
        headers: {
          'Authorization': 'Bearer ' + options.browserToken,
          'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (response) {
        lookAgainMs = response.status === 202 ? retryAfterMs(response, pollEvery) : pollEvery;
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
     * Tells the page what to do next. A window memberflow issued after an error, not yet opened
     * here, is "try_again"; the state alone cannot say that.
     */
    function report(current) {
      if (closed) {
        return current;
      }
      var previous = lastSeen;
      lastSeen = current;
      var step = STEPS[current.state] || 'waiting';
      var aggregating = current.state === 'CONNECTED' && current.aggregation === 'AGGREGATING';
      if (current.state === 'CONNECTED' && AGGREGATION_STEPS[current.aggregation]) {
        step = AGGREGATION_STEPS[current.aggregation];
      }
      if (current.state === 'AWAITING_OAUTH') {
        step = current.oauth_window_uri && anyUsed() && !usedUris[current.oauth_window_uri]
          ? 'try_again' : 'waiting';
      }
      if (previous && previous.state === current.state && previous.attempt === current.attempt
          && previous.oauth_window_uri === current.oauth_window_uri
          && previous.aggregation === current.aggregation) {
        return current;
      }
      if (step === 'confirming' || aggregating) {
        poll();
      } else if (step !== 'waiting') {
        stopPolling();
      }
      if (options.onStep) {
        options.onStep(step, current);
      }
      return current;
    }

    function anyUsed() {
      return Object.keys(usedUris).length > 0;
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
          call('GET', '').then(report, function (error) {
            stopPolling();
            reportError(error);
          });
        }, pollEvery);
      }
    }

    function stopPolling() {
      if (poller) {
        clearInterval(poller);
        poller = null;
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
      var target = openedWindow || openWindow();
      if (!target || target.closed) {
        reportError(new Error('the browser blocked the sign-in window: allow pop-ups and try again'));
        return;
      }
      usedUris[uri] = true;
      target.location.href = uri;
      poll();
    }

    /**
     * For a start or retry answered 202 (taken, no window yet): looks again after firstWaitMs (the
     * answer's Retry-After), then every pollIntervalMs, and points the window the page opened in
     * the click at the window once it is out.
     */
    function openWhenReady(openedWindow, firstWaitMs) {
      setTimeout(function lookAgain() {
        call('GET', '').then(function (current) {
          if (current.oauth_window_uri) {
            open(current.oauth_window_uri, openedWindow);
          } else if (STEPS[current.state] === 'waiting') {
            setTimeout(lookAgain, pollEvery);
          } else {
            if (openedWindow) {
              openedWindow.close();
            }
            report(current);
          }
        }, reportError);
      }, firstWaitMs === undefined ? pollEvery : firstWaitMs);
    }

    /**
     * Asks for a fresh window with the window opened in the click: points it at the window once
     * it is out, or closes it when none will come.
     */
    function freshWindow(ask) {
      var opened = openWindow();
      return Promise.resolve().then(ask).then(function (current) {
        if (current.oauth_window_uri) {
          open(current.oauth_window_uri, opened);
        } else if (STEPS[current.state] === 'waiting') {
          openWhenReady(opened, lookAgainMs);
        } else if (opened) {
          opened.close();
        }
        return report(current);
      }, function (error) {
        if (opened) {
          opened.close();
        }
        reportError(error);
        throw error;
      });
    }

    /** After DENIED or a provider error, or after IMPEDED (resume): a fresh window. */
    function again(action) {
      return freshWindow(function () { return call('POST', '/' + action); });
    }

    /**
     * When the user must sign in again (REAUTH_REQUIRED): askBackend() is the page's call to its
     * backend, which asks memberflow for a reconnect (a backend key's right) and answers with
     * memberflow's JSON. Like a first connection, call it in the click handler: the window opens
     * there, and points at the fresh window once it is out.
     */
    function reconnectWith(askBackend) {
      return freshWindow(function () {
        return Promise.resolve(askBackend()).then(function (answer) {
          if (answer.browser_token) {
            options.browserToken = answer.browser_token;
          }
          lookAgainMs = pollEvery;
          return answer;
        });
      });
    }

    global.addEventListener('message', onMessage);

    return {
      open: open,
      openWhenReady: openWhenReady,
      retry: function () { return again('retry'); },
      resume: function () { return again('resume'); },
      reconnectWith: reconnectWith,
      /** Continues a CANCELLED/SESSION_ERROR outcome: the fresh URI is already there. */
      tryAgain: function () {
        open(lastSeen.oauth_window_uri);
        if (options.onStep) {
          options.onStep('waiting', lastSeen);
        }
      },
      refresh: function () { return call('GET', '').then(report); },
      close: function () {
        closed = true;
        global.removeEventListener('message', onMessage);
        stopPolling();
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

  /** A 202 answer's Retry-After in milliseconds, or the fallback. */
  function retryAfterMs(response, fallbackMs) {
    var seconds = Number(response.headers.get('Retry-After'));
    return seconds > 0 ? seconds * 1000 : fallbackMs;
  }

  global.Memberflow = {
    connection: connection, openWindow: openWindow, retryAfterMs: retryAfterMs, STEPS: STEPS
  };
})(window);
