// The close dialog's duplicate search, live: typing in the search box (debounced) or
// pressing its Search button asks the server for the questions found, and choosing one (or
// typing a URL or number) shows its preview, all inside the dialog, without submitting the
// form, so the chosen reason and comment stay. Without this script the Search button posts
// the form, which comes back with the same results and the same choices.
(function () {
  "use strict";

  const timers = new WeakMap();

  function box(element) {
    return element.closest("[data-duplicate-search]");
  }

  function fetchInto(container, url, target) {
    return fetch(url, {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) container.querySelector(target).innerHTML = html;
      })
      .catch(function () {});
  }

  function search(container) {
    const query = container.querySelector("[data-duplicate-query]").value.trim();
    const url = container.dataset.duplicatesUrl + "?q=" + encodeURIComponent(query);
    return fetchInto(container, url, "[data-duplicate-results]");
  }

  function preview(container, value) {
    const url = container.dataset.duplicatesUrl + "?target=" + encodeURIComponent(value);
    return fetchInto(container, url, "[data-duplicate-preview]");
  }

  function later(container, key, run) {
    const waiting = timers.get(container) || {};
    clearTimeout(waiting[key]);
    waiting[key] = setTimeout(run, 300);
    timers.set(container, waiting);
  }

  document.addEventListener("input", function (event) {
    const field = event.target;
    const container = box(field);
    if (!container) return;
    if (field.matches("[data-duplicate-query]")) {
      later(container, "search", function () { search(container); });
    } else if (field.matches("[data-duplicate-input]")) {
      container.querySelectorAll("[data-duplicate-candidate]").forEach(function (radio) {
        radio.checked = false;
      });
      later(container, "preview", function () { preview(container, field.value.trim()); });
    }
  });

  document.addEventListener("change", function (event) {
    const radio = event.target;
    if (!radio.matches("[data-duplicate-candidate]")) return;
    const container = box(radio);
    if (!container) return;
    container.querySelector("[data-duplicate-input]").value = radio.value;
    preview(container, radio.value);
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-duplicate-button]");
    if (!button || !box(button)) return;
    event.preventDefault();
    search(box(button));
  });

  // Enter in the search box searches here rather than submitting the form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-duplicate-query]")) return;
    const container = box(event.target);
    if (!container) return;
    event.preventDefault();
    search(container);
  });
})();
