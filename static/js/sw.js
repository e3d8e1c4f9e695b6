/* Patch service worker. Django serves THIS file at /sw.js (scope /, header
 * `Service-Worker-Allowed: /`). Workbox is loaded from our own static files,
 * never from a CDN.
 *
 * Bump VERSION whenever any file in SHELL changes (or the offline page's
 * markup changes): installed workers then refetch the whole app shell.
 */
const VERSION = '2026-12-03.2';

importScripts('/static/vendor/workbox/workbox-sw.js');
// The outbox's storage and flush code (no DOM part runs here): Background Sync
// replays with exactly the code the pages use.
importScripts('/static/js/outbox.js');

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
// settings.LANGUAGES (a test keeps them equal): the offline page and the scripts' strings are
// kept in each, and the offline page is shown in the language the tablet's pages last used.
const LANGUAGES = ['en-gb', 'cy'];
const offlineUrl = (language) => `${OFFLINE_URL}?lang=${language}`;
const STATIC_CACHE = 'patch-static';
// Pages kept for offline reading: ONLY the URLs of the signed-in member's
// next-48-hour list (GET <body data-offline-pages-url>), each stored with
// x-patch-cached-at and x-patch-expires-at headers.
const PAGES_CACHE = 'patch-pages';
const PAGES_EVERY_MS = 10 * 60 * 1000;
const NETWORK_TIMEOUT_SECONDS = 4;

