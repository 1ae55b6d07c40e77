/* Connection lost: when the websocket to this page's kernel closes and does not come back, say so,
   say that saved answers are safe, and say how to reconnect. Voilà's own page goes silent instead.
   Wraps WebSocket before Voilà's scripts create their connection. */
(function () {
  "use strict";
  var Native = window.WebSocket;
  var open = 0;
  var leaving = false;
  var timer = null;
  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("beforeunload", function () { leaving = true; });
  function banner(show) {
    var el = document.getElementById("pl-connection-lost");
    if (el) { el.hidden = !show; }
  }
  function Watched(url, protocols) {
    var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).indexOf("/api/kernels/") !== -1) {
      ws.addEventListener("open", function () {
        open += 1;
        clearTimeout(timer);
        banner(false);
      });
      ws.addEventListener("close", function () {
        open = Math.max(0, open - 1);
        if (leaving) { return; }
        // Jupyter reconnects by itself after a blip; only speak if it has not within 3 s.
        clearTimeout(timer);
        timer = setTimeout(function () { if (open === 0 && !leaving) { banner(true); } }, 3000);
      });
    }
    return ws;
  }
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { Watched[k] = Native[k]; });
  window.WebSocket = Watched;
})();
