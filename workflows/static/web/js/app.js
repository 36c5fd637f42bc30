/* Congress Prep: small behaviours of the pages (no framework, no inline script: the Content
 * Security Policy allows only scripts served from here).
 *
 * - Transition buttons that need a note, a reason or a closing date open one shared <dialog>;
 *   without JavaScript the same form posts without it and the server shows a prompt page.
 *   Those that ask first (data-confirm: approving) open the same dialog with the question.
 * - A textarea with data-max counts its characters ("1.234/20.000") and says when it is over.
 * - Forms marked data-confirm ask first; buttons marked data-copy copy a field.
 * - The user menu (<details>) closes on Escape and on a click outside it.
 */
(function () {
  "use strict";

  function fieldOf(dialog, name) {
    return dialog.querySelector('[data-prompt-field="' + name + '"]');
  }

  function openPrompt(form) {
    var dialog = document.getElementById("prompt-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      return false; // the server's prompt page takes over
    }
    var requires = form.dataset.requires || "";
    var needs = form.dataset.needs || "";
    var question = dialog.querySelector("[data-prompt-question]");
    question.textContent = form.dataset.confirm || "";
    question.hidden = !form.dataset.confirm;
    var text = dialog.querySelector("#prompt-text");
    var when = dialog.querySelector("#prompt-when");
    var note = dialog.querySelector("#prompt-note");
    dialog.querySelector("#prompt-title").textContent = form.dataset.label || "";
    dialog.querySelector("[data-prompt-object]").textContent = form.dataset.object || "";
    dialog.querySelector("[data-prompt-label]").textContent = form.dataset.prompt || "";
    dialog.querySelector("[data-prompt-ok]").textContent = form.dataset.label || "OK";
    fieldOf(dialog, "text").hidden = !requires;
    fieldOf(dialog, "when").hidden = !needs;
    fieldOf(dialog, "note").hidden = !needs;
    text.required = !!requires;
    when.required = !!needs;
    text.value = "";
    note.value = "";
    if (needs) {
      var soon = new Date(Date.now() + 14 * 24 * 3600 * 1000);
      soon.setMinutes(soon.getMinutes() - soon.getTimezoneOffset());
      when.value = when.value || soon.toISOString().slice(0, 11) + "17:00";
      when.min = new Date(Date.now() - new Date().getTimezoneOffset() * 60000)
        .toISOString().slice(0, 16);
    }
    dialog.pendingForm = form;
    dialog.showModal();
    (requires ? text : needs ? when : dialog.querySelector("[data-prompt-ok]")).focus();
    return true;
  }

  function confirmPrompt(dialog) {
    var form = dialog.pendingForm;
    if (!form) { return; }
    var requires = form.dataset.requires || "";
    var needs = form.dataset.needs || "";
    if (requires) {
      form.querySelector('input[name="' + requires + '"]').value =
        dialog.querySelector("#prompt-text").value.trim();
    }
    if (needs) {
      form.querySelector('input[name="' + needs + '"]').value =
        dialog.querySelector("#prompt-when").value;
      form.querySelector('input[name="note"]').value = dialog.querySelector("#prompt-note").value;
    }
    dialog.pendingForm = null;
    dialog.close();
    form.dataset.prompted = "1";
    form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var asks = form.dataset.requires || form.dataset.needs || form.dataset.confirm;
    if (form.matches("form.transition") && asks) {
      if (form.dataset.prompted) { return; }
      if (openPrompt(form)) { event.preventDefault(); }
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.matches(".prompt-form")) {
      event.preventDefault();
      var dialog = document.getElementById("prompt-dialog");
      var pending = dialog.pendingForm;
      var field = pending && pending.dataset.needs ? "#prompt-when" : "#prompt-text";
      var input = dialog.querySelector(field);
      var typed = pending && (pending.dataset.needs || pending.dataset.requires);
      if (typed && !input.value.trim()) {
        input.reportValidity();
        return;
      }
      confirmPrompt(dialog);
      return;
    }
    // One click, one submission: a second click while the page loads would post it twice.
    var button = event.submitter;
    if (button && form.method.toLowerCase() === "post") {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-prompt-cancel]");
    if (cancel) {
      var dialog = document.getElementById("prompt-dialog");
      dialog.pendingForm = null;
      dialog.close();
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.dataset.copy);
      source.select();
      var done = function () {
        var label = copy.textContent;
        copy.textContent = copy.dataset.copied || label;
        window.setTimeout(function () { copy.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, function () {});
      } else {
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
      }
      return;
    }
    var menus = document.querySelectorAll("details.user-menu[open]");
    for (var i = 0; i < menus.length; i++) {
      if (!menus[i].contains(event.target)) { menus[i].open = false; }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var menus = document.querySelectorAll("details.user-menu[open]");
    for (var i = 0; i < menus.length; i++) {
      menus[i].open = false;
      menus[i].querySelector("summary").focus();
    }
  });

  /* Character counters: a textarea with data-max shows "1.234/20.000" under it, red with how
   * much is over when it passes the limit (the server refuses it then, saying the same). The
   * browser's maxlength is not used: it cuts a pasted text without a word. */
  var countWords = document.querySelector("[data-count-words]");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function counterOf(area) {
    var id = area.id ? area.id + "-count" : "";
    var counter = id ? document.getElementById(id) : area.nextElementSibling;
    if (counter && counter.classList.contains("char-count")) { return counter; }
    counter = document.createElement("p");
    counter.className = "char-count";
    if (id) { counter.id = id; }
    var shown = document.createElement("span");
    var said = document.createElement("span"); // read out only when it goes over or back
    said.className = "visually-hidden";
    said.setAttribute("aria-live", "polite");
    counter.appendChild(shown);
    counter.appendChild(said);
    area.insertAdjacentElement("afterend", counter);
    if (id) {
      var described = (area.getAttribute("aria-describedby") || "").split(/\s+/);
      if (described.indexOf(id) < 0) {
        area.setAttribute("aria-describedby", described.concat([id]).join(" ").trim());
      }
    }
    return counter;
  }

  function count(area) {
    var max = parseInt(area.dataset.max, 10);
    if (!max) { return; }
    var counter = counterOf(area);
    var length = area.value.length;
    var over = length > max;
    var text = numbers.format(length) + "/" + numbers.format(max);
    if (over && countWords) {
      text += " · " + countWords.dataset.over.replace("%(over)s", numbers.format(length - max));
    }
    counter.firstChild.textContent = text;
    var was = counter.classList.contains("over");
    counter.classList.toggle("over", over);
    if (over !== was) { counter.lastChild.textContent = over ? text : ""; }
  }

  function countAll(root) {
    var areas = (root || document).querySelectorAll("textarea[data-max]");
    for (var i = 0; i < areas.length; i++) { count(areas[i]); }
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-max]")) { count(event.target); }
  });
  document.addEventListener("live:refreshed", function (event) { countAll(event.target); });
  document.addEventListener("htmx:afterSettle", function (event) { countAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { countAll(); });
  } else {
    countAll();
  }

  // Submitting a filter form on change saves a click on a phone.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form.filters");
    if (form && form.method.toLowerCase() === "get" && event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
