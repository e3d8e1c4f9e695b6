/* Patch outbox: the ONE write path for offline-capable forms (docs/sync-protocol.md).
 * Plain script. Loaded twice:
 *   - in pages with <script defer> (after live.js): intercepts forms that carry
 *     data-outbox-kind, renders #outbox-status, handles logout;
 *   - in the service worker with importScripts(): only the storage and flush
 *     code below runs there (no DOM), so Background Sync replays with the very
 *     same code as the pages.
 *
 * IndexedDB "patch-outbox":
 *   mutations {id, member, team, kind, target, base_version, payload, created_at,
 *              seq, attempts, strikes, held, last_error, label, message, next, sync_url}
 *   meta      device, session (member/team/urls/csrf of the last page seen),
 *             lastSync:<member>:<team>, pages:<member>:<team>, seq
 * An item leaves `mutations` ONLY when the server answered it with a per-item
 * result; batch-level failures (network, 403, 404, 502-504) keep everything.
 * A batch the server fails on (400, 413, other 5xx, an unreadable answer) is
 * halved until the one failing item is found; that item is set aside for the
 * rest of the flush, and after MAX_STRIKES such flushes it is held on the
 * tablet under "Needs attention" (held: true) while the queue moves on.
 */
(function (root) {
  'use strict';

  var DB_NAME = 'patch-outbox';
  var DB_VERSION = 1;
  var MAX_BATCH = 100;            // contract: at most 100 mutations ...
  var MAX_BYTES = 480 * 1024;     // ... and 512 KiB per request (keep a margin)
  var SYNC_TAG = 'patch-outbox';
  var MAX_STRIKES = 3;

  /* ---- IndexedDB (tiny promise wrapper; one short-lived connection per
   * transaction, so a logout can delete the database without being blocked) */

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains('mutations')) { db.createObjectStore('mutations', { keyPath: 'id' }); }
        if (!db.objectStoreNames.contains('meta')) { db.createObjectStore('meta'); }
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); };
        resolve(db);
      };
      req.onerror = function () { reject(req.error); };
    });
  }

  // Run fn(stores) in one transaction; resolves with fn's IDBRequest result (or value).
  function tx(names, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (n) { stores[n] = t.objectStore(n); });
        var out = fn(stores);
        t.oncomplete = function () {
          db.close();
          resolve(out instanceof IDBRequest ? out.result : out);
        };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }

  function getMeta(key) {
    return tx(['meta'], 'readonly', function (s) { return s.meta.get(key); });
  }

  function setMeta(key, value) {
    return tx(['meta'], 'readwrite', function (s) { s.meta.put(value, key); });
  }

  function deleteMeta(key) {
    return tx(['meta'], 'readwrite', function (s) { s.meta.delete(key); });
  }

  function allMutations() {
    return tx(['mutations'], 'readonly', function (s) { return s.mutations.getAll(); });
  }

  // Only this member's items for this team, oldest first: another person on the
  // same tablet never sees or replays them.
  function pendingFor(member, team) {
    return allMutations().then(function (items) {
      return items.filter(function (m) { return m.member === member && m.team === team; })
        .sort(function (a, b) {
          return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.seq - b.seq;
        });
    });
  }

  function addMutation(m) {
    return tx(['mutations', 'meta'], 'readwrite', function (s) {
      // seq breaks ties between items made in the same millisecond (order matters).
      var req = s.meta.get('seq');
      req.onsuccess = function () {
        m.seq = (req.result || 0) + 1;
        s.meta.put(m.seq, 'seq');
        s.mutations.put(m);
      };
      return m;
    });
  }

  function device() {
    return tx(['meta'], 'readwrite', function (s) {
      var holder = { id: null };
      var req = s.meta.get('device');
      req.onsuccess = function () {
        holder.id = req.result || uuid();
        if (!req.result) { s.meta.put(holder.id, 'device'); }
      };
      return holder;
    }).then(function (h) { return h.id; });
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // Pages and the service worker may both flush: serialise them so a batch is
  // never sent twice at once (a replay would be harmless — `duplicate` — but noisy).
  function withLock(fn) {
    var locks = root.navigator && root.navigator.locks;
    return locks ? locks.request('patch-outbox-flush', fn) : fn();
  }

  function wire(m) {
    return { id: m.id, kind: m.kind, target: m.target, base_version: m.base_version,
      payload: m.payload, created_at: m.created_at };
  }

  function batchOf(items, dev, cap) {
    var batch = [];
    for (var i = 0; i < items.length && batch.length < cap; i += 1) {
      batch.push(items[i]);
      var size = new Blob([JSON.stringify({ device: dev, mutations: batch.map(wire) })]).size;
      if (size > MAX_BYTES && batch.length > 1) { batch.pop(); break; }
    }
    return batch;
  }

  function markFailed(batch, error) {
    return tx(['mutations'], 'readwrite', function (s) {
      batch.forEach(function (m) {
        m.attempts = (m.attempts || 0) + 1;
        m.last_error = error;
        s.mutations.put(m);
      });
    });
  }

  // A batch-level answer that points at something in the batch rather than at the
  // network, the session or a server that is away (502-504).
  function isolating(error) {
    return error === 'bad-response' || /^http-(400|413|5\d\d)$/.test(error) &&
      !/^http-50[234]$/.test(error);
  }

  function strike(m, error) {
    return tx(['mutations'], 'readwrite', function (s) {
      m.attempts = (m.attempts || 0) + 1;
      m.strikes = (m.strikes || 0) + 1;
      m.last_error = error;
      m.held = m.strikes >= MAX_STRIKES;
      s.mutations.put(m);
    });
  }

  // Send the items again that were held after failing alone.
  function release(member, team) {
    return pendingFor(member, team).then(function (items) {
      return tx(['mutations'], 'readwrite', function (s) {
        items.forEach(function (m) {
          if (m.held) { m.held = false; m.strikes = 0; s.mutations.put(m); }
        });
      });
    });
  }

  // POST one batch; resolves with {error, data}, never rejects.
  async function send(ctx, dev, batch) {
    var response;
    try {
      response = await fetch(ctx.syncUrl, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',   // an expired session redirects to /login/: not a result
        cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': ctx.csrf || '',
          Accept: 'application/json' },
        body: JSON.stringify({ device: dev, mutations: batch.map(wire) })
      });
    } catch (err) {
      return { error: 'network' };
    }
    if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
      return { error: 'auth' };
    }
    if (!response.ok) { return { error: 'http-' + response.status }; }
    var data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!data || !Array.isArray(data.results)) { return { error: 'bad-response' }; }
    return { error: null, data: data };
  }

  /* Send this member's items for this team, one batch at a time, in order.
   * ctx: {member, team, syncUrl, csrf}. Resolves with
   * {results: [{item, result}], error: null | 'network' | 'auth' | 'http-NNN' | 'bad-response',
   *  remaining (items still to send), held (items held on the tablet)}.
   * Never rejects for network/HTTP problems. */
  function flush(ctx) {
    return withLock(async function () {
      var report = { results: [], error: null, remaining: 0, held: 0 };
      var dev = await device();
      var cap = MAX_BATCH;
      var setAside = {};
      var justIsolated = false;
      for (;;) {
        var items = (await pendingFor(ctx.member, ctx.team)).filter(function (m) {
          return !m.held && !setAside[m.id];
        });
        if (!items.length) { break; }
        var batch = batchOf(items, dev, cap);
        var sent = await send(ctx, dev, batch);
        report.error = sent.error;
        if (sent.error && isolating(sent.error)) {
          if (batch.length > 1) { cap = Math.ceil(batch.length / 2); continue; }
          // Two items in a row failing alone: the server fails on everything; stop.
          if (justIsolated) { await markFailed(batch, sent.error); break; }
          justIsolated = true;
          setAside[batch[0].id] = true;
          await strike(batch[0], sent.error);
          cap = MAX_BATCH;
          continue;
        }
        if (sent.error) {
          await markFailed(batch, sent.error);
          break;
        }
        justIsolated = false;
        cap = Math.min(MAX_BATCH, cap * 2);
        var byId = {};
        batch.forEach(function (m) { byId[m.id] = m; });
        var acked = [];
        sent.data.results.forEach(function (r) {
          if (r && byId[r.id]) {
            acked.push({ item: byId[r.id], result: r });
            delete byId[r.id];
          }
        });
        await tx(['mutations', 'meta'], 'readwrite', function (s) {
          acked.forEach(function (a) { s.mutations.delete(a.item.id); });
          s.meta.put(new Date().toISOString(), 'lastSync:' + ctx.member + ':' + ctx.team);
        });
        report.results = report.results.concat(acked);
        // Items the server did not answer stay; try them on the next round.
        if (acked.length < batch.length) {
          report.error = 'no-result';
          await markFailed(Object.keys(byId).map(function (k) { return byId[k]; }), 'no-result');
          break;
        }
      }
      var left = await pendingFor(ctx.member, ctx.team);
      report.held = left.filter(function (m) { return m.held; }).length;
      report.remaining = left.length - report.held;
      return report;
    });
  }

  // Delete everything kept for one member; drop the database when nothing is left.
  async function forgetMember(member) {
    var left = await tx(['mutations', 'meta'], 'readwrite', function (s) {
      var info = { left: 0 };
      var req = s.mutations.getAll();
      req.onsuccess = function () {
        req.result.forEach(function (m) {
          if (m.member === member) { s.mutations.delete(m.id); } else { info.left += 1; }
        });
      };
      var keys = s.meta.getAllKeys();
      keys.onsuccess = function () {
        keys.result.forEach(function (k) {
          if (k === 'session' || String(k).indexOf(':' + member + ':') !== -1) { s.meta.delete(k); }
        });
      };
      return info;
    });
    if (left.left === 0) {
      await new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase(DB_NAME);
        // "Blocked" only means the service worker or another tab still has the database
        // open: their versionchange handlers close it and the delete completes then. Wait
        // for that, but never hold a logout up for more than a few seconds.
        req.onsuccess = req.onerror = function () { resolve(); };
        setTimeout(resolve, 5000);
      });
    }
  }

  var core = {
    SYNC_TAG: SYNC_TAG, uuid: uuid, getMeta: getMeta, setMeta: setMeta, deleteMeta: deleteMeta,
    pendingFor: pendingFor, addMutation: addMutation, flush: flush, forgetMember: forgetMember,
    release: release
  };
  root.PatchOutbox = core;

  if (typeof document === 'undefined') {
    return; // service worker: storage + flush only
  }

  /* ======================================================================
   * Pages
   * ==================================================================== */

  var body = document.body;
  if (!body || !('indexedDB' in root)) { return; }

  // Words come from Django's JavaScript catalogue (/jsi18n/<language>.js, loaded first);
  // without it (a failed download) the page still works, in English.
  var gettext = root.gettext || function (text) { return text; };
  var ngettext = root.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = root.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, k) { return String(values[k]); });
  };
  // The worker shows its offline page in the language this tablet's pages last used.
  if (document.documentElement.lang) {
    setMeta('language', document.documentElement.lang).catch(function () {});
  }

  var FLASH_KEY = 'patch-outbox-flash';
  var LOGOUT_KEY = 'patch-outbox-logout-member';
  var PAGES_FORCE_KEY = 'patch-outbox-pages-force';
  var PERIOD_MS = 60 * 1000;
  var PAGES_EVERY_MS = 10 * 60 * 1000;

  // After logout (LOGOUT_REDIRECT_URL lands on the login page; the logged-out
  // template has data-sw-clear): forget the member who just confirmed logging
  // out — flag set below right before the logout form was submitted — and drop
  // the kept pages. Without the flag nothing of the outbox is deleted: unsent
  // work stays for its author to log in again and send.
  var leaving = null;
  try { leaving = JSON.parse(sessionStorage.getItem(LOGOUT_KEY) || 'null'); } catch (e) { leaving = null; }
  var loggedOutPage = body.hasAttribute('data-sw-clear') || location.pathname === '/login/';
  if (leaving && (!loggedOutPage || Date.now() - leaving.at > 5 * 60 * 1000)) {
    // The logout did not happen (offline POST, back button) or is long past:
    // never wipe on a guess.
    sessionStorage.removeItem(LOGOUT_KEY);
    leaving = null;
  }
  if (leaving) {
    leaving = leaving.member;
    sessionStorage.removeItem(LOGOUT_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    var wipes = [forgetMember(leaving)];
    if ('caches' in root) { wipes.push(caches.delete('patch-pages')); }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: 'clear' });
    }
    Promise.all(wipes).catch(function () {}).then(function () { body.dataset.outboxCleared = 'true'; });
  }
  if (body.hasAttribute('data-sw-clear')) { return; }

  var member = body.dataset.member;
  var team = body.dataset.team;
  var syncUrl = body.dataset.syncUrl;
  var pagesUrl = body.dataset.offlinePagesUrl;
  if (!member || !team || !syncUrl) { return; }

  var csrf = (function () {
    try { return JSON.parse(body.getAttribute('hx-headers') || '{}')['X-CSRFToken'] || ''; } catch (e) { return ''; }
  })();
  var ctx = { member: member, team: team, syncUrl: syncUrl, csrf: csrf };
  var attentionUrl = syncUrl.replace(/\/$/, '') + '/attention/';
  var loginUrl = '/login/?next=' + encodeURIComponent(location.pathname + location.search);

  // The kinds, their field rules and messages, as the server publishes them
  // (caseload/sync/schema.py, embedded by templates/_outbox_status.html).
  var SCHEMA = (function () {
    var node = document.getElementById('outbox-schema');
    try { return JSON.parse(node.textContent); } catch (e) { return { kinds: {}, messages: {} }; }
  })();
  var KINDS = SCHEMA.kinds;

  function message(name, field) {
    return (SCHEMA.messages[name] || '{label}').replace(/\{(\w+)\}/g, function (all, k) {
      return field[k] !== undefined && field[k] !== null ? field[k] : all;
    });
  }

  var state = {
    pending: [], lastSync: null, error: null, flushing: false, fromCache: null,
    submittedHere: {}, lastPages: 0
  };

  /* ---- small DOM helpers ---------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function hhmm(iso) {
    var d = new Date(iso);
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  }

  function age(iso) {
    var mins = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
    if (mins < 1) { return gettext('less than a minute'); }
    if (mins < 60) { return interpolate(ngettext('%(n)s minute', '%(n)s minutes', mins), { n: mins }, true); }
    var hours = Math.floor(mins / 60);
    var text = interpolate(ngettext('%(n)s hour', '%(n)s hours', hours), { n: hours }, true);
    return mins % 60 ? interpolate(gettext('%(hours)s %(minutes)s min'), { hours: text, minutes: mins % 60 }, true) : text;
  }

  /* ---- status region (#outbox-status) ----------------------------------
   * Built once; later only text changes, so the aria-live summary announces
   * real changes (online/offline, count) and not the ticking ages. */

  var ui = null;

  function buildStatus() {
    var box = document.getElementById('outbox-status');
    if (!box) { return null; }
    var parts = {
      box: box,
      banner: el('p', { class: 'patch-outbox__banner', hidden: '' }),
      tag: el('strong', { class: 'govuk-tag patch-outbox__tag' }),
      summary: el('span', { class: 'patch-outbox__summary-text' }),
      meta: el('p', { class: 'govuk-body-s patch-outbox__meta' }),
      auth: el('p', { class: 'govuk-body-s patch-outbox__auth', hidden: '' }),
      list: el('ul', { class: 'govuk-list govuk-list--bullet patch-outbox__list' }),
      listTitle: el('span', { class: 'govuk-details__summary-text', text: '' }),
      send: el('button', { type: 'button', class: 'govuk-button govuk-button--secondary patch-outbox__send', text: gettext('Send now') }),
      heldTitle: el('h2', { class: 'govuk-heading-s', id: 'outbox-held-title', text: gettext('Needs attention on this tablet') }),
      heldList: el('ul', { class: 'govuk-list govuk-list--bullet' }),
      retry: el('button', { type: 'button', class: 'govuk-button govuk-button--secondary', text: gettext('Try sending these again') })
    };
    parts.held = el('div', { class: 'govuk-warning-text patch-outbox__held', hidden: '',
      role: 'group', 'aria-labelledby': 'outbox-held-title' }, [
      el('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
      el('div', { class: 'govuk-warning-text__text' }, [
        parts.heldTitle,
        el('p', { class: 'govuk-body-s', text: gettext('The server failed on these changes each time they were sent. ' +
          'They are kept on this tablet; the others were sent.') }),
        parts.heldList, parts.retry
      ])
    ]);
    parts.live = el('p', { class: 'govuk-body patch-outbox__summary', 'aria-live': 'polite', 'aria-atomic': 'true' },
      [parts.tag, document.createTextNode(' '), parts.summary]);
    parts.details = el('details', { class: 'govuk-details patch-outbox__details', hidden: '' }, [
      el('summary', { class: 'govuk-details__summary' }, [parts.listTitle]),
      el('div', { class: 'govuk-details__text' }, [parts.list, parts.send])
    ]);
    box.textContent = '';
    [parts.banner, parts.live, parts.meta, parts.auth, parts.held, parts.details].forEach(function (n) { box.appendChild(n); });
    parts.send.addEventListener('click', function () { sync(); });
    parts.retry.addEventListener('click', function () {
      release(member, team).then(function () { return sync(); });
    });
    box.hidden = false;
    return parts;
  }

  function setText(node, text) {
    if (node.textContent !== text) { node.textContent = text; }
  }

  function render() {
    if (!ui) { return; }
    var online = isOnline();
    var waiting = state.pending.filter(function (m) { return !m.held; });
    var held = state.pending.filter(function (m) { return m.held; });
    var n = waiting.length;
    ui.box.classList.toggle('patch-outbox--offline', !online);
    ui.box.classList.toggle('patch-outbox--pending', state.pending.length > 0);
    ui.tag.className = 'govuk-tag patch-outbox__tag ' + (online ? 'govuk-tag--green' : 'govuk-tag--grey');
    setText(ui.tag, online ? gettext('Online') : gettext('Offline'));
    // No "sending…" here: this line is aria-live and the periodic retry
    // would announce it every minute.
    var summary = [];
    if (n) {
      summary.push(interpolate(ngettext('%(n)s change waiting to be sent',
        '%(n)s changes waiting to be sent', n), { n: n }, true));
    }
    if (held.length) {
      summary.push(interpolate(ngettext('%(n)s change needs attention',
        '%(n)s changes need attention', held.length), { n: held.length }, true));
    }
    setText(ui.summary, summary.join('; ') || gettext('All changes saved'));
    body.dataset.outboxPending = String(state.pending.length);
    body.dataset.outboxHeld = String(held.length);
    if (body.dataset.outboxOnline !== String(online)) {
      body.dataset.outboxOnline = String(online);
      // live.js words its own status from this, so the page says one thing.
      body.dispatchEvent(new CustomEvent('patch:connection'));
    }

    var meta = [];
    if (n) { meta.push(interpolate(gettext('Oldest waiting %(age)s'), { age: age(waiting[0].created_at) }, true)); }
    meta.push(state.lastSync
      ? interpolate(gettext('Last sync %(time)s'), { time: hhmm(state.lastSync) }, true)
      : gettext('Not synced from this tablet yet'));
    if (state.flushing) { meta.push(gettext('Sending…')); }
    if (state.error === 'storage') {
      meta.push(gettext('This browser is not letting Patch keep changes on the tablet'));
    } else if (n && state.error && /^(http-|bad-response|no-result)/.test(state.error)) {
      meta.push(gettext('The server did not take them this time; trying again every minute'));
    }
    setText(ui.meta, meta.join(' · '));

    if (state.fromCache) {
      ui.banner.hidden = false;
      setText(ui.banner, interpolate(gettext('Offline — as of %(time)s. This is a copy saved on ' +
        'this tablet; it may be out of date.'), { time: hhmm(state.fromCache) }, true));
    } else {
      ui.banner.hidden = true;
    }

    ui.auth.hidden = !(state.error === 'auth' && n);
    if (!ui.auth.hidden && !ui.auth.firstChild) {
      ui.auth.appendChild(el('span', { class: 'patch-outbox__auth-text' }));
      ui.auth.appendChild(document.createTextNode(' '));
      ui.auth.appendChild(el('a', { class: 'govuk-link', href: loginUrl, text: gettext('Log in again') }));
    }
    if (!ui.auth.hidden) {
      setText(ui.auth.firstChild, interpolate(ngettext(
        'Your session has ended. Log in again to send %(n)s change.',
        'Your session has ended. Log in again to send %(n)s changes.', n), { n: n }, true));
    }

    ui.details.hidden = n === 0;
    setText(ui.listTitle, interpolate(gettext('Changes waiting (%(n)s)'), { n: n }, true));
    ui.list.textContent = '';
    waiting.forEach(function (m) {
      ui.list.appendChild(el('li', { text: (m.label || m.kind) + ', ' + hhmm(m.created_at) +
        (m.attempts ? ' ' + interpolate(ngettext('(tried %(n)s time)', '(tried %(n)s times)', m.attempts),
          { n: m.attempts }, true) : '') }));
    });
    ui.send.hidden = !online || !n;

    ui.held.hidden = held.length === 0;
    ui.heldList.textContent = '';
    held.forEach(function (m) {
      ui.heldList.appendChild(el('li', { text: (m.label || m.kind) + ', ' + hhmm(m.created_at) +
        ': ' + problemText(m.last_error) }));
    });
    ui.retry.hidden = !online;
    markPendingForms();
  }

  function problemText(error) {
    var code = /^http-(\d+)$/.exec(error || '');
    return code
      ? interpolate(gettext('the server answered with error %(code)s'), { code: code[1] }, true)
      : gettext('the server gave no usable answer');
  }

  // One answer to "are we online?" for the whole page: the browser's flag and
  // whether the last request reached the server.
  function isOnline() {
    return navigator.onLine && state.error !== 'network';
  }

  // A form whose change is waiting cannot be sent twice (a second "Done as
  // planned" would only come back as a conflict): its buttons give way to a
  // "Waiting to be sent" tag, so a waiting visit never looks done.
  function markPendingForms() {
    var waiting = {};
    state.pending.forEach(function (m) { waiting[m.kind + ' ' + m.target] = true; });
    document.querySelectorAll('form[data-outbox-kind][data-outbox-target]').forEach(function (form) {
      var key = form.dataset.outboxKind + ' ' + form.dataset.outboxTarget;
      var is = !!waiting[key];
      var was = form.dataset.outboxWaiting === 'true';
      if (is === was) { return; }
      form.querySelectorAll('button[type=submit], button:not([type])').forEach(function (b) {
        b.disabled = is;
        b.style.display = is ? 'none' : '';  // .govuk-button's display beats [hidden]
      });
      if (is) {
        form.dataset.outboxWaiting = 'true';
        form.appendChild(el('strong', { class: 'govuk-tag govuk-tag--yellow patch-outbox-waiting', text: gettext('Waiting to be sent') }));
      } else {
        delete form.dataset.outboxWaiting;
        var tag = form.querySelector('.patch-outbox-waiting');
        if (tag) { tag.remove(); }
      }
    });
  }

  function hasWaiting() {
    return state.pending.some(function (m) { return !m.held; });
  }

  async function refresh() {
    try {
      state.pending = await pendingFor(member, team);
      state.lastSync = await getMeta('lastSync:' + member + ':' + team);
    } catch (err) {
      // Private mode / storage refused: say so rather than pretend.
      state.error = 'storage';
    }
    render();
  }

  /* ---- notifications (GOV.UK notification banner) --------------------- */

  var flashId = 0;

  function notify(kind, text, link) {
    var main = document.getElementById('main-content');
    if (!main) { return; }
    flashId += 1;
    var id = 'outbox-banner-' + flashId;
    var success = kind === 'success';
    var content = el('div', { class: 'govuk-notification-banner__content' }, [
      el('p', { class: 'govuk-notification-banner__heading', text: text })
    ]);
    if (link) {
      content.appendChild(el('p', { class: 'govuk-body' }, [
        el('a', { class: 'govuk-notification-banner__link', href: link.href, text: link.text })
      ]));
    }
    var banner = el('div', {
      class: 'govuk-notification-banner patch-outbox-banner' + (success ? ' govuk-notification-banner--success' : ''),
      role: kind === 'problem' ? 'alert' : 'status', 'aria-labelledby': id
    }, [
      el('div', { class: 'govuk-notification-banner__header' }, [
        el('h2', { class: 'govuk-notification-banner__title', id: id,
          text: success ? gettext('Success') : (kind === 'info' ? gettext('Important') : gettext('There is a problem')) })
      ]),
      content
    ]);
    var status = document.getElementById('outbox-status');
    main.insertBefore(banner, status ? status.nextSibling : main.firstChild);
  }

  function saveFlash(list) {
    try { sessionStorage.setItem(FLASH_KEY, JSON.stringify(list)); } catch (e) { /* ignore */ }
  }

  function showFlash() {
    var list = [];
    try { list = JSON.parse(sessionStorage.getItem(FLASH_KEY) || '[]'); } catch (e) { list = []; }
    sessionStorage.removeItem(FLASH_KEY);
    list.forEach(function (f) { notify(f.kind, f.text, f.link); });
  }

  function describe(outcome) {
    var item = outcome.item;
    var r = outcome.result;
    var status = r.status === 'duplicate' ? (r.outcome || 'applied') : r.status;
    if (status === 'applied') {
      return { kind: 'success', text: item.message || gettext('Your change was saved.') };
    }
    var values = { what: item.label || item.kind, time: hhmm(item.created_at), reason: r.reason };
    var text = status === 'conflict'
      ? gettext('%(what)s from %(time)s was not saved: someone changed the same thing first. Both versions are kept.')
      : (r.reason ? gettext('%(what)s from %(time)s could not be saved: %(reason)s')
        : gettext('%(what)s from %(time)s could not be saved.'));
    return { kind: 'problem', text: interpolate(text, values, true),
      link: { href: attentionUrl, text: gettext('See what needs your attention') } };
  }

  /* ---- sync ----------------------------------------------------------- */

  function liveEventsFor(results) {
    var names = {};
    results.forEach(function (o) {
      var k = o.item.kind;
      if (k.indexOf('visit.') === 0) { names['visit-changed'] = true; }
      if (k.indexOf('handover.') === 0) { names['handover-changed'] = true; }
      if (k === 'note.add' || k === 'rating.add') { names['client-changed'] = true; }
      if (KINDS[k] && KINDS[k].event) { names[KINDS[k].event] = true; }
    });
    return Object.keys(names);
  }

  var running = null;

  // One flush at a time per page; a request made during a flush runs right
  // after it, so a change stored meanwhile is not left waiting for the timer.
  function sync() {
    if (running) {
      return running.then(function () { return sync(); });
    }
    running = syncOnce().finally(function () { running = null; });
    return running;
  }

  async function syncOnce() {
    state.flushing = true;
    render();
    var report;
    try {
      report = await flush(ctx);
    } catch (err) {
      report = { results: [], error: 'storage', remaining: state.pending.length };
    }
    state.flushing = false;
    state.error = report.error;
    if (report.error === 'network') { checkCached(); }
    if (report.results.length) {
      var flashes = report.results.map(describe);
      var mine = report.results.filter(function (o) { return state.submittedHere[o.item.id]; });
      if (mine.length && !report.remaining) {
        // What the nurse just sent is saved: show the page as the server has it
        // now (as the ordinary form POST + redirect would have done).
        saveFlash(flashes);
        sessionStorage.setItem(PAGES_FORCE_KEY, '1'); // the kept copies are now out of date
        var next = mine[mine.length - 1].item.next;
        location.assign(next || location.href);
        return report;
      }
      flashes.forEach(function (f) { notify(f.kind, f.text, f.link); });
      liveEventsFor(report.results).forEach(function (name) {
        if (root.htmx) { root.htmx.trigger(body, name, {}); }
      });
      refreshPages(true);
    }
    await refresh();
    return report;
  }

  /* ---- form interception ---------------------------------------------- */

  function fieldValues(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (f) {
      if (f.name !== name || f.disabled) { return; }
      if ((f.type === 'checkbox' || f.type === 'radio') && !f.checked) { return; }
      values.push(f.value);
    });
    return values;
  }

  // Rating selects are named rating_<care problem id>_<concept>; a problem is rated
  // when all its concepts are chosen, skipped when none is, and an error otherwise.
  function ratingsFrom(form, field) {
    var pattern = new RegExp('^rating_(.+)_(' + field.concepts.join('|') + ')$');
    var byProblem = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      var m = pattern.exec(input.name || '');
      if (!m) { return; }
      byProblem[m[1]] = byProblem[m[1]] || {};
      if (input.value !== '') { byProblem[m[1]][m[2]] = Number(input.value); }
    });
    var list = [];
    var error = null;
    Object.keys(byProblem).forEach(function (id) {
      var scores = byProblem[id];
      var n = Object.keys(scores).length;
      if (n === field.concepts.length) {
        scores.care_problem = id;
        list.push(scores);
      } else if (n > 0) {
        error = field.message;
      }
    });
    return { list: list, error: error };
  }

  // A real calendar date written YYYY-MM-DD (not 2026-02-30).
  function isDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return false; }
    var d = new Date(text + 'T00:00:00Z');
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }

  // Build the payload from the kind's published fields; returns {payload} or {errors: [..]}.
  function payloadFor(form, spec) {
    var payload = {};
    var errors = [];
    Object.keys(spec.fields).forEach(function (name) {
      var field = spec.fields[name];
      var values = fieldValues(form, name);
      var hintKey = 'outbox' + name.split('_').map(function (p) { return p.charAt(0).toUpperCase() + p.slice(1); }).join('');
      var raw = String(values.length ? values[0] : (form.dataset[hintKey] || '')).trim();
      if (field.type === 'ratings') {
        var rated = ratingsFrom(form, field);
        if (rated.error) { errors.push(rated.error); } else { payload[name] = rated.list; }
      } else if (field.type === 'uuids') {
        payload[name] = values;
      } else if (raw === '') {
        if (field.type === 'int' && field.default !== null) {
          payload[name] = field.default;
        } else if (field.required) {
          errors.push(message('required', field));
        } else if (field.type === 'text') {
          payload[name] = '';
        }
      } else if (field.type === 'int') {
        var n = Number(raw);
        if (!Number.isInteger(n) || n < field.min || n > field.max) {
          errors.push(message('int', field));
        } else {
          payload[name] = n;
        }
      } else if (field.type === 'rowid') {
        payload[name] = /^\d+$/.test(raw) ? Number(raw) : raw;
      } else if (field.type === 'date' && !isDate(raw)) {
        errors.push(message('date', field));
      } else {
        payload[name] = raw;
      }
    });
    return errors.length ? { errors: errors } : { payload: payload };
  }

  function showFormErrors(form, errors) {
    var old = form.querySelector('.patch-outbox-errors');
    if (old) { old.remove(); }
    var box = el('div', { class: 'govuk-error-summary patch-outbox-errors', tabindex: '-1' }, [
      el('div', { role: 'alert' }, [
        el('h2', { class: 'govuk-error-summary__title', text: gettext('There is a problem') }),
        el('div', { class: 'govuk-error-summary__body' }, [
          el('ul', { class: 'govuk-list govuk-error-summary__list' },
            errors.map(function (e) { return el('li', { text: e }); }))
        ])
      ])
    ]);
    form.insertBefore(box, form.firstChild);
    box.focus();
  }

  function fillTemplate(text, payload, label) {
    return text.replace('{label}', label).replace(/\{(\w+)\}/g, function (all, k) {
      return payload[k] !== undefined ? payload[k] : all;
    });
  }

  async function onOutboxSubmit(event, form) {
    var kind = form.dataset.outboxKind;
    var spec = KINDS[kind];
    if (!spec) { return; } // unknown kind: let the ordinary form POST happen
    var built = payloadFor(form, spec);
    if (built.errors) {
      // Online: the server's own form page explains the error best; offline:
      // explain it here (there is no server to ask).
      if (navigator.onLine) { return; }
      event.preventDefault();
      showFormErrors(form, built.errors);
      return;
    }
    event.preventDefault();
    var payload = built.payload;
    var target = form.dataset.outboxTarget || (spec.newRow ? uuid() : '');
    if (!target) { form.submit(); return; }
    if (spec.rowId) { payload[spec.rowId] = uuid(); }
    var baseAttr = form.dataset.outboxBaseVersion;
    var baseField = fieldValues(form, 'base_version')[0];
    var base = spec.newRow && !form.dataset.outboxTarget ? null
      : Number(baseField !== undefined && baseField !== '' ? baseField : baseAttr);
    var hint = form.dataset.outboxLabel || '';  // e.g. the client's name
    var nextField = fieldValues(form, 'next')[0];
    var item = {
      id: uuid(), member: member, team: team, kind: kind, target: target,
      base_version: Number.isInteger(base) ? base : null, payload: payload,
      created_at: new Date().toISOString(), attempts: 0, last_error: '',
      label: spec.label + (hint ? ' — ' + hint : ''),
      message: fillTemplate(spec.done, payload, hint || gettext('the client')),
      next: form.dataset.outboxNext || nextField || '', sync_url: syncUrl
    };
    var buttons = form.querySelectorAll('button[type=submit], button:not([type])');
    buttons.forEach(function (b) { b.disabled = true; });
    try {
      await addMutation(item);
    } catch (err) {
      // Storage refused (private mode, quota): fall back to the ordinary POST.
      buttons.forEach(function (b) { b.disabled = false; });
      form.submit();
      return;
    }
    state.submittedHere[item.id] = true;
    if (spec.newRow && !form.dataset.outboxTarget) { form.reset(); }
    registerBackgroundSync();
    await refresh();
    if (navigator.onLine) {
      var report = await sync();
      if (report && report.remaining === 0 && !report.error) { return; }
    }
    notify('info', gettext('Saved on this tablet. It will be sent when there is signal.'));
    buttons.forEach(function (b) { b.disabled = false; });
    markPendingForms();
  }

  /* ---- logout ---------------------------------------------------------
   * Try to send first; with items still waiting, say how many and ask for an
   * explicit second tap (a GOV.UK warning, not window.confirm). */

  function markLeaving() {
    sessionStorage.setItem(LOGOUT_KEY, JSON.stringify({ member: member, at: Date.now() }));
  }

  function isLogoutForm(form) {
    try { return new URL(form.action, location.href).pathname === '/logout/'; } catch (e) { return false; }
  }

  async function onLogout(event, form) {
    if (form.dataset.outboxConfirmed === 'true') {
      markLeaving();
      return; // confirmed: let it go
    }
    event.preventDefault();
    if (navigator.onLine) { await sync(); }
    await refresh();
    var n = state.pending.length;
    if (!n) {
      markLeaving();
      form.submit();
      return;
    }
    var old = document.getElementById('outbox-logout-warning');
    if (old) { old.remove(); }
    var anyway = el('button', { type: 'button', class: 'govuk-button govuk-button--warning', text: gettext('Log out anyway') });
    var cancel = el('button', { type: 'button', class: 'govuk-button govuk-button--secondary', text: gettext('Stay logged in') });
    var box = el('div', { id: 'outbox-logout-warning', class: 'patch-outbox-logout', tabindex: '-1',
      role: 'alert', 'aria-labelledby': 'outbox-logout-title' }, [
      el('h2', { class: 'govuk-heading-m', id: 'outbox-logout-title', text: gettext('Changes not sent yet') }),
      el('div', { class: 'govuk-warning-text' }, [
        el('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true', text: '!' }),
        el('strong', { class: 'govuk-warning-text__text' }, [
          el('span', { class: 'govuk-visually-hidden', text: gettext('Warning') }),
          document.createTextNode(interpolate(ngettext(
            '%(n)s change has not reached the server. If you log out now, it will be deleted from this tablet and lost.',
            '%(n)s changes have not reached the server. If you log out now, they will be deleted from this tablet and lost.',
            n), { n: n }, true))
        ])
      ]),
      el('div', { class: 'govuk-button-group' }, [anyway, cancel])
    ]);
    anyway.addEventListener('click', function () {
      markLeaving();
      form.dataset.outboxConfirmed = 'true';
      form.submit();
    });
    cancel.addEventListener('click', function () { box.remove(); });
    var main = document.getElementById('main-content');
    main.insertBefore(box, main.firstChild);
    box.focus();
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    if (isLogoutForm(form)) { onLogout(event, form); return; }
    if (form.dataset.outboxKind) { onOutboxSubmit(event, form); }
  });

  /* ---- offline reading: pages list and "as of" banner ------------------ */

  function swMessage(msg) {
    if (!('serviceWorker' in navigator)) { return Promise.resolve(null); }
    return navigator.serviceWorker.ready.then(function (reg) {
      if (!reg.active) { return null; }
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data); };
        reg.active.postMessage(msg, [channel.port2]);
        setTimeout(function () { resolve(null); }, 60000);
      });
    });
  }

  // Ask the worker to (re)cache this member's next-48-hour pages. The worker
  // throttles to ~10 min unless forced (after a sync that changed something).
  function refreshPages(force) {
    if (!pagesUrl || !navigator.onLine) { return; }
    if (!force && Date.now() - state.lastPages < PAGES_EVERY_MS) { return; }
    state.lastPages = Date.now();
    swMessage({ type: 'pages-refresh', url: pagesUrl, member: member, team: team, force: !!force })
      .then(function (answer) {
        if (answer && answer.type === 'pages-cached') {
          body.dataset.offlinePages = String(answer.count);
        }
      });
  }

  async function checkCached() {
    if (!('caches' in root)) { return; }
    try {
      var cache = await caches.open('patch-pages');
      var hit = await cache.match(location.href);
      var at = hit && hit.headers.get('x-patch-cached-at');
      if (at && (!navigator.onLine || state.error === 'network')) {
        state.fromCache = at;
        body.dataset.outboxFromCache = at;
        render();
      }
    } catch (err) { /* no caches: nothing to say */ }
  }

  function registerBackgroundSync() {
    if (!('serviceWorker' in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register(SYNC_TAG); }
      return null;
    }).catch(function () { /* not allowed: the page timers and `online` still replay */ });
  }

  /* ---- start ------------------------------------------------------------ */

  ui = buildStatus();
  showFlash();
  // The worker replays through Background Sync with no page open: it needs
  // to know who is logged in here and the CSRF token of this session.
  setMeta('session', { member: member, team: team, syncUrl: syncUrl, pagesUrl: pagesUrl || '', csrf: csrf })
    .catch(function () {});
  refresh().then(function () {
    if (!navigator.onLine) { checkCached(); return; }
    var force = sessionStorage.getItem(PAGES_FORCE_KEY) === '1';
    sessionStorage.removeItem(PAGES_FORCE_KEY);
    var after = hasWaiting() ? sync() : Promise.resolve();
    after.then(function () { refreshPages(force); });
  });

  window.addEventListener('online', function () {
    state.error = null;
    state.fromCache = null;
    render();
    sync().then(function () { refreshPages(false); });
  });
  window.addEventListener('offline', function () { render(); checkCached(); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && hasWaiting() && navigator.onLine) { sync(); }
  });
  // Live regions re-render their forms: mark the ones still waiting again.
  body.addEventListener('htmx:afterSwap', markPendingForms);
  setInterval(function () {
    if (hasWaiting() && navigator.onLine) { sync(); } else { render(); }
  }, PERIOD_MS);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', function (e) {
      if (e.data && e.data.type === 'outbox-flush') { sync(); }
    });
  }
})(self);
