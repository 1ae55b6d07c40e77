/* Live regions: a widget the course marks .pl-live (practice feedback, "Saved at", submit and
   save confirmations) becomes a polite status region the moment it appears, before any text is
   put in it, so a screen reader announces each change. ipywidgets cannot set ARIA attributes on
   a widget's own element, and a region created together with its text is often not announced. */
(function () {
  "use strict";
  function mark() {
    var found = document.querySelectorAll(".pl-live:not([aria-live])");
    for (var i = 0; i < found.length; i += 1) {
      found[i].setAttribute("role", "status");
      found[i].setAttribute("aria-live", "polite");
    }
  }
  new MutationObserver(mark).observe(document.documentElement, { childList: true, subtree: true });
})();
