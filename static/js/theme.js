// The colour theme (docs/architecture.md, "Themes"). Loaded in <head> without `defer` so the
// chosen theme is on <html> before the page is drawn (no flash of the other theme). The
// choice lives in this browser only (localStorage): the server sends the same HTML to
// everyone, so the shared page cache is not split per theme. "system" (or nothing stored)
// follows prefers-color-scheme through the stylesheet's media query.
(function () {
  "use strict";
  var KEY = "qasite-theme";
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "system";
    } catch (error) {
      return "system";
    }
  }

  function apply(choice) {
    if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-theme-switch]");
    if (!box) return;
    var select = box.querySelector("select");
    select.value = stored();
    box.hidden = false;
    select.addEventListener("change", function () {
      try {
        if (select.value === "system") window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, select.value);
      } catch (error) {
        // Storage refused (private mode): the choice holds for this page only.
      }
      apply(select.value);
    });
  });
})();
