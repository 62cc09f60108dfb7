/* A leernetwerk's page: a push of its questions is the same for every member, so "Dit hielp"
   comes hidden; it is shown again for the questions the reader asked (#questions data-me). An
   answer being typed is kept while a push replaces the list. */
(function () {
  "use strict";

  function showMine() {
    var section = document.getElementById("questions");
    var me = section && section.getAttribute("data-me");
    if (!me) return;
    var forms = section.querySelectorAll('[data-asker="' + me + '"] .helpful-form[hidden]');
    Array.prototype.forEach.call(forms, function (form) { form.removeAttribute("hidden"); });
  }

  var kept = [];
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var target = e.detail.target;
    if (!target || target.id !== "network-questions") return;
    kept = Array.prototype.slice.call(target.querySelectorAll("form[data-editing][id]"));
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    kept.forEach(function (form) {
      var fresh = document.getElementById(form.id);
      if (fresh && fresh !== form) fresh.replaceWith(form);
    });
    kept = [];
    showMine();
  });

  document.addEventListener("DOMContentLoaded", showMine);
})();
