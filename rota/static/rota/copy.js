/* Patch: a "Copy link" button for a private calendar link. Plain script, `defer`.
 *
 * The button stays hidden without JavaScript (the link can still be selected by hand). A
 * click copies the text of the element the button names and says so in a status region, so
 * screen readers hear it too. Where the Clipboard API is refused (an insecure origin), the
 * text is selected and copied with the older command, or left selected for the person to copy.
 *
 * Contract: <button data-copy="<id of the text>" data-copy-status="<id of a role=status>">.
 */
(function () {
  'use strict';

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(node) {
    selectText(node);
    try {
      return document.execCommand('copy');
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-copy-status'));
    if (!source || !status) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = source.textContent.trim();
      var said = function (copied) {
        status.textContent = copied ? status.getAttribute('data-copied')
          : status.getAttribute('data-not-copied');
      };
      status.textContent = '';
      if (navigator.clipboard && window.isSecureContext) {
        // A browser may leave the promise unsettled (a page without focus): after a moment,
        // fall back to the older command rather than leave the person waiting.
        var settled = false;
        var settle = function (copied) {
          if (settled) { return; }
          settled = true;
          said(copied);
        };
        window.setTimeout(function () { settle(copyBySelection(source)); }, 1500);
        navigator.clipboard.writeText(text).then(
          function () { settle(true); },
          function () { settle(copyBySelection(source)); }
        );
      } else {
        said(copyBySelection(source));
      }
    });
  });
})();
