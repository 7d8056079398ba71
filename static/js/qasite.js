// Progressive enhancement: votes and comments without a page reload, tag suggestions.
// Every form works without this script; here we only post the same forms with fetch().
(function () {
  "use strict";

  function post(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    }).then(function (response) {
      // Not logged in: the view redirected to the login page; go there like a plain form.
      if (response.redirected) {
        window.location.href = response.url;
        return new Promise(function () {});
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  function say(form, text) {
    let box = form.querySelector("[data-flash]");
    if (!box) {
      box = document.createElement("p");
      box.setAttribute("data-flash", "");
      box.setAttribute("role", "alert");
      box.className = "flash";
      form.appendChild(box);
    }
    box.textContent = text;
  }

  function updateVoteButtons(form, vote) {
    const up = form.querySelector(".vote-up");
    const down = form.querySelector(".vote-down");
    up.classList.toggle("on", vote === "up");
    down.classList.toggle("on", vote === "down");
    up.setAttribute("aria-pressed", String(vote === "up"));
    down.setAttribute("aria-pressed", String(vote === "down"));
    up.value = vote === "up" ? "none" : "up";
    down.value = vote === "down" ? "none" : "down";
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    if (form.matches("[data-vote-form]")) {
      event.preventDefault();
      post(form, submitter).then(function (result) {
        if (!result.ok) return say(form, result.body.error || "Your vote could not be recorded.");
        form.querySelector("[data-score]").textContent = result.body.score;
        updateVoteButtons(form, result.body.vote);
      });
    } else if (form.matches("[data-comment-vote-form]")) {
      event.preventDefault();
      post(form, submitter).then(function (result) {
        if (!result.ok) return say(form, result.body.error || "Your vote could not be recorded.");
        const on = result.body.vote !== "none";
        const button = form.querySelector("button");
        button.classList.toggle("on", on);
        button.setAttribute("aria-pressed", String(on));
        button.value = on ? "none" : "up";
        form.closest(".comment").querySelector("[data-comment-score]").textContent =
          result.body.score || "";
      });
    } else if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      const error = form.querySelector("[data-comment-error]");
      post(form, submitter).then(function (result) {
        if (!result.ok) {
          error.hidden = false;
          error.textContent = result.body.error || "Your comment could not be saved.";
          return;
        }
        error.hidden = true;
        const list = form.closest(".comments").querySelector("[data-comment-list]");
        list.insertAdjacentHTML("beforeend", result.body.html);
        form.reset();
        form.querySelector("[data-token]").value = result.body.next_token;
      });
    }
  });

  // Links marked data-dialog (the close dialog) open their page's form in a <dialog>;
  // without the script they are ordinary pages.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-dialog]");
    if (!link || typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not a dialog");
        return response.text();
      })
      .then(function (text) {
        const doc = new DOMParser().parseFromString(text, "text/html");
        const content = doc.querySelector("[data-dialog-content]");
        if (!content) throw new Error("not a dialog");
        const dialog = document.createElement("dialog");
        dialog.className = "qa-dialog";
        dialog.appendChild(document.importNode(content, true));
        const close = document.createElement("button");
        close.type = "button";
        close.className = "button";
        close.textContent = "Close this dialog";
        close.addEventListener("click", function () { dialog.close(); });
        dialog.appendChild(close);
        dialog.addEventListener("close", function () { dialog.remove(); });
        document.body.appendChild(dialog);
        dialog.showModal();
      })
      .catch(function () { window.location.href = link.href; });
  });

  // Tag suggestions on the ask and edit forms: a <datalist> filled as the user types.
  const tagsInput = document.querySelector("input[name=tags]");
  const datalist = document.getElementById("tag-suggestions");
  if (tagsInput && datalist) {
    tagsInput.setAttribute("list", "tag-suggestions");
    tagsInput.setAttribute("autocomplete", "off");
    let timer = null;
    tagsInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const words = tagsInput.value.split(/[\s,]+/);
        const last = words[words.length - 1];
        if (!last) return;
        fetch(datalist.dataset.suggestUrl + "?q=" + encodeURIComponent(last))
          .then(function (response) { return response.json(); })
          .then(function (body) {
            const prefix = words.slice(0, -1).join(" ");
            datalist.innerHTML = "";
            body.tags.forEach(function (name) {
              const option = document.createElement("option");
              option.value = (prefix ? prefix + " " : "") + name;
              datalist.appendChild(option);
            });
          });
      }, 150);
    });
  }
})();

// Similar questions under the ask form's title, as it is typed (debounced). Without the
// script the list simply stays hidden.
(function () {
  "use strict";

  const box = document.querySelector("[data-similar-url]");
  const title = document.querySelector("input[name=title]");
  if (!box || !title) return;
  const field = title.closest(".field");
  if (field) field.appendChild(box);
  const list = box.querySelector("[data-similar-list]");
  let timer = null;
  let asked = "";

  function show(questions) {
    list.replaceChildren();
    questions.forEach(function (question) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = question.url;
      link.textContent = question.title;
      item.appendChild(link);
      if (question.state) {
        const state = document.createElement("span");
        state.className = "state";
        state.textContent = " [" + question.state + "]";
        item.appendChild(state);
      }
      list.appendChild(item);
    });
    box.hidden = questions.length === 0;
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const text = title.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < 10) return show([]);
      fetch(box.dataset.similarUrl + "?title=" + encodeURIComponent(text), {
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { questions: [] }; })
        .then(function (body) { if (asked === text) show(body.questions || []); })
        .catch(function () {});
    }, 300);
  });
})();

// A block that scrolls sideways (a wide formula, code, a table) takes keyboard focus, so
// keyboard users can scroll it too (docs/architecture.md, "Accessibility checks").
(function () {
  "use strict";
  function focusable() {
    document
      .querySelectorAll("math, pre, .table-scroll, .post-body table")
      .forEach(function (block) {
        const overflow = getComputedStyle(block).overflowX;
        if (overflow !== "auto" && overflow !== "scroll") return;
        if (block.scrollWidth > block.clientWidth && !block.hasAttribute("tabindex")) {
          block.setAttribute("tabindex", "0");
          if (!block.hasAttribute("role") && block.tagName.toLowerCase() !== "math") {
            block.setAttribute("role", "region");
            block.setAttribute("aria-label", "Scrollable content");
          }
        }
      });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusable);
  else focusable();
  window.addEventListener("resize", focusable);
})();
