/* A poll's live pages (the teacher's results, the class screen, the klasscherm's poll) over
 * htmx's ws extension, on the socket of the element marked data-live-poll (the klasscherm has
 * its board's socket too, which live.js keeps). The server sends the whole results block
 * (hx-swap-oob) on every change and on every (re)connect, so nothing here counts versions: a
 * quiet offline badge (the one inside that element), a heartbeat, and `data-live="ready"` once
 * the first frame arrived. */
(function () {
  "use strict";

  var HEARTBEAT_MS = 25000;
  var socket = null;

  function ours(event) {
    return event.target.hasAttribute && event.target.hasAttribute("data-live-poll");
  }

  function setOnline(element, online) {
    var badge = element.querySelector(".live-status");
    if (badge) {
      badge.hidden = online;
    }
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    if (!ours(event)) return;
    socket = event.detail.socketWrapper;
    setOnline(event.target, true);
  });

  document.addEventListener("htmx:wsAfterMessage", function (event) {
    if (!ours(event)) return;
    document.body.setAttribute("data-live", "ready");
  });

  document.addEventListener("htmx:wsClose", function (event) {
    if (!ours(event)) return;
    document.body.removeAttribute("data-live");
    setOnline(event.target, false);
  });

  setInterval(function () {
    if (socket) {
      socket.send(JSON.stringify({ ping: 1 }));
    }
  }, HEARTBEAT_MS);
})();
