/* Patch service worker. Django serves THIS file at /sw.js (scope /, header
 * `Service-Worker-Allowed: /`). Workbox is loaded from our own static files,
 * never from a CDN.
 *
 * Bump VERSION whenever any file in SHELL changes (or the offline page's
 * markup changes): installed workers then refetch the whole app shell.
 */
const VERSION = '2026-11-28.3';

importScripts('/static/vendor/workbox/workbox-sw.js');

// Only the production builds are vendored: force them (debug would load *.dev.js,
// which is not shipped, and workbox-sw defaults to debug on localhost).
workbox.setConfig({ debug: false, modulePathPrefix: '/static/vendor/workbox/' });

// importScripts() only works while the worker script first runs, so load every
// module now (dependencies first) rather than lazily on first use.
['workbox-core', 'workbox-routing', 'workbox-strategies', 'workbox-precaching',
  'workbox-expiration', 'workbox-cacheable-response'].forEach((name) => workbox.loadModule(name));

const { core, routing, strategies, precaching, expiration, cacheableResponse } = workbox;

core.setCacheNameDetails({ prefix: 'patch', suffix: '', precache: 'precache', runtime: 'runtime' });

const OFFLINE_URL = '/offline/';
const STATIC_CACHE = 'patch-static';
// Runtime cache reserved for pages kept for offline reading (not used yet).
const PAGES_CACHE = 'patch-pages';
const NETWORK_TIMEOUT_SECONDS = 4;

const SHELL = [
  OFFLINE_URL,
  '/static/vendor/govuk-frontend/govuk-frontend.min.css',
  '/static/vendor/govuk-frontend/govuk-frontend.min.js',
  '/static/vendor/htmx/htmx.min.js',
  '/static/css/patch.css',
  '/static/js/app.js',
  '/static/js/govuk-init.js',
  '/static/js/live.js',
  '/static/icons/icon-192.png',
  '/manifest.json',
];

/* ---- install / activate ------------------------------------------------ */

// Precache the shell (cache-first for these exact URLs). If any URL fails
// (non-2xx) the install fails and the previous worker stays in charge.
precaching.precacheAndRoute(SHELL.map((url) => ({ url, revision: VERSION })));
precaching.cleanupOutdatedCaches();

self.addEventListener('install', () => {
  self.skipWaiting();
});
core.clientsClaim();

function keptCacheNames() {
  return new Set([core.cacheNames.precache, STATIC_CACHE, PAGES_CACHE]);
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = keptCacheNames();
    const names = await caches.keys();
    await Promise.all(names.filter((name) => !keep.has(name)).map((name) => caches.delete(name)));
  })());
});

/* ---- navigations: network-first, offline page as the fallback ---------- */

// HOOK for later offline reading: return true for same-origin page URLs whose
// HTML may be kept in PAGES_CACHE. Nothing is cached yet (the offline page is
// precached separately). Remember: cached pages may hold personal data; the
// {type: 'clear'} message at logout removes them.
function shouldCachePage(url) { // eslint-disable-line no-unused-vars
  return false;
}

const pageCachePolicy = {
  cacheWillUpdate: async ({ request, response }) => {
    if (response && response.status === 200 && !response.redirected &&
        shouldCachePage(new URL(request.url))) {
      return response;
    }
    return null; // do not cache
  },
};

const pagesStrategy = new strategies.NetworkFirst({
  cacheName: PAGES_CACHE,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  plugins: [
    pageCachePolicy,
    new expiration.ExpirationPlugin({ maxEntries: 50, maxAgeSeconds: 7 * 24 * 60 * 60, purgeOnQuotaError: true }),
  ],
});

// GET navigations only (registerRoute defaults to GET; form POSTs go straight
// to the network). /ws/ and /admin/ are never handled here.
routing.registerRoute(new routing.NavigationRoute(pagesStrategy, {
  denylist: [/^\/ws\//, /^\/admin\//],
}));

/* ---- static files: stale-while-revalidate with expiry ------------------ */

routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin &&
    url.pathname.startsWith('/static/') && request.method === 'GET',
  new strategies.StaleWhileRevalidate({
    cacheName: STATIC_CACHE,
    plugins: [
      new cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
      new expiration.ExpirationPlugin({ maxEntries: 100, maxAgeSeconds: 30 * 24 * 60 * 60, purgeOnQuotaError: true }),
    ],
  }),
);

/* ---- everything else ---------------------------------------------------
 * No default handler: fetch/XHR/htmx partials, /ws/, POSTs and other non-GET
 * requests are not intercepted at all, so they go to the network exactly as
 * without a service worker (and never get an HTML fallback).
 */

routing.setCatchHandler(async ({ request }) => {
  if (request.mode === 'navigate' && request.method === 'GET') {
    const offline = await precaching.matchPrecache(OFFLINE_URL);
    if (offline) {
      return offline;
    }
  }
  return Response.error();
});

/* ---- messages ------------------------------------------------------------
 * {type: 'clear'}: delete every cache (sent at logout), then re-fetch the
 * anonymous app shell in the background so the offline page keeps working.
 * If the message carries a MessagePort (event.ports[0]) it gets
 * {type: 'cleared'} when the caches are gone.
 */

async function refillShell() {
  const cache = await caches.open(core.cacheNames.precache);
  await Promise.all(SHELL.map(async (url) => {
    const key = precaching.getCacheKeyForURL(url);
    if (!key) { return; }
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'reload' });
      if (response.ok && !response.redirected) {
        await cache.put(key, response);
      }
    } catch (err) {
      // Offline: the shell comes back on the next install/visit.
    }
  }));
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'clear') {
    return;
  }
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
    if (event.ports && event.ports[0]) {
      event.ports[0].postMessage({ type: 'cleared' });
    }
    await refillShell();
  })());
});
