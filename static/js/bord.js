/* Bord: drag and drop (SortableJS), moving cards with the keyboard, and a little htmx glue.
   Plain script, no build step. Everything here is re-applied to content htmx swaps in. */
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var pendingMove = null; // {cardId, url, status}

  function csrfHeaders() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    } catch (e) {
      return {};
    }
  }

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function announce(text) {
    var live = document.getElementById("live");
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 60);
  }

  var toastTimer = null;
  function toast(text) {
    var box = document.getElementById("toast");
    if (!box || !text) return;
    box.textContent = text;
    box.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { box.hidden = true; }, 7000);
  }

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("card--action");
    });
  }

  function columns() {
    return Array.prototype.slice.call(document.querySelectorAll("#list-actions .column-cards"));
  }

  /* Ask the server to put `card` at `position` in column `status`; the answer is the whole
     actions block, current again (also after a refusal: 409 reloads the columns). */
  function move(card, status, position) {
    var url = card.getAttribute("data-move-url");
    if (!url) return;
    pendingMove = { cardId: card.id, url: url, again: function () {
      move(card, status, position);
    } };
    card.classList.add("card--moving");
    htmx.ajax("POST", url, {
      target: "#list-actions",
      swap: "outerHTML",
      values: { status: status, position: String(position), version: card.dataset.version },
      headers: csrfHeaders()
    });
  }

  function initSortable(list) {
    if (typeof Sortable === "undefined" || list._bordSortable) return;
    list._bordSortable = Sortable.create(list, {
      group: "actions",
      draggable: ".card--action",
      forceFallback: true, // one code path for mouse, pen and touch
      fallbackTolerance: 4,
      delay: 120,
      delayOnTouchOnly: true, // a finger can still scroll the page
      animation: reducedMotion ? 0 : 150,
      filter: "button, a, input, textarea, select, summary, label",
      preventOnFilter: false,
      ghostClass: "card--ghost",
      chosenClass: "card--chosen",
      dragClass: "card--dragging",
      onEnd: function (evt) {
        var index = evt.newDraggableIndex !== undefined ? evt.newDraggableIndex : evt.newIndex;
        var oldIndex = evt.oldDraggableIndex !== undefined ? evt.oldDraggableIndex : evt.oldIndex;
        if (evt.from === evt.to && index === oldIndex) return;
        move(evt.item, evt.to.dataset.status, index);
      }
    });
  }

  /* Keyboard: a focused card moves with the arrow keys. */
  document.addEventListener("keydown", function (e) {
    var card = e.target;
    if (!card || !card.matches || !card.matches(".card--action[data-move-url]")) return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (pendingMove && /^Arrow/.test(e.key)) {
      e.preventDefault(); // one move at a time: the next one needs the card's new version
      return;
    }
    var list = card.parentElement;
    var cards = cardsOf(list);
    var index = cards.indexOf(card);
    var cols = columns();
    var col = cols.indexOf(list);
    var target = null;
    var position = index;
    if (e.key === "ArrowUp" && index > 0) {
      target = list; position = index - 1;
    } else if (e.key === "ArrowDown" && index < cards.length - 1) {
      target = list; position = index + 1;
    } else if (e.key === "ArrowLeft" && col > 0) {
      target = cols[col - 1]; position = cardsOf(target).length;
    } else if (e.key === "ArrowRight" && col >= 0 && col < cols.length - 1) {
      target = cols[col + 1]; position = cardsOf(target).length;
    }
    if (!target) return;
    e.preventDefault();
    move(card, target.dataset.status, position);
  });

  /* htmx has swapped the answer in (and kept the focus on the card, by its id) before it
     fires afterRequest: say where the card is now, or that the move failed. */
  document.addEventListener("htmx:afterRequest", function (e) {
    if (!pendingMove || !e.detail.pathInfo || e.detail.pathInfo.requestPath !== pendingMove.url) {
      return;
    }
    var done = pendingMove;
    pendingMove = null;
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    var key = document.getElementById(done.cardId) || done;
    if (status === 503 && retryLater(e.detail.xhr, key, done.again)) return;
    var section = document.getElementById("section-actions");
    var card = document.getElementById(done.cardId);
    if (status >= 200 && status < 300 && card) {
      var list = card.parentElement;
      card.focus();
      announce(format(section.dataset.msgMoved, {
        title: card.querySelector(".card-title").textContent,
        column: list.dataset.label,
        position: cardsOf(list).indexOf(card) + 1
      }));
      return;
    }
    if (status !== 409 && status !== 422) {
      // not swapped in: fetch the columns as they are now
      htmx.ajax("GET", location.pathname.replace(/\/$/, "") + "/sections/actions",
        { target: "#list-actions", swap: "outerHTML" });
    }
    card = document.getElementById(done.cardId);
    if (card) card.focus();
    announce(section.dataset.msgFailed);
    toast(section.dataset.msgFailed);
  });

  /* 503: the server is busy and changed nothing. Say so, and send the same request again
     after its Retry-After, a few times, with what the form holds by then: nothing was swapped,
     so nothing typed is lost. */
  var MAX_RETRIES = 6;
  function retryLater(xhr, key, again) {
    var tries = (key.bordRetries || 0) + 1;
    if (tries > MAX_RETRIES) return false;
    key.bordRetries = tries;
    var seconds = parseInt(xhr.getResponseHeader("Retry-After"), 10);
    if (!(seconds >= 0)) seconds = 1;
    toast(document.body.dataset.msgBusy);
    // a little spread, so that a whole room does not come back in the same instant
    window.setTimeout(again, seconds * 1000 * tries + Math.random() * 500);
    return true;
  }

  function sendAgain(detail) {
    var elt = detail.elt;
    var config = detail.requestConfig;
    return function () {
      if (!elt.isConnected) return;
      htmx.ajax(config.verb.toUpperCase(), config.path, {
        source: elt,
        target: config.target,
        // a form sends what it holds now; anything else the values it sent before
        values: elt.tagName === "FORM" ? undefined : config.formData,
        headers: csrfHeaders()
      });
    };
  }

  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.successful && e.detail.elt) e.detail.elt.bordRetries = 0;
  });

  document.addEventListener("htmx:responseError", function (e) {
    if (pendingMove && e.detail.pathInfo && e.detail.pathInfo.requestPath === pendingMove.url) {
      return; // afterRequest deals with it
    }
    var xhr = e.detail.xhr;
    if (xhr && xhr.status === 503 && retryLater(xhr, e.detail.elt, sendAgain(e.detail))) return;
    if (xhr && xhr.status === 413) {
      if (e.detail.elt && e.detail.elt.hasAttribute("data-too-large")) sayTooLarge(e.detail.elt);
      else toast(document.body.dataset.msgTooLarge);
      return;
    }
    toast(document.body.dataset.msgError);
  });

  /* A file field with data-max-bytes never sends a larger file (the server would refuse it
     with 413): its data-too-large message shows in the element data-notice-in names, and the
     form will not go until another file is chosen. */
  function fileTooLarge(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    return Array.prototype.some.call(input.files || [], function (file) {
      return file.size > max;
    });
  }

  function sayTooLarge(input) {
    var message = input.getAttribute("data-too-large");
    input.setCustomValidity(message);
    input.setAttribute("aria-invalid", "true");
    var place = document.getElementById(input.getAttribute("data-notice-in"));
    if (!place) return;
    var said = document.createElement("p");
    said.className = "form-error";
    said.setAttribute("role", "alert");
    said.textContent = message;
    place.replaceChildren(said);
  }

  // capture: before htmx, which sends the file on this same change
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-max-bytes")) return;
    input.setCustomValidity("");
    input.removeAttribute("aria-invalid");
    if (fileTooLarge(input)) sayTooLarge(input);
  }, true);

  document.addEventListener("htmx:beforeRequest", function (e) {
    var input = e.detail.elt;
    if (input && input.hasAttribute("data-max-bytes") && fileTooLarge(input)) e.preventDefault();
  });

  document.addEventListener("htmx:sendError", function () {
    pendingMove = null;
    toast(document.body.dataset.msgOffline);
  });

  /* A push (or an out-of-band part of an answer) may replace the part that holds the focused
     card, field or button: give the focus back to the element with the same id, or, for one
     without an id (a form's button, a fold-out's summary), to the same control in the new part
     (same element, same name and words; the nearest to its old place). A control the new part
     no longer has is left to whoever made the change (the next step's button, say). */
  var CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]";
  var keptFocus = null;

  function signature(control) {
    var words = control.getAttribute("aria-label") || control.textContent || "";
    return [control.tagName, control.getAttribute("name") || "", words.trim()].join("|");
  }

  function sameControl(part, kept) {
    var found = null;
    Array.prototype.forEach.call(part.querySelectorAll(CONTROLS), function (control, place) {
      if (signature(control) !== kept.signature) return;
      if (!found || Math.abs(place - kept.place) < Math.abs(found.place - kept.place)) {
        found = { control: control, place: place };
      }
    });
    return found && found.control;
  }

  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var active = document.activeElement;
    var target = e.detail.target;
    if (!active || active === document.body || !target || !target.contains(active)) return;
    keptFocus = {
      id: active.id,
      part: target.id,
      signature: signature(active),
      place: Array.prototype.indexOf.call(target.querySelectorAll(CONTROLS), active)
    };
  });

  document.addEventListener("htmx:oobAfterSwap", function () {
    var kept = keptFocus;
    keptFocus = null;
    var active = document.activeElement;
    if (!kept || (active && active !== document.body && active.isConnected)) return;
    var element = kept.id && document.getElementById(kept.id);
    var part = !element && kept.part && document.getElementById(kept.part);
    if (part) element = sameControl(part, kept);
    if (element) element.focus({ preventScroll: true });
    else if (part && part.id === "session-panel") focusSessionStep(part);
  });

  /* A form that keeps what is typed in it while pushes replace its panel (live.js keeps
     elements marked data-editing). */
  document.addEventListener("input", function (e) {
    var form = e.target.closest && e.target.closest("form[data-keep-typing]");
    if (form) form.setAttribute("data-editing", "");
  });

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  /* A copy button (data-copy: the field whose text it copies) says "copied" when done; where
     the clipboard is out of reach, the field's text is selected for the user to copy. */
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(field.value).then(function () {
      toast(button.getAttribute("data-copied"));
    }, function () {});
  });

  /* A card's menu button (components/cards.html item_controls) opens and closes its Bewerken
     and Verwijderen; Escape or a click elsewhere closes it, the focus back on the button. */
  function setMenu(button, open) {
    var items = document.getElementById(button.getAttribute("aria-controls"));
    if (!items) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    items.hidden = !open;
  }

  function closeMenus(except) {
    Array.prototype.forEach.call(
      document.querySelectorAll('[data-card-menu][aria-expanded="true"]'),
      function (button) { if (button !== except) setMenu(button, false); }
    );
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-card-menu]");
    if (!button) {
      if (!(e.target.closest && e.target.closest(".card-menu"))) closeMenus(null);
      return;
    }
    closeMenus(button);
    var open = button.getAttribute("aria-expanded") !== "true";
    setMenu(button, open);
    if (open) {
      var first = document.querySelector("#" + button.getAttribute("aria-controls") + " button");
      if (first) first.focus();
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var menu = e.target.closest && e.target.closest(".card-menu");
    var button = menu && menu.querySelector("[data-card-menu]");
    if (!button || button.getAttribute("aria-expanded") !== "true") return;
    setMenu(button, false);
    button.focus();
  });

  /* A card's edit and delete buttons (components/cards.html item_controls): the edit form
     takes the card's place; a delete answers with the card's whole list and "Verwijderd ·
     Ongedaan maken", where the keyboard goes on (the card itself is gone). */
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-card]");
    var card = button && button.closest("[data-item]");
    if (!card) return;
    var url = card.getAttribute("data-item");
    if (button.getAttribute("data-card") === "edit") {
      htmx.ajax("GET", url + "/edit", { source: button, target: card, swap: "outerHTML" });
      return;
    }
    htmx.ajax("POST", url + "/delete", {
      source: button,
      target: card.closest('[id^="list-"]'),
      swap: "outerHTML",
      values: { version: card.dataset.version },
      headers: csrfHeaders()
    }).then(function () {
      var undo = document.querySelector("#toasts [data-undo]");
      if (undo) undo.focus();
    });
  });

  /* A toast ("Verwijderd · Ongedaan maken") goes after a few seconds, but not while the pointer
     or the keyboard is on it; Escape closes it. What it offers stays in the prullenbak. */
  var TOAST_MS = 10000;
  function hideToastLater(toast) {
    clearTimeout(toast._hide);
    toast._hide = setTimeout(function () {
      if (toast.matches(":hover") || toast.contains(document.activeElement)) {
        hideToastLater(toast);
        return;
      }
      toast.remove();
    }, TOAST_MS);
  }
  /* A new toast is timed, and the keyboard lands on its undo: after an htmx answer, and on a
     page that opens with one (a care board after a case went to the prullenbak). */
  function timeToasts() {
    document.querySelectorAll("[data-toast]:not([data-timed])").forEach(function (toast) {
      toast.setAttribute("data-timed", "");
      hideToastLater(toast);
      var undo = toast.querySelector("[data-undo]");
      if (undo) undo.focus();
    });
  }
  document.addEventListener("htmx:afterSettle", timeToasts);
  timeToasts();
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !e.target.closest) return;
    var toast = e.target.closest("[data-toast]");
    if (toast) toast.remove();
  });

  /* "Archiveren" in an action's menu: the card leaves for the board's archive; the answer is
     its column as it is after (or, archived meanwhile elsewhere, as it stands). */
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-card-archive]");
    var card = button && button.closest("[data-item]");
    if (!card) return;
    var section = card.closest("[data-msg-archived]");
    var title = card.querySelector(".card-title");
    var column = card.closest("[data-status]");
    var headingId = column ? "col-" + column.dataset.status : "";
    htmx.ajax("POST", card.getAttribute("data-item") + "/archive", {
      source: button,
      target: card.closest('[id^="list-"]'),
      swap: "outerHTML",
      values: { version: card.dataset.version },
      headers: csrfHeaders()
    }).then(function () {
      if (document.getElementById(card.id)) return;  // refused: the card is still there
      // the keyboard goes on at the card's column, not at the top of the page
      // (the heading has tabindex -1, also when a push has replaced it meanwhile)
      var heading = document.getElementById(headingId);
      if (heading) heading.focus();
      if (section && title) announce(format(section.dataset.msgArchived, { title: title.textContent }));
    });
  });

  /* Escape folds an open add form (or any other fold-out) back to its summary, as a menu closes. */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || e.defaultPrevented || !e.target.closest) return;
    var open = e.target.closest("details[open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });

  /* Each step of a bordsessie replaces its panel, and the button that was pressed with it: the
     keyboard goes on at the next step, or at the summary once it is over, not at the page top.
     Also when the step's push replaced the panel before its answer came (the pressed button is
     then gone, and htmx:afterRequest no longer reaches the document): see keptFocus above. */
  function focusSessionStep(panel) {
    var next = panel.querySelector("#session-next") || panel.querySelector("#session-summary-title") || panel;
    if (!next.matches("a, button, input, select, textarea")) next.setAttribute("tabindex", "-1");
    next.focus();
  }

  document.addEventListener("htmx:afterRequest", function (e) {
    if (!e.detail.successful || !e.detail.target || e.detail.target.id !== "session-panel") return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var panel = document.getElementById("session-panel");
    if (panel) focusSessionStep(panel);
  });

  /* The ideas' impact matrix. "Lijst / Matrix" chooses the view on this screen (kept in the
     browser); a card dragged into a quadrant sends its "Plaats in matrix" form, the same request
     as choosing the quadrant with the keyboard. */
  var IDEAS_VIEW = "bord.ideasView";
  function showIdeas(view) {
    var section = document.getElementById("section-ideas");
    if (!section || !section.querySelector("[data-ideas-view]")) return;
    section.dataset.view = view;
    Array.prototype.forEach.call(section.querySelectorAll("[data-ideas-view]"), function (button) {
      button.setAttribute("aria-pressed", button.dataset.ideasView === view ? "true" : "false");
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-ideas-view]");
    if (!button) return;
    showIdeas(button.dataset.ideasView);
    try { window.localStorage.setItem(IDEAS_VIEW, button.dataset.ideasView); } catch (err) { /* private mode */ }
  });

  function initMatrixCell(list) {
    if (typeof Sortable === "undefined" || list._bordSortable) return;
    list._bordSortable = Sortable.create(list, {
      group: "idea-matrix",
      sort: false,
      draggable: ".card--placeable",
      forceFallback: true, // one code path for mouse, pen and touch
      fallbackTolerance: 4,
      delay: 120,
      delayOnTouchOnly: true,
      animation: reducedMotion ? 0 : 150,
      filter: "button, a, input, textarea, select, summary, label",
      preventOnFilter: false,
      ghostClass: "card--ghost",
      chosenClass: "card--chosen",
      dragClass: "card--dragging",
      onAdd: function (evt) {
        var select = evt.item.querySelector('select[name="quadrant"]');
        if (!select) return;
        select.value = evt.to.dataset.quadrant;
        select.form.requestSubmit();
      }
    });
  }

  // after a placement the matrix is new: the keyboard goes on at the same card's choice. On
  // afterRequest, not afterSettle: when the push of the change came first, the answer brings
  // nothing newer and is not swapped in, but the card's choice is there all the same.
  document.addEventListener("htmx:afterRequest", function (e) {
    var path = e.detail.requestConfig && e.detail.requestConfig.path;
    var placed = e.detail.successful && path && /^\/ideas\/(\d+)\/place$/.exec(path);
    if (!placed) return;
    window.requestAnimationFrame(function () {
      var select = document.getElementById("place-" + placed[1]);
      if (select) select.focus();
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var view = null;
    try { view = window.localStorage.getItem(IDEAS_VIEW); } catch (err) { /* private mode */ }
    if (view === "matrix") showIdeas("matrix");
  });

  htmx.onLoad(function (root) {
    if (!root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll(".matrix-cell"), initMatrixCell);
    var lists = root.matches && root.matches("[data-sortable]") ? [root] : [];
    lists = lists.concat(Array.prototype.slice.call(root.querySelectorAll("[data-sortable]")));
    lists.forEach(initSortable);
    // A form that came back with errors: put the cursor in the first wrong field.
    var wrong = root.querySelector('[aria-invalid="true"]');
    if (wrong && root !== document.body) wrong.focus();
    // A conflict panel asks for attention.
    var panel = root.matches && root.matches("[data-autofocus]") ? root : root.querySelector("[data-autofocus]");
    if (panel && root !== document.body) panel.focus();
  });
})();
