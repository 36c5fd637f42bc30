// /documents/new/: offer as rapporteur only the people who may see the chosen body's work
// (each option lists those bodies in data-bodies). Without this script every person is
// listed and the server refuses one who may not see the body's work.
(function () {
  "use strict";
  function init() {
    var body = document.getElementById("id_body");
    var rapporteur = document.getElementById("id_rapporteur");
    if (!body || !rapporteur) return;
    function filter() {
      var chosen = body.value;
      Array.prototype.forEach.call(rapporteur.options, function (option) {
        var bodies = option.getAttribute("data-bodies");
        if (bodies === null) return; // "Nobody yet"
        var fits = bodies.split(" ").indexOf(chosen) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) rapporteur.value = "";
      });
    }
    body.addEventListener("change", filter);
    filter();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
