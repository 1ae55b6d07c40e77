/* The loading message in plain words. Voilà's page replaces it with "Executing 3 of 9" as each
   cell runs, through window.voila_process (voila_setup.macro.html.j2): say what a learner needs
   to know instead, and keep saying it until the page is shown. Included after Voilà's helpers. */
(function () {
  "use strict";
  var TEXT = "Preparing your page…";
  window.voila_process = function () {
    var el = document.getElementById("loading_text");
    if (el && el.textContent !== TEXT) { el.textContent = TEXT; }
  };
})();
