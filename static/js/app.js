/* Patch: progressive-enhancement bootstrap. Plain script, load with `defer`.
 * - marks <body> so GOV.UK Frontend's JS-dependent styles apply
 * - registers the service worker (served by Django at /sw.js, scope /)
 * - on a page whose <body> has data-sw-clear (the logged-out page), tells the
 *   service worker to delete all caches
 * No inline styles, no eval: CSP `script-src 'self'` safe.
 */
(function () {
  'use strict';

  var body = document.body;
  if (body) {
    body.classList.add('js-enabled');
    if ('noModule' in HTMLScriptElement.prototype) {
      body.classList.add('govuk-frontend-supported');
    }
  }

  if ('serviceWorker' in navigator) {
    // An install fails when any file of the app shell cannot be fetched (a weak
    // signal, a busy server). Try again a few times, further apart each time,
    // instead of leaving the nurse without offline pages until the next page load.
    var attempts = 0;
    var retry = function (err) {
      if (err && window.console) { console.warn('Patch: service worker not installed', err); }
      attempts += 1;
      if (attempts <= 4) { setTimeout(register, 5000 * attempts); }
    };
    var register = function () {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function (reg) {
        var worker = reg.installing;
        if (!worker) { return; }
        worker.addEventListener('statechange', function () {
          if (worker.state === 'redundant' && !reg.active) { retry('the app shell could not be fetched'); }
        });
      }).catch(retry);
    };
    // Logged-out page: <body data-sw-clear> asks the worker to delete every
    // cache (pages or data kept for the previous user).
    if (body && body.hasAttribute('data-sw-clear') && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: 'clear' });
    }
    // Register after load so it does not compete with the first page's requests.
    if (document.readyState === 'complete') {
      register();
    } else {
      window.addEventListener('load', register, { once: true });
    }
  }
})();
