/* A poll's live pages (the teacher's results and the class screen) over htmx's ws extension.
 * The server sends the whole results block (hx-swap-oob) on every change and on every
 * (re)connect, so nothing here counts versions: a quiet offline badge, a heartbeat, and
 * `data-live="ready"` once the first frame arrived. */
(function () {
  "use strict";

  var HEARTBEAT_MS = 25000;
  var socket = null;

  function setOnline(online) {
    var badge = document.getElementById("live-status");
    if (badge) {
      badge.hidden = online;
    }
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    setOnline(true);
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    document.body.setAttribute("data-live", "ready");
  });

  document.addEventListener("htmx:wsClose", function () {
    document.body.removeAttribute("data-live");
    setOnline(false);
  });

  setInterval(function () {
    if (socket) {
      socket.send(JSON.stringify({ ping: 1 }));
    }
  }, HEARTBEAT_MS);
})();
