/* Quick exit: one click, or Esc pressed twice within a second, replaces this page with a neutral
   site. location.replace leaves no back-button entry for this page. */
(function () {
  "use strict";
  var NEUTRAL = "https://www.bbc.co.uk/weather";
  var lastEsc = 0;
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.title = "Weather";
    try { document.documentElement.style.visibility = "hidden"; } catch (e) { /* keep leaving */ }
    window.location.replace(NEUTRAL);
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#pl-quick-exit")) { leave(event); }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEsc < 1000) { leave(event); }
    lastEsc = now;
  }, true);
})();
