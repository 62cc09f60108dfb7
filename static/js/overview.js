/* The leader overview: live team cards over htmx's ws extension, a print button, and an answer
 * being typed that survives a pushed card. The server sends whole cards (hx-swap-oob) and, on
 * every (re)connect, the whole overview, so nothing here needs to count versions. */
(function () {
  "use strict";

  var HEARTBEAT_MS = 25000;
  var socket = null;
  var typed = {};

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

  // the first frame of every connection is the whole overview: from then on the page is live
  document.addEventListener("htmx:wsAfterMessage", function () {
    document.body.setAttribute("data-live", "ready");
  });

  document.addEventListener("htmx:wsClose", function () {
    document.body.removeAttribute("data-live");
    setOnline(false);
  });

  // keep what the leader is typing in an answer when the card is replaced
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    typed = {};
    var fields = event.detail.target.querySelectorAll("textarea[id]");
    Array.prototype.forEach.call(fields, function (field) {
      if (field.value && !field.closest(".htmx-request")) {
        typed[field.id] = { value: field.value, focused: document.activeElement === field };
      }
    });
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    Object.keys(typed).forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.value = typed[id].value;
        if (typed[id].focused) {
          field.focus();
        }
      }
    });
    typed = {};
  });

  setInterval(function () {
    if (socket) {
      socket.send(JSON.stringify({ ping: 1 }));
    }
  }, HEARTBEAT_MS);
})();
