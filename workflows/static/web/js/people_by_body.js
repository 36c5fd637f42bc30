// A choice of people tied to the form's body (select[data-people-of="id_body"]): offer only
// the people who may see the chosen body's work (each option lists those bodies in
// data-bodies). Used by /documents/new/ (rapporteur) and /tasks/new/ (assignee). Without this
// script every person is listed and the server refuses one who may not see the body's work.
(function () {
  "use strict";
  function bind(people) {
    var body = document.getElementById(people.getAttribute("data-people-of"));
    if (!body) return;
    function filter() {
      var chosen = body.value;
      Array.prototype.forEach.call(people.options, function (option) {
        var bodies = option.getAttribute("data-bodies");
        if (bodies === null) return; // "Nobody yet"
        var fits = bodies.split(" ").indexOf(chosen) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) people.value = "";
      });
    }
    body.addEventListener("change", filter);
    filter();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-people-of]"), bind);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