const SHELL = [
  OFFLINE_URL,
  ...LANGUAGES.map(offlineUrl),
  ...LANGUAGES.map((language) => `/jsi18n/${language}.js`),
  '/static/vendor/govuk-frontend/govuk-frontend.min.css',
  '/static/vendor/govuk-frontend/govuk-frontend.min.js',
  '/static/vendor/htmx/htmx.min.js',
  '/static/css/patch.css',
  '/static/js/app.js',
  '/static/js/govuk-init.js',
  '/static/js/live.js',
  '/static/js/outbox.js',
  '/static/js/rota-grid.js',
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

/* ---- navigations: network-first; listed pages from PAGES_CACHE offline --- */

function timeout(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

async function cachedPage(url) {
  const cache = await caches.open(PAGES_CACHE);
  const hit = await cache.match(url);
  if (!hit) { return null; }
  const expires = Date.parse(hit.headers.get('x-patch-expires-at') || '');
  if (!(expires > Date.now())) {
    await cache.delete(url); // kept pages expire: never show a stale copy past expires_at
    return null;
  }
  return hit;
}

// Copy a response with our bookkeeping headers (a Response's headers are immutable).
async function stamped(response, expiresAt) {
  const headers = new Headers(response.headers);
  headers.set('x-patch-cached-at', new Date().toISOString());
  headers.set('x-patch-expires-at', expiresAt);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// The offline page in the language of the pages last opened on this tablet (outbox.js notes it).
async function offlinePage() {
  const language = await PatchOutbox.getMeta('language').catch(() => null);
  const url = LANGUAGES.includes(language) ? offlineUrl(language) : OFFLINE_URL;
  return (await precaching.matchPrecache(url)) || precaching.matchPrecache(OFFLINE_URL);
}

async function handleNavigation({ request }) {
  const network = fetch(request).then(async (response) => {
    // Keep an already-listed page fresh while we are online anyway.
    if (response.ok && !response.redirected && response.type === 'basic') {
      const cache = await caches.open(PAGES_CACHE);
      const old = await cache.match(request.url);
      if (old) {
        await cache.put(request.url, await stamped(response.clone(), old.headers.get('x-patch-expires-at')));
      }
    }
    return response;
  });
  network.catch(() => null); // a failure is handled below; do not report it twice
  try {
    const first = await Promise.race([network, timeout(NETWORK_TIMEOUT_SECONDS * 1000)]);
    if (first) { return first; }
    // Slow network: a kept copy now beats waiting; otherwise keep waiting.
    const kept = await cachedPage(request.url);
    return kept || await network;
  } catch (err) {
    const kept = await cachedPage(request.url);
    if (kept) { return kept; }
    const offline = await offlinePage();
    return offline || Response.error();
  }
}

// GET navigations only (registerRoute defaults to GET; form POSTs go straight
// to the network). /ws/ and /admin/ are never handled here.
routing.registerRoute(new routing.NavigationRoute(handleNavigation, {
  denylist: [/^\/ws\//, /^\/admin\//],
}));

/* ---- offline pages list ---------------------------------------------------
 * {type: 'pages-refresh', url, member, team, force}: fetch the list, cache each
 * listed page, delete every kept page that is not listed (or is expired).
 * Throttled to PAGES_EVERY_MS per member and team unless forced.
 */

async function refreshPages({ url, member, team, force }) {
  const key = `pages:${member}:${team}`;
  const last = await PatchOutbox.getMeta(key);
  const cache = await caches.open(PAGES_CACHE);
  if (!force && last && Date.now() - Date.parse(last.at) < PAGES_EVERY_MS) {
    return (await cache.keys()).length;
  }
  // Another person (or team) on this tablet: their pages must not stay.
  const owner = await PatchOutbox.getMeta('pages-owner');
  if (owner !== `${member}:${team}`) {
    await caches.delete(PAGES_CACHE);
    await PatchOutbox.setMeta('pages-owner', `${member}:${team}`);
  }
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' });
  if (!response.ok || response.type !== 'basic') {
    return null; // logged out / not a member: keep nothing new
  }
  const list = await response.json();
  const expiresAt = list.expires_at;
  const wanted = new Set((list.urls || []).map((u) => new URL(u, self.location.origin).href)
    .filter((u) => u.startsWith(self.location.origin + '/')));
  const store = await caches.open(PAGES_CACHE);
  await Promise.all([...wanted].map(async (pageUrl) => {
    try {
      // The header lets the server tell a background copy from a person opening
      // the record (e.g. to keep "Who looked at this record" honest).
      const page = await fetch(pageUrl, {
        credentials: 'same-origin', redirect: 'follow', headers: { 'X-Patch-Offline-Copy': '1' },
      });
      if (page.ok && !page.redirected && (page.headers.get('content-type') || '').includes('text/html')) {
        await store.put(pageUrl, await stamped(page, expiresAt));
      }
    } catch (err) {
      // Network dropped half way: the old copy (if any) stays until it expires.
    }
  }));
  const now = Date.now();
  await Promise.all((await store.keys()).map(async (req) => {
    if (!wanted.has(req.url) || !(Date.parse(expiresAt) > now)) {
      await store.delete(req);
    }
  }));
  await PatchOutbox.setMeta(key, { at: new Date().toISOString(), expires_at: expiresAt });
  return (await store.keys()).length;
}

/* ---- Background Sync: replay the outbox ---------------------------------
 * With a page open, that page flushes (it shows the results); otherwise the
 * worker sends with the session it last saw (member, team, CSRF token). A
 * batch-level failure throws, so the browser retries the sync later.
 */

self.addEventListener('sync', (event) => {
  if (event.tag !== PatchOutbox.SYNC_TAG) { return; }
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window' });
    if (windows.length) {
      windows.forEach((client) => client.postMessage({ type: 'outbox-flush' }));
      return;
    }
    const session = await PatchOutbox.getMeta('session');
    if (!session) { return; }
    const report = await PatchOutbox.flush(session);
    if (report.error && report.error !== 'auth') {
      throw new Error(`outbox replay failed: ${report.error}`);
    }
    if (report.results.length && session.pagesUrl) {
      await refreshPages({ url: session.pagesUrl, member: session.member, team: session.team, force: true })
        .catch(() => null);
    }
  })());
});

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
    const offline = await offlinePage();
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
  if (data && data.type === 'pages-refresh') {
    event.waitUntil((async () => {
      let count = null;
      try {
        count = await refreshPages(data);
      } catch (err) {
        // Offline or storage full: the pages kept so far stay until they expire.
      }
      if (event.ports && event.ports[0]) {
        event.ports[0].postMessage({ type: 'pages-cached', count });
      }
    })());
    return;
  }
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
