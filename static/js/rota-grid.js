/* Patch: a draft rota grid takes colleagues' edits live. Plain script, `defer`, after htmx.
 *
 * A draft grid is not swapped whole on `rota-changed` (that would take the planner's
 * focus), so this fetches the grid once and swaps in the changed person's row (every row
 * when the event names nobody) plus the cover and rules panels, leaving alone whatever
 * holds the focus. A cell edit on a row that could not be refreshed still carries what it
 * showed, so the server refuses it if a colleague changed that cell meanwhile.
 *
 * Contract: <div data-rota-live-rows="<grid fragment URL>" data-period="<id>">.
 */
(function () {
  'use strict';

  var grid = document.querySelector('[data-rota-live-rows]');
  if (!grid) { return; }
  var url = grid.getAttribute('data-rota-live-rows');
  var period = grid.getAttribute('data-period');

  function refresh(selectors) {
    fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        selectors.forEach(function (selector) {
          var mine = document.querySelector(selector);
          var theirs = fresh.querySelector(selector);
          if (!mine || !theirs || mine.contains(document.activeElement)) { return; }
          var node = document.importNode(theirs, true);
          mine.replaceWith(node);
          if (window.htmx) { window.htmx.process(node); }
        });
      })
      .catch(function () { /* offline: the next event or a reload brings it */ });
  }

  document.body.addEventListener('rota-changed', function (event) {
    var detail = event.detail || {};
    if (detail.period !== period) { return; }
    var rows = detail.user ? ['#row-' + detail.user]
      : Array.prototype.map.call(grid.querySelectorAll('tr[id^="row-"]'), function (row) {
        return '#' + row.id;
      });
    refresh(rows.concat(['#rota-cover', '#rota-violations']));
  });
})();
