/* Congress Prep: live updates over the /ws/live/ websocket (session cookie).
 *
 * The page says which congress it shows (body[data-congress]) and the newest event it has seen
 * (body[data-live-after]). The client subscribes with {"action": "subscribe", "congress": N,
 * "after": ID}; the server replays what came after ID, then streams new events. Each event id
 * is remembered, so after a dropped connection (reconnected with backoff) the subscription
 * asks for what was missed.
 *
 * On an event about what a part of the page shows (an element with data-fragment, data-watch
 * and optionally data-watch-id), that part is fetched again from the server (?fragment=name:
 * the same template, through the same visibility rule) by htmx and morphed in by idiomorph
 * (vendored, web/vendor/VENDORED.md). A part where the user is typing is not replaced: it
 * offers a refresh button instead.
 */
(function () {
  "use strict";

  var body = document.body;
  var path = body.dataset.live;
  if (!path || !("WebSocket" in window)) { return; }

  var congress = parseInt(body.dataset.congress || "", 10);
  var lastEvent = parseInt(body.dataset.liveAfter || "0", 10) || 0;
  var socket = null;
  var attempts = 0;
  var reconnectTimer = null;
  var stopped = false;
  var timers = {};
  var statusEl = document.querySelector("[data-live-status]");
  var labelEl = document.querySelector("[data-live-label]");
  // The words come from the page (translated by Django), in the page's language.
  var wordsEl = document.querySelector("[data-live-words]");
  var words = wordsEl ? wordsEl.dataset : {};

  function setState(state) {
    body.dataset.liveState = state;
    if (statusEl) { statusEl.dataset.state = state; }
    // The words are shown, not only the dot's colour, and read out when they change.
    if (labelEl && labelEl.textContent !== (words[state] || "")) {
      labelEl.textContent = words[state] || "";
    }
  }

  function connect() {
    if (stopped) { return; }
    setState("connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      attempts = 0;
      if (congress) {
        subscribe();
      } else {
        setState("live");
      }
      refreshBell();
    });
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      receive(data);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      // 4401: the socket's sign-in no longer holds (logged out, password changed, account
      // deactivated): the next page load goes to the login. Any other close: reconnect with
      // backoff and subscribe again from the last event seen.
      if (event.code === 4401) {
        stopped = true;
        setState("off");
        return;
      }
      setState("off");
      scheduleReconnect();
    });
  }

  function subscribe() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ action: "subscribe", congress: congress, after: lastEvent }));
    }
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) { return; }
    attempts += 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, attempts - 1));
    delay = delay / 2 + Math.random() * delay / 2;
    reconnectTimer = window.setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (socket || stopped) { return; }
    if (reconnectTimer) { window.clearTimeout(reconnectTimer); reconnectTimer = null; }
    attempts = 0;
    connect();
  }

  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { reconnectNow(); }
  });

  function receive(data) {
    if (data.subscribed) {
      setState("live");
      return;
    }
    if (data.error) {
      if (data.error === "not_found") { setState("live"); }
      // More was missed than the socket replays: the page's parts are read again instead.
      if (data.error === "replay_limit") { refreshAll(); }
      if (data.error === "rate_limited") {
        window.setTimeout(subscribe, 1000 * (data.retry_after || 60));
      }
      return;
    }
    if (data.unsubscribed) { // this user may no longer see the congress
      setState("off");
      refreshAll();
      return;
    }
    if (data.type === "rights.changed") { // what this user may see changed: re-read the page
      refreshAll();
      return;
    }
    if (data.type === "notification.created") {
      bump(1);
      toast(data.data && data.data.title);
      changed("notification", null, null);
      return;
    }
    if (typeof data.event === "number") {
      if (data.event <= lastEvent) { return; }
      lastEvent = data.event;
      body.dataset.liveLast = String(lastEvent);
      var d = data.data || {};
      if (d.kind === "comment") {
        changed("comment", d.task ? "task" : "document", d.task || d.document);
      } else {
        changed(d.kind, d.kind, d.id);
      }
    }
  }

  /* An object changed: refresh every part of the page that shows it. */
  function changed(kind, parentKind, id) {
    var parts = document.querySelectorAll("[data-fragment]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var watch = (part.dataset.watch || "").split(/\s+/);
      if (watch.indexOf(kind) < 0) { continue; }
      if (kind === "comment" && watch.indexOf(parentKind) < 0) { continue; }
      var watchId = part.dataset.watchId;
      if (watchId && String(id) !== watchId) { continue; }
      if (watchId && kind === "comment" && watch[0] !== parentKind) { continue; }
      schedule(part);
    }
  }

  function refreshAll() {
    var parts = document.querySelectorAll("[data-fragment]");
    for (var i = 0; i < parts.length; i++) { schedule(parts[i]); }
  }

  function schedule(part) {
    var name = part.dataset.fragment;
    if (timers[name]) { window.clearTimeout(timers[name]); }
    timers[name] = window.setTimeout(function () {
      timers[name] = null;
      refresh(part);
    }, 250);
  }

  function fragmentUrl(name) {
    var params = new URLSearchParams(window.location.search);
    params.set("fragment", name);
    return window.location.pathname + "?" + params.toString();
  }

  function isDirty(part) {
    var fields = part.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit") { continue; }
      if (f.type === "file" && f.files && f.files.length) { return true; }
      if (f.tagName === "SELECT") {
        if (f.multiple) { continue; }
        var initial = 0; // a select with no `selected` option starts on its first one
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].defaultSelected) { initial = j; break; }
        }
        if (f.selectedIndex !== initial) { return true; }
      } else if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) { return true; }
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh(part, force) {
    if (!force && isDirty(part)) {
      offerRefresh(part);
      return;
    }
    if (!window.htmx) { return; }
    // Last refresh's highlight is not part of what the server sends: not a change either.
    var lit = part.querySelectorAll(".changed");
    for (var i = 0; i < lit.length; i++) { lit[i].classList.remove("changed"); }
    var before = { open: openDetails(part), pieces: snapshot(part) };
    // htmx fetches the fragment and idiomorph morphs it in: the nodes that did not change stay
    // (focus, scroll, an open menu), the ones that did are patched in place.
    window.htmx.ajax("GET", fragmentUrl(part.dataset.fragment), {
      source: part,
      target: part,
      swap: "morph:innerHTML",
      headers: { "X-Requested-With": "fetch" }
    }).then(function () {
      if (part.dataset.liveSwapped) {
        delete part.dataset.liveSwapped;
        afterSwap(part, before);
      }
    }, function () { /* the next event or reconnection tries again */ });
  }

  // A fragment answered by a redirect (to the login page, the session has ended) or by an
  // error is not swapped in: the page keeps what it shows until the next event.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var part = event.detail.target;
    if (!part || !part.dataset || !part.dataset.fragment) { return; }
    var xhr = event.detail.xhr;
    var landed = xhr.responseURL ? new URL(xhr.responseURL).pathname : window.location.pathname;
    if (landed !== window.location.pathname || xhr.status !== 200) {
      event.detail.shouldSwap = false;
      return;
    }
    part.dataset.liveSwapped = "1";
  });

  // The parts of a fragment that are compared before and after a refresh, to highlight what
  // changed (a task's row, a card, a comment), not the whole page.
  var PIECES = "[data-task], [data-document], .card[id], .card[aria-labelledby], .comment[id], .stats";

  function keyOf(element, index) {
    return element.dataset.task ? "task-" + element.dataset.task
      : element.dataset.document ? "document-" + element.dataset.document
      : element.id || element.getAttribute("aria-labelledby") || element.className + index;
  }

  function snapshot(part) {
    var pieces = {};
    var found = part.querySelectorAll(PIECES);
    for (var i = 0; i < found.length; i++) {
      // Each render masks the CSRF token afresh: it is not a change.
      pieces[keyOf(found[i], i)] = found[i].innerHTML.replace(/value="[^"]{40,}"/g, "");
    }
    return pieces;
  }

  function openDetails(part) {
    var open = [];
    var details = part.querySelectorAll("details[open][id]");
    for (var i = 0; i < details.length; i++) { open.push(details[i].id); }
    return open;
  }

  function afterSwap(part, before) {
    // The server renders every <details> closed: the ones the user had open stay open.
    before.open.forEach(function (id) {
      var again = document.getElementById(id);
      if (again) { again.open = true; }
    });
    var after = part.querySelectorAll(PIECES);
    for (var j = after.length - 1; j >= 0; j--) { // innermost first: a row, not its card
      var key = keyOf(after[j], j);
      var now = after[j].innerHTML.replace(/value="[^"]{40,}"/g, "");
      if (before.pieces[key] !== now && !after[j].querySelector(".changed")) {
        after[j].classList.add("changed");
      }
    }
    part.dataset.refreshedAt = String(Date.now());
    part.dispatchEvent(new CustomEvent("live:refreshed", { bubbles: true }));
  }

  function offerRefresh(part) {
    if (part.querySelector("[data-live-notice]")) { return; }
    var notice = document.createElement("div");
    notice.className = "live-notice";
    notice.setAttribute("data-live-notice", "");
    notice.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = words.refresh + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm";
    button.textContent = words.refreshButton;
    button.addEventListener("click", function () { refresh(part, true); });
    notice.appendChild(text);
    notice.appendChild(button);
    part.insertBefore(notice, part.firstChild);
  }

  /* The bell. */
  function showCount(count) {
    var badges = document.querySelectorAll("[data-unread-count]");
    for (var i = 0; i < badges.length; i++) {
      badges[i].textContent = String(count);
      badges[i].hidden = count <= 0;
    }
    var numbers = document.querySelectorAll("[data-unread-number]");
    for (var j = 0; j < numbers.length; j++) { numbers[j].textContent = String(count); }
  }

  function bump(by) {
    var badge = document.querySelector("[data-unread-count]");
    var count = (parseInt(badge ? badge.textContent : "0", 10) || 0) + by;
    showCount(count);
    var bell = document.querySelector("[data-bell]");
    if (bell) {
      bell.classList.remove("ring");
      void bell.offsetWidth;
      bell.classList.add("ring");
    }
  }

  function refreshBell() {
    fetch("/notifications/?fragment=bell", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : null;
      })
      .then(function (text) {
        var count = parseInt(text, 10);
        if (!isNaN(count)) { showCount(count); }
      })
      .catch(function () {});
  }

  var toastTimer = null;
  function toast(text) {
    var box = document.querySelector("[data-live-toast]");
    if (!box || !text) { return; }
    box.textContent = text;
    box.hidden = false;
    if (toastTimer) { window.clearTimeout(toastTimer); }
    toastTimer = window.setTimeout(function () { box.hidden = true; }, 6000);
  }

  window.CongressLive = {
    lastEvent: function () { return lastEvent; },
    drop: function () { if (socket) { socket.close(); } } // for tests: simulate a lost link
  };

  connect();
})();
