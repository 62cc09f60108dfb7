/* Live board screens: keeps a screen in step with the server over htmx's ws extension.
 *
 * - On (re)connect, tells the server the version this screen shows: {"since": N}.
 * - Every frame starts with #board-version carrying data-from / data-to. Frames older than what
 *   the screen has are ignored; a frame that starts after it (a gap) triggers a new catch-up.
 * - Each swapped element carries data-version; an element is never replaced by an older one,
 *   and a card pushed alone is not replaced by an older copy of it in a list swapped later.
 * - A card being edited keeps its form (and what was typed) when its list, or the card alone,
 *   is replaced.
 * - A quiet offline badge while the socket is down; a heartbeat notices dead connections.
 * - When the server ends the screen because its user lost access (close code 4403), the page
 *   says so and stops reconnecting; a display screen whose link was revoked (4410) shows a calm
 *   notice in place of the board.
 * - A success that arrives while the screen is open gets a short celebration (CSS keeps it
 *   still for people who prefer reduced motion).
 */
(function () {
  "use strict";

  var HEARTBEAT_MS = 25000;
  var SILENCE_MS = 60000;
  var MARKER = /^\s*<div id="board-version"[^>]*data-from="(\d+)" data-to="(\d+)"/;
  var live = { version: 0, socket: null, lastHeard: Date.now(), kept: [], shown: [] };

  htmx.config.wsReconnectDelay = function (retry) {
    var base = Math.min(500 * Math.pow(2, retry), 8000);
    return base / 2 + Math.random() * base / 2;
  };

  function liveRoot() {
    return document.querySelector("[data-live-board]");
  }

  // The board's own socket: a klasscherm has its poll's too (poll.js keeps that one).
  function fromBoard(event) {
    return event.target === liveRoot();
  }

  function setOnline(online) {
    var badge = document.getElementById("live-status");
    if (badge) {
      badge.hidden = online;
    }
    document.documentElement.classList.toggle("is-offline", !online);
  }

  function send(message) {
    if (live.socket) {
      live.socket.send(JSON.stringify(message));
    }
  }

  var celebrated = null; // ids of the success cards this screen has seen

  function successCards() {
    return Array.prototype.slice.call(document.querySelectorAll("#list-successes .card--success"));
  }

  function celebrateNewSuccesses() {
    var cards = successCards();
    if (celebrated === null) {
      celebrated = {};
      cards.forEach(function (card) { celebrated[card.id] = true; });
      return;
    }
    cards.forEach(function (card) {
      if (celebrated[card.id]) return;
      celebrated[card.id] = true;
      card.classList.add("card--celebrate");
      window.setTimeout(function () { card.classList.remove("card--celebrate"); }, 4000);
    });
  }

  document.addEventListener("htmx:load", function () {
    var root = liveRoot();
    if (root && !live.version) {
      live.version = parseInt(root.getAttribute("data-version") || "0", 10);
    }
    celebrateNewSuccesses();
  });

  document.addEventListener("htmx:wsOpen", function (event) {
    if (!fromBoard(event)) return;
    live.socket = event.detail.socketWrapper;
    live.lastHeard = Date.now();
    setOnline(true);
    send({ since: live.version });
  });

  // The server ends a screen whose user may no longer open the board (removed from the school
  // or the board): htmx does not reconnect after this code, and the page says why.
  var ACCESS_ENDED = 4403;
  var SCREEN_REVOKED = 4410;

  function showRevoked() {
    live.socket = null;
    setOnline(true);
    document.documentElement.classList.add("is-revoked");
    var notice = document.getElementById("screen-revoked");
    if (notice) {
      document.body.appendChild(notice); // out of the board, which the page now hides
      notice.hidden = false;
    }
  }

  document.addEventListener("htmx:wsClose", function (event) {
    if (!fromBoard(event)) return;
    var closed = event.detail && event.detail.event;
    if (closed && closed.code === SCREEN_REVOKED) {
      showRevoked();
      return;
    }
    if (closed && closed.code === ACCESS_ENDED) {
      live.socket = null;
      setOnline(true);
      document.documentElement.classList.add("is-ended");
      var notice = document.getElementById("live-ended");
      if (notice) {
        notice.hidden = false;
        notice.focus();
      }
      return;
    }
    setOnline(false);
  });

  /* A pushed frame carries every part of the board (the case list, the review, each case's
     page); a screen shows only some. The parts it does not show are left out before htmx
     swaps, rather than each being reported as an oobErrorNoTarget. Parts aimed elsewhere by
     a selector ("beforeend:#x") are left alone. */
  htmx.defineExtension("shown-only", {
    transformResponse: function (text, xhr) {
      if (text.indexOf("id=") === -1) {
        return text;
      }
      var holder = document.createElement("template");
      holder.innerHTML = text;
      var dropped = false;
      Array.prototype.slice.call(holder.content.children).forEach(function (part) {
        var oob = part.getAttribute("hx-swap-oob") || (xhr ? null : "true");
        var byId = oob !== null && oob.indexOf(":") === -1;
        if (byId && part.id && !document.getElementById(part.id)) {
          part.remove();
          dropped = true;
        }
      });
      return dropped ? holder.innerHTML : text;
    },
  });

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    if (!fromBoard(event)) return;
    live.lastHeard = Date.now();
    var match = MARKER.exec(event.detail.message);
    if (!match) {
      return; // presence, pong: always welcome
    }
    var from = parseInt(match[1], 10);
    var to = parseInt(match[2], 10);
    if (from > live.version) {
      event.preventDefault(); // we missed something: ask again from what we have
      send({ since: live.version });
      return;
    }
    if (to < live.version) {
      event.preventDefault(); // older than what the screen already shows
      return;
    }
    live.version = to;
    var root = liveRoot();
    if (root) {
      root.setAttribute("data-version", String(to));
    }
  });

  function versionOf(element) {
    var v = element && element.getAttribute && element.getAttribute("data-version");
    return v ? parseInt(v, 10) : null;
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var incoming = versionOf(event.detail.fragment && event.detail.fragment.firstElementChild) ||
      versionOf(event.detail.fragment);
    var shown = versionOf(target);
    if (incoming !== null && shown !== null && incoming < shown) {
      event.preventDefault();
      return;
    }
    // keep cards that are being edited, with what was typed
    // (not a form being saved right now: the push already carries what it saves)
    function beingEdited(card) {
      return !card.classList.contains("htmx-request") && !card.querySelector(".htmx-request");
    }
    if (target.hasAttribute("data-editing") && beingEdited(target)) {
      event.preventDefault(); // a card pushed alone, while this screen edits it
      return;
    }
    live.kept = Array.prototype.slice
      .call(target.querySelectorAll("[data-editing][id]"))
      .filter(beingEdited);
    rememberCards(target, false);
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    live.kept.forEach(function (form) {
      var fresh = document.getElementById(form.id);
      if (fresh && fresh !== form) {
        fresh.replaceWith(form);
      }
    });
    live.kept = [];
    keepNewerCards();
  });

  /* A card pushed alone (an edit of its title, say) is newer than the list around it: a list
     that comes after it, rendered before it (an answer to this screen's own request), must not
     bring the older card back. Cards carry their item's version. An answer's out-of-band parts
     are swapped before its main part, so cards are remembered until their list is gone. */
  function rememberCards(target, anew) {
    var cards = target && target.querySelectorAll
      ? Array.prototype.slice.call(target.querySelectorAll("[id][data-version]"))
      : [];
    live.shown = (anew ? [] : live.shown).concat(cards);
  }

  function keepNewerCards() {
    live.shown = live.shown.filter(function (card) {
      if (card.isConnected) {
        return true; // its list is still to be swapped
      }
      var fresh = document.getElementById(card.id);
      var mine = versionOf(card);
      var theirs = versionOf(fresh);
      if (fresh && mine !== null && theirs !== null && theirs < mine) {
        fresh.replaceWith(card);
      }
      return false;
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    rememberCards(event.detail.target, true);
  });
  // after the swap: the request's own element may have been swapped out with the list, and
  // its htmx:afterSwap then never reaches the document; the new content's htmx:load does
  document.addEventListener("htmx:afterSwap", keepNewerCards);
  document.addEventListener("htmx:load", keepNewerCards);

  setInterval(function () {
    if (!live.socket) {
      return;
    }
    if (Date.now() - live.lastHeard > SILENCE_MS) {
      live.lastHeard = Date.now();
      setOnline(false);
      live.socket.reconnect();
      return;
    }
    send({ ping: 1 });
  }, HEARTBEAT_MS);
})();
