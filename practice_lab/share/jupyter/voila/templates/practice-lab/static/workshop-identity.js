/* Workshop participant identity: when the participant's page shows the token the session issued
   on joining (an element .pl-ws-keep[data-token]), keep it in a cookie for this page's address
   only, so a reload is the same participant. Voilà hands the Cookie header to the page's kernel,
   which takes the token back only if the session issued it. Does nothing on any other page.
   SameSite=Lax, not Strict: a participant who opens the join link from a chat or mail app (a
   navigation from another site) is still the same participant, while no other site's requests,
   frames or scripts get the cookie. It names a participant of one session, nothing more. */
(function () {
  "use strict";
  var NAME = "pl_ws_participant";
  var TOKEN = /^[A-Za-z0-9_-]{32}$/;
  var MAX_AGE_S = 12 * 60 * 60; // longer than any session; the session's end voids it anyway
  var kept = "";
  function keep() {
    var el = document.querySelector(".pl-ws-keep[data-token]");
    var token = el ? el.getAttribute("data-token") : "";
    if (!token || token === kept || !TOKEN.test(token)) { return; }
    kept = token;
    document.cookie = NAME + "=" + token + "; Path=" + window.location.pathname +
      "; Max-Age=" + MAX_AGE_S + "; SameSite=Lax";
  }
  new MutationObserver(keep).observe(document.documentElement, { childList: true, subtree: true });
})();
