/* Patch: team live socket client. Plain script, load with `defer` AFTER htmx.
 *
 * Contract (see templates):
 *   <body data-live-url="/ws/team/<id>/">   -- absent: this script does nothing
 *   <span id="live-status" class="patch-live-status" aria-live="polite"></span>
 *
 * Each message is JSON {"event": "<name>", ...ids}; it is re-dispatched with
 * htmx.trigger(document.body, event, data), so regions can use
 * hx-trigger="<name> from:body". After a RE-connect (not the first connect)
 * "patch:reconnected" is triggered on <body> so live regions refresh.
 *
 * document.body.dataset.liveState: connecting | open | closed | denied
 * Reconnect: exponential backoff with full jitter (base 1 s, cap 30 s, reset
 * after a successful open); never after close codes 4403/4404 (denied);
 * promptly on `online` and when the page becomes visible again.
 */
(function () {
  'use strict';

  var body = document.body;
  if (!body || !body.dataset.liveUrl || !('WebSocket' in window)) {
    return;
  }

  var URL_ = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + body.dataset.liveUrl;
  var BASE_MS = 1000;
  var CAP_MS = 30000;
  var DENIED_CODES = { 4403: true, 4404: true };
  // Server-sent event names are re-dispatched as DOM events: keep them simple
  // and never let the server fire htmx's own lifecycle events.
  var EVENT_NAME = /^[A-Za-z][A-Za-z0-9:._-]{0,63}$/;

  // Words from Django's JavaScript catalogue, loaded first (English if it failed to load).
  var gettext = window.gettext || function (text) { return text; };
  var TEXT = {
    open: gettext('Live'),
    reconnecting: gettext('Reconnecting\u2026'),
    offline: gettext('Offline'),
    denied: gettext('Live updates unavailable')
  };

  var socket = null;
  var attempt = 0;          // failed attempts since the last successful open
  var timer = null;         // pending reconnect timeout
  var everOpened = false;   // has any connection on this page opened?
  var denied = false;
  var suspended = false;    // closed on purpose (pagehide)

  function setState(state) {
    body.dataset.liveState = state;
    var status = document.getElementById('live-status');
    if (!status) { return; }
    var text = null;
    if (!navigator.onLine || body.dataset.outboxOnline === 'false') {
      // The same word and state as the outbox's status box (outbox.js sets outboxOnline).
      text = TEXT.offline;
    } else if (state === 'open') {
      text = TEXT.open;
    } else if (state === 'denied') {
      text = TEXT.denied;
    } else if (everOpened || state === 'closed') {
      // Do not announce "Reconnecting" while making the very first connection.
      text = TEXT.reconnecting;
    }
    // Only touch the aria-live region when the text really changes, so screen
    // readers are not told the same thing twice.
    if (text !== null && status.textContent !== text) {
      status.textContent = text;
    }
  }

  function trigger(name, detail) {
    if (window.htmx && typeof window.htmx.trigger === 'function') {
      window.htmx.trigger(body, name, detail);
    } else {
      body.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
    }
  }

  function clearTimer() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  }

  function isClosed() {
    return !socket || socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING;
  }

  function connect() {
    clearTimer();
    if (denied || suspended || !isClosed()) { return; }

    setState('connecting');
    var ws;
    try {
      ws = new WebSocket(URL_);
    } catch (err) {
      socket = null;
      scheduleReconnect();
      return;
    }
    socket = ws;

    ws.addEventListener('open', function () {
      if (ws !== socket) { return; }
      attempt = 0;
      var reconnected = everOpened;
      everOpened = true;
      setState('open');
      if (reconnected) {
        trigger('patch:reconnected', {});
      }
    });

    ws.addEventListener('message', function (msg) {
      if (ws !== socket || typeof msg.data !== 'string') { return; }
      var data;
      try {
        data = JSON.parse(msg.data);
      } catch (err) {
        return;
      }
      if (!data || typeof data.event !== 'string' || !EVENT_NAME.test(data.event) ||
          data.event.indexOf('htmx:') === 0) {
        return;
      }
      trigger(data.event, data);
    });

    ws.addEventListener('close', function (ev) {
      if (ws !== socket) { return; }
      socket = null;
      if (DENIED_CODES[ev.code]) {
        denied = true;
        clearTimer();
        setState('denied');
        return;
      }
      setState('closed');
      if (!suspended) {
        scheduleReconnect();
      }
    });
    // 'error' is always followed by 'close'; nothing to do here.
  }

  function scheduleReconnect() {
    clearTimer();
    if (denied || suspended) { return; }
    // Full jitter: random delay in [0, min(cap, base * 2^attempt)).
    var ceiling = Math.min(CAP_MS, BASE_MS * Math.pow(2, attempt));
    attempt += 1;
    var delay = Math.floor(Math.random() * ceiling);
    timer = setTimeout(function () {
      timer = null;
      // Save battery: while the page is hidden wait for it to become visible.
      if (document.visibilityState === 'hidden') { return; }
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (denied || suspended) { return; }
    if (isClosed()) {
      connect();
    }
  }

  window.addEventListener('online', reconnectNow);
  function reword() { setState(body.dataset.liveState || 'connecting'); }
  window.addEventListener('offline', reword);
  body.addEventListener('patch:connection', reword);

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      reconnectNow();
    }
  });

  // Back/forward cache: close cleanly when the page is hidden for navigation
  // (an open socket can make the page ineligible) and reconnect if restored.
  window.addEventListener('pagehide', function (ev) {
    if (!ev.persisted) { return; }
    suspended = true;
    clearTimer();
    if (socket) {
      var ws = socket;
      socket = null;
      try { ws.close(1000); } catch (err) { /* ignore */ }
    }
  });
  window.addEventListener('pageshow', function (ev) {
    if (!ev.persisted || !suspended) { return; }
    suspended = false;
    setState('closed');
    connect();
  });

  connect();
})();
