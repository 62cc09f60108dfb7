/* Care boards: the privacy screen. When it is on, names and concerns (.confidential) are
 * blurred on this screen until tapped (or focused and Enter pressed), for when someone walks
 * into the meeting room. The setting is kept per browser and survives live updates. */
(function () {
  "use strict";

  var KEY = "bord.privacy";

  function on() {
    return window.localStorage.getItem(KEY) === "on";
  }

  function apply() {
    var active = on();
    document.body.classList.toggle("privacy-on", active);
    var button = document.querySelector("[data-privacy-toggle]");
    if (button) {
      button.setAttribute("aria-pressed", active ? "true" : "false");
      button.textContent = button.getAttribute(active ? "data-label-on" : "data-label-off");
    }
    document.querySelectorAll(".confidential").forEach(function (el) {
      if (active && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }

  function reveal(el) {
    el.classList.toggle("revealed");
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-privacy-toggle]");
    if (toggle) {
      window.localStorage.setItem(KEY, on() ? "off" : "on");
      document.querySelectorAll(".confidential.revealed").forEach(function (el) {
        el.classList.remove("revealed");
      });
      apply();
      return;
    }
    var hidden = document.body.classList.contains("privacy-on") && event.target.closest(".confidential");
    if (hidden) {
      event.preventDefault();
      reveal(hidden);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && document.body.classList.contains("privacy-on")) {
      var el = event.target.closest && event.target.closest(".confidential");
      if (el) {
        event.preventDefault();
        reveal(el);
      }
    }
  });

  document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("htmx:afterSettle", apply);
  document.addEventListener("htmx:oobAfterSwap", apply);
})();
