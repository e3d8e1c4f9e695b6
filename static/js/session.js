/* Patch: warn before the session times out, and tell the server when its person is active.
 *
 * Contract (templates/base.html, teams/sessions.py):
 *   <body data-session-url="/session/" data-session-idle="1800"
 *         data-session-lifetime="36000" data-session-warning="120">
 *   <template id="session-warning"> with [data-session-stay] inside.
 * The server ends a session after idle time or after a working day. Requests that are not the
 * person's doing (htmx refreshes after live events or polling) carry X-Patch-Background so they
 * do not count as activity; a tap or key press asks /session/ at most once a minute, which
 * does. Before the end a warning offers "Stay logged in"; at the end the page reloads so the
 * server shows the login page. Offline nothing happens: the outbox keeps its changes and the
 * login page comes once the device is back online.
 */
(function () {
  'use strict';

  var body = document.body;
  var url = body && body.dataset.sessionUrl;
  if (!url || !window.fetch) { return; }

  var warningMs = Number(body.dataset.sessionWarning) * 1000;
  var PING_EVERY_MS = 60 * 1000;
  var endsAt = 0;
  var lastPing = Date.now();
  var timer = null;
  var banner = null;

  function update(idle, lifetime) {
    endsAt = Date.now() + Math.min(Number(idle), Number(lifetime)) * 1000;
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    var left = endsAt - Date.now();
    if (left <= 0) {
      ended();
    } else if (left <= warningMs) {
      show();
      timer = setTimeout(schedule, left);
    } else {
      hide();
      timer = setTimeout(check, left - warningMs);
    }
  }

  function ask(background) {
    var headers = { Accept: 'application/json' };
    if (background) { headers['X-Patch-Background'] = '1'; }
    return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: headers })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (left) { update(left.idle, left.lifetime); });
  }

  // Another tab may have kept the session alive: ask before warning.
  function check() {
    ask(true).catch(schedule);
  }

  function stillHere() {
    lastPing = Date.now();
    return ask(false).catch(function () { /* offline: the server decides later */ });
  }

  function show() {
    if (banner) { return; }
    var template = document.getElementById('session-warning');
    var main = document.getElementById('main-content');
    if (!template || !main) { return; }
    banner = template.content.firstElementChild.cloneNode(true);
    banner.querySelector('[data-session-stay]').addEventListener('click', stillHere);
    main.insertBefore(banner, main.firstChild);
  }

  function hide() {
    if (banner) { banner.remove(); banner = null; }
  }

  function ended() {
    if (navigator.onLine) {
      location.assign(location.href);
    } else {
      window.addEventListener('online', function () { location.assign(location.href); }, { once: true });
    }
  }

  function active() {
    if (Date.now() - lastPing >= PING_EVERY_MS) { stillHere(); }
  }

  document.addEventListener('pointerdown', active, { capture: true, passive: true });
  document.addEventListener('keydown', active, { capture: true, passive: true });

  body.addEventListener('htmx:configRequest', function (event) {
    var cause = event.detail.triggeringEvent;
    if (!cause || !cause.isTrusted) {
      event.detail.headers['X-Patch-Background'] = '1';
    }
  });

  update(body.dataset.sessionIdle, body.dataset.sessionLifetime);
})();
