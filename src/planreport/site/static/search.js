// Searches every action in the browser, from the site's own index (assets/search-index.js,
// the same data as data/search-index.json): nothing is sent anywhere.
(function () {
  "use strict";
  var index = window.PLANREPORT_SEARCH || [];
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!form || !input || !status || !results) { return; }
  form.hidden = false;
  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }
  function show(query) {
    var wanted = words(query);
    results.textContent = "";
    if (!wanted.length) { status.textContent = ""; return; }
    var found = index.filter(function (item) {
      var text = item.search;
      return wanted.every(function (w) { return text.indexOf(w) !== -1; });
    });
    status.textContent = found.length + (found.length === 1 ? " action" : " actions") +
      " found for \u2018" + query + "\u2019" + (found.length > 100 ? "; the first 100 are listed." : ".");
    found.slice(0, 100).forEach(function (item) {
      var li = document.createElement("li");
      li.className = "search-results__item";
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = item.url;
      link.textContent = item.title;
      var heading = document.createElement("h2");
      heading.className = "govuk-heading-s govuk-!-margin-bottom-1";
      heading.appendChild(link);
      var about = document.createElement("p");
      about.className = "govuk-body govuk-!-margin-bottom-1";
      about.textContent = item.plan + " \u00b7 " + item.status + (item.due ? " \u00b7 due " + item.due : "");
      var text = document.createElement("p");
      text.className = "govuk-body";
      text.textContent = item.text;
      li.appendChild(heading);
      li.appendChild(about);
      li.appendChild(text);
      results.appendChild(li);
    });
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    try { window.history.replaceState(null, "", url.toString()); } catch (ignore) { }
  });
}());
