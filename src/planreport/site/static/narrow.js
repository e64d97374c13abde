// Narrows a plan's actions in place by status, theme and lead. Without JavaScript the
// page's links lead to pages already narrowed; this only saves the trip.
(function () {
  "use strict";
  var form = document.getElementById("narrow-form");
  var list = document.getElementById("action-list");
  var count = document.getElementById("shown-count");
  if (!form || !list || !count) { return; }
  var links = document.getElementById("narrow-links");
  var cards = Array.prototype.slice.call(list.querySelectorAll(".action-card"));
  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value : "";
  }
  function apply() {
    var status = value("status"), theme = value("theme"), lead = value("lead");
    var shown = 0;
    cards.forEach(function (card) {
      var leads = (card.getAttribute("data-leads") || "").split(" ");
      var match = (!status || card.getAttribute("data-status") === status) &&
        (!theme || card.getAttribute("data-theme") === theme) &&
        (!lead || leads.indexOf(lead) !== -1);
      card.hidden = !match;
      if (match) { shown += 1; }
    });
    var narrowed = status || theme || lead;
    count.textContent = narrowed ? "Showing " + shown + " of " + cards.length + " actions." : "";
  }
  form.hidden = false;
  if (links) { links.hidden = true; }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
}());
