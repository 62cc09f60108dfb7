/* TV mode: every list on a display screen shows what fits in its box and says "+ N meer" for
 * the rest, instead of cutting a card in half.
 *
 * The boxes are laid out by CSS (static/css/bord.css, "TV mode"); this only measures. It runs
 * when the page loads, after every swap (a push, a catch-up) and when the screen changes size.
 * The first card of a list always stays, so a goal always shows its numbers and chart.
 */
(function () {
  "use strict";

  // a fit box, and what in it may be hidden (headings go with their cards; only cards count)
  var BOXES = [
    [".area-list", ".card, .week-heading"],
    [".column", ".card"],
    [".carried-over", "li"]
  ];

  function overflowing(box) {
    return box.scrollHeight > box.clientHeight + 1;
  }

  function fit(box, selector, label) {
    Array.prototype.forEach.call(box.querySelectorAll("[data-fit-hidden]"), function (el) {
      el.removeAttribute("data-fit-hidden");
    });
    var old = box.querySelector(":scope > .more");
    if (old) old.remove();
    if (!box.getClientRects().length || !overflowing(box)) return;
    var items = Array.prototype.slice.call(box.querySelectorAll(selector));
    var cards = items.filter(function (el) { return el.matches(".card, li"); });
    var marker = document.createElement("p");
    marker.className = "more";
    box.appendChild(marker);
    var hidden = 0;
    for (var i = items.length - 1; i >= 0; i--) {
      var item = items[i];
      if (item === cards[0] || !overflowing(box)) break;
      item.setAttribute("data-fit-hidden", "");
      if (cards.indexOf(item) >= 0) {
        hidden += 1;
        marker.textContent = label.replace("{n}", String(hidden));
      }
    }
    if (!hidden) marker.remove();
    else marker.setAttribute("data-more", String(hidden));
  }

  function fitAll() {
    var grid = document.querySelector("[data-live-board]");
    if (!grid || !document.body.classList.contains("page-display")) return;
    var label = grid.getAttribute("data-msg-more") || "+ {n}";
    BOXES.forEach(function (pair) {
      Array.prototype.forEach.call(grid.querySelectorAll(pair[0]), function (box) {
        fit(box, pair[1], label);
      });
    });
    document.body.setAttribute("data-fitted", String(Date.now()));
  }

  var queued = false;
  function later() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      fitAll();
    });
  }

  ["htmx:load", "htmx:afterSwap", "htmx:oobAfterSwap", "htmx:wsAfterMessage"].forEach(
    function (name) { document.addEventListener(name, later); }
  );
  window.addEventListener("resize", later);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
})();
