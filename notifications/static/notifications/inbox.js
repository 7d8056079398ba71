// Progressive enhancement of the top bar's inbox link: a click opens a dropdown with the
// latest items (fetched from the link's data-inbox-latest); without this script the link
// leads to the inbox page. Escape or a click elsewhere closes it.
(function () {
  "use strict";

  function close(panel, link) {
    panel.hidden = true;
    link.setAttribute("aria-expanded", "false");
  }

  function setUp(link) {
    const panel = document.createElement("div");
    panel.className = "inbox-panel";
    panel.id = "inbox-panel";
    panel.hidden = true;
    link.setAttribute("aria-controls", panel.id);
    link.setAttribute("aria-expanded", "false");
    link.insertAdjacentElement("afterend", panel);

    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      if (!panel.hidden) {
        close(panel, link);
        return;
      }
      fetch(link.dataset.inboxLatest, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          panel.innerHTML = html;
          panel.hidden = false;
          link.setAttribute("aria-expanded", "true");
          const first = panel.querySelector("a");
          if (first) first.focus();
        })
        .catch(function () {
          window.location.href = link.href;
        });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) {
        close(panel, link);
        link.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !panel.contains(event.target) && event.target !== link) {
        close(panel, link);
      }
    });
  }

  document.querySelectorAll("a[data-inbox-latest]").forEach(setUp);
})();
