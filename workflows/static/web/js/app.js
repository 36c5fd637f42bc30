/* Congress Prep: small behaviours of the pages (no framework, no inline script: the Content
 * Security Policy allows only scripts served from here).
 *
 * - Transition buttons that need a note, a reason or a closing date open one shared <dialog>;
 *   without JavaScript the same form posts without it and the server shows a prompt page.
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
    (requires ? text : when).focus();
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
    if (form.matches("form.transition") && (form.dataset.requires || form.dataset.needs)) {
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
      if (!input.value.trim()) {
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

  // Submitting a filter form on change saves a click on a phone.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form.filters");
    if (form && form.method.toLowerCase() === "get" && event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
