/* The bordsessie clock: counts the current agenda part down on every screen in step.
 *
 * The server sends when the part began (data-part-started) and its own time when it rendered
 * the panel (data-server-now), both in ms. Each screen measures how far its own clock is off
 * once per panel and counts from the server's start, so phones with a wrong clock still agree.
 * Amber near the end of a part, red past it.
 */
(function () {
  "use strict";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var clock = document.getElementById("session-clock");
    if (!clock) return;
    if (clock.bordOffset === undefined) {
      clock.bordOffset = parseFloat(clock.dataset.serverNow) - Date.now();
    }
    var total = parseInt(clock.dataset.seconds, 10);
    var elapsed = (Date.now() + clock.bordOffset - parseFloat(clock.dataset.partStarted)) / 1000;
    var left = Math.round(total - elapsed);
    var shown = Math.abs(left);
    var text = Math.floor(shown / 60) + ":" + pad(shown % 60);
    var face = clock.querySelector(".clock-time");
    face.textContent = left < 0 ? "+" + text : text;
    clock.dataset.left = String(left);
    clock.classList.toggle("clock--amber", left >= 0 && left <= Math.max(15, total * 0.2));
    clock.classList.toggle("clock--red", left < 0);
    clock.setAttribute("aria-label", left < 0 ? text + " " + clock.dataset.overLabel : text);
  }

  document.addEventListener("htmx:load", tick);
  window.setInterval(tick, 250);

  /* The smartboard follows the agenda: when the part changes, the area being discussed scrolls
     into view (not while someone types). The session's details fold away while a part runs;
     opened or closed by hand, they stay so until the next part, whatever is pushed. */
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var shown = { focus: undefined, part: null, open: null };

  function typing() {
    var active = document.activeElement;
    return active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function follow() {
    var panel = document.getElementById("session-panel");
    if (!panel || document.body.classList.contains("page-display")) return;
    var more = panel.querySelector("details.session-more");
    if (more && shown.part === more.dataset.part && shown.open !== null) {
      more.open = shown.open;
    } else if (more) {
      shown.part = more.dataset.part;
      shown.open = null;
    }
    var focus = panel.getAttribute("data-focus");
    if (focus === shown.focus) return;
    var first = shown.focus === undefined;
    shown.focus = focus;
    if (!focus || (first && location.hash) || typing()) return;
    var area = document.getElementById("section-" + focus);
    if (area) area.scrollIntoView({ block: "start", behavior: reduced ? "auto" : "smooth" });
  }

  document.addEventListener("toggle", function (e) {
    var more = e.target;
    if (more.matches && more.matches("details.session-more") && more.dataset.part === shown.part) {
      shown.open = more.open;
    }
  }, true);
  document.addEventListener("htmx:load", follow);
})();
