/* The post editor (docs/architecture.md, "The editor"): progressive enhancement of the body
 * textarea of every form marked data-editor. A toolbar and shortcuts that write Markdown,
 * a live preview rendered by the server (the same pipeline as stored posts), a draft kept
 * in localStorage, and images uploaded by button, drag-and-drop and paste.
 * Without this script the form still works: its "Preview" button re-renders the page. */
(function () {
  "use strict";

  var PREVIEW_DELAY = 400;
  var DRAFT_DELAY = 300;
  var HISTORY_MAX = 200;
  var DRAFT_PREFIX = "qasite-draft:";
  var SUBMITTED = "qasite-draft-submitted";
  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  var mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  var MOD = mac ? "Cmd" : "Ctrl";

  // name, label, shortcut key (with Ctrl/Cmd), shift, visible text
  var BUTTONS = [
    ["bold", "Bold", "b", false, "B"],
    ["italic", "Italic", "i", false, "I"],
    ["link", "Link", "l", false, "Link"],
    ["quote", "Quote", "q", false, "❝"],
    ["code", "Code", "k", false, "</>"],
    ["codeblock", "Code block", "m", false, "{ }"],
    ["image", "Upload an image", "g", false, "Image"],
    ["olist", "Numbered list", "o", false, "1."],
    ["ulist", "Bulleted list", "u", false, "•"],
    ["heading", "Heading", "h", false, "H"],
    ["rule", "Horizontal rule", "r", false, "—"],
    ["undo", "Undo", "z", false, "↶"],
    ["redo", "Redo", "y", false, "↷"],
  ];

  function storage() {
    try {
      var probe = "qasite-probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function Editor(form) {
    this.form = form;
    this.textarea = form.querySelector("textarea[name=body]");
    this.key = DRAFT_PREFIX + (form.getAttribute("data-draft-key") || location.pathname);
    this.previewUrl = document.body.getAttribute("data-editor-preview-url");
    this.uploadUrl = document.body.getAttribute("data-editor-upload-url");
    this.preview = form.querySelector("[data-editor-preview]");
    this.previewBody = form.querySelector("[data-editor-preview-body]");
    this.history = [];
    this.index = -1;
    this.typingTimer = null;
    this.previewTimer = null;
    this.draftTimer = null;
    this.previewSeq = 0;
    this.store = storage();
    this.build();
    this.restoreDraft();
    this.record();
    this.bind();
    this.schedulePreview(0);
  }

  Editor.prototype.build = function () {
    var self = this;
    var textarea = this.textarea;
    if (!textarea.id) textarea.id = "editor-" + Math.random().toString(36).slice(2);
    var bar = document.createElement("div");
    bar.className = "editor-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", textarea.id);
    BUTTONS.forEach(function (spec, i) {
      var button = document.createElement("button");
      var shortcut = MOD + "+" + (spec[3] ? "Shift+" : "") + spec[2].toUpperCase();
      button.type = "button";
      button.className = "editor-button editor-" + spec[0];
      button.setAttribute("data-editor-action", spec[0]);
      button.setAttribute("aria-label", spec[1]);
      button.setAttribute("aria-keyshortcuts", shortcut.replace("Cmd", "Meta").replace("Ctrl", "Control"));
      button.title = spec[1] + " (" + shortcut + ")";
      button.tabIndex = i === 0 ? 0 : -1;
      var face = document.createElement("span");
      face.setAttribute("aria-hidden", "true");
      face.textContent = spec[4];
      button.appendChild(face);
      bar.appendChild(button);
    });
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-editor-action]");
      if (button) self.act(button.getAttribute("data-editor-action"));
    });
    bar.addEventListener("keydown", function (event) {
      // One tab stop; arrows, Home and End move along the toolbar.
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      var to = null;
      if (event.key === "ArrowRight") to = (at + 1) % buttons.length;
      else if (event.key === "ArrowLeft") to = (at - 1 + buttons.length) % buttons.length;
      else if (event.key === "Home") to = 0;
      else if (event.key === "End") to = buttons.length - 1;
      if (to === null || at < 0) return;
      event.preventDefault();
      buttons[at].tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
    textarea.parentNode.insertBefore(bar, textarea);

    this.status = document.createElement("p");
    this.status.className = "editor-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    textarea.parentNode.insertBefore(this.status, textarea.nextSibling);

    this.fileInput = document.createElement("input");
    this.fileInput.type = "file";
    this.fileInput.accept = IMAGE_TYPES.join(",");
    this.fileInput.hidden = true;
    this.fileInput.setAttribute("data-editor-file", "");
    this.fileInput.setAttribute("aria-label", "Image to upload");
    this.fileInput.tabIndex = -1;
    this.form.appendChild(this.fileInput);

    // The live preview sits right under the editor (without the script: under the form's fields).
    var field = textarea.closest(".field");
    if (this.preview && field && field.parentNode) {
      field.parentNode.insertBefore(this.preview, field.nextSibling);
    }

    var button = this.form.querySelector("[data-editor-preview-button]");
    if (button && this.previewUrl) button.hidden = true; // the preview is live
  };

  Editor.prototype.bind = function () {
    var self = this;
    var textarea = this.textarea;
    textarea.addEventListener("input", function () {
      clearTimeout(self.typingTimer);
      self.typingTimer = setTimeout(function () { self.record(); }, PREVIEW_DELAY);
      self.changed();
    });
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      var key = event.key.toLowerCase();
      if (key === "z" && event.shiftKey) key = "y";
      for (var i = 0; i < BUTTONS.length; i++) {
        if (BUTTONS[i][2] === key) {
          event.preventDefault();
          self.act(BUTTONS[i][0]);
          return;
        }
      }
    });
    this.form.addEventListener("input", function (event) {
      if (event.target !== textarea) self.saveDraftSoon();
    });
    this.form.addEventListener("submit", function () {
      self.saveDraft();
      try { window.sessionStorage.setItem(SUBMITTED, self.key); } catch (e) { /* no storage */ }
    });
    this.fileInput.addEventListener("change", function () {
      Array.prototype.forEach.call(self.fileInput.files, function (file) { self.upload(file); });
      self.fileInput.value = "";
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        textarea.classList.add("editor-dropping");
      }
    });
    textarea.addEventListener("dragleave", function () { textarea.classList.remove("editor-dropping"); });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("editor-dropping");
      var files = event.dataTransfer ? event.dataTransfer.files : [];
      if (!files.length) return;
      event.preventDefault();
      Array.prototype.forEach.call(files, function (file) { self.upload(file); });
    });
    textarea.addEventListener("paste", function (event) {
      var files = event.clipboardData ? event.clipboardData.files : [];
      var images = Array.prototype.filter.call(files, function (file) {
        return file.type.indexOf("image/") === 0;
      });
      if (!images.length) return;
      event.preventDefault();
      images.forEach(function (file) { self.upload(file); });
    });
  };

  // --- history -----------------------------------------------------------------------------

  Editor.prototype.snapshot = function () {
    var t = this.textarea;
    return { value: t.value, start: t.selectionStart, end: t.selectionEnd };
  };

  Editor.prototype.record = function () {
    clearTimeout(this.typingTimer);
    var now = this.snapshot();
    var last = this.history[this.index];
    if (last && last.value === now.value) return;
    this.history = this.history.slice(0, this.index + 1);
    this.history.push(now);
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.index = this.history.length - 1;
  };

  Editor.prototype.restore = function (state) {
    this.textarea.value = state.value;
    this.textarea.setSelectionRange(state.start, state.end);
    this.textarea.focus();
    this.changed();
  };

  Editor.prototype.undo = function () {
    this.record(); // typing not yet recorded is a step of its own
    if (this.index > 0) this.restore(this.history[--this.index]);
  };

  Editor.prototype.redo = function () {
    if (this.index < this.history.length - 1) this.restore(this.history[++this.index]);
  };

  // --- writing Markdown --------------------------------------------------------------------

  Editor.prototype.replace = function (start, end, text, selectFrom, selectTo) {
    var t = this.textarea;
    this.record();
    t.value = t.value.slice(0, start) + text + t.value.slice(end);
    t.focus();
    t.setSelectionRange(start + selectFrom, start + selectTo);
    this.record();
    this.changed();
  };

  Editor.prototype.wrap = function (before, after, placeholder) {
    var t = this.textarea;
    var start = t.selectionStart, end = t.selectionEnd;
    var inner = t.value.slice(start, end) || placeholder;
    this.replace(start, end, before + inner + after, before.length, before.length + inner.length);
  };

  Editor.prototype.lines = function (prefix, placeholder) {
    var t = this.textarea;
    var value = t.value;
    var start = value.lastIndexOf("\n", t.selectionStart - 1) + 1;
    var end = value.indexOf("\n", t.selectionEnd);
    if (end < 0 || (t.selectionEnd > t.selectionStart && value[t.selectionEnd - 1] === "\n")) {
      end = end < 0 ? value.length : t.selectionEnd - 1;
    }
    var block = value.slice(start, end) || placeholder;
    var text = block.split("\n").map(function (line, i) { return prefix(i) + line; }).join("\n");
    this.replace(start, end, text, 0, text.length);
  };

  Editor.prototype.block = function (text, selectFrom, selectTo) {
    var t = this.textarea;
    var start = t.selectionStart, end = t.selectionEnd;
    var before = t.value.slice(0, start);
    var lead = !before ? "" : /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = /^\n/.test(t.value.slice(end)) ? "\n" : "\n\n";
    this.replace(start, end, lead + text + trail, lead.length + selectFrom, lead.length + selectTo);
  };

  Editor.prototype.act = function (action) {
    var t = this.textarea;
    var selected = t.value.slice(t.selectionStart, t.selectionEnd);
    switch (action) {
      case "bold": return this.wrap("**", "**", "strong text");
      case "italic": return this.wrap("*", "*", "emphasised text");
      case "link": {
        var label = selected || "link text";
        var text = "[" + label + "](https://)";
        return this.replace(t.selectionStart, t.selectionEnd, text, label.length + 3, text.length - 1);
      }
      case "quote": return this.lines(function () { return "> "; }, "quote");
      case "code":
        if (selected.indexOf("\n") >= 0) return this.act("codeblock");
        return this.wrap("`", "`", "code");
      case "codeblock": {
        var code = selected || "code";
        return this.block("```\n" + code + "\n```", 4, 4 + code.length);
      }
      case "image":
        if (this.uploadUrl) return this.fileInput.click();
        return this.wrap("![", "](https://)", "description");
      case "olist": return this.lines(function (i) { return i + 1 + ". "; }, "list item");
      case "ulist": return this.lines(function () { return "- "; }, "list item");
      case "heading": return this.lines(function () { return "## "; }, "Heading");
      case "rule": return this.block("---", 3, 3);
      case "undo": return this.undo();
      case "redo": return this.redo();
    }
  };

  Editor.prototype.say = function (message, isError) {
    this.status.textContent = message;
    this.status.classList.toggle("editor-error", !!isError);
  };

  // --- the preview -------------------------------------------------------------------------

  Editor.prototype.changed = function () {
    this.schedulePreview(PREVIEW_DELAY);
    this.saveDraftSoon();
  };

  Editor.prototype.csrf = function () {
    var input = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  Editor.prototype.post = function (url, data) {
    data.append("csrfmiddlewaretoken", this.csrf());
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.csrf(), "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "The server did not answer (" + response.status + ")." };
      }).then(function (json) {
        if (!response.ok && !json.error) json.error = "Refused (" + response.status + ").";
        return json;
      });
    });
  };

  Editor.prototype.schedulePreview = function (delay) {
    var self = this;
    if (!this.preview || !this.previewUrl) return;
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(function () { self.renderPreview(); }, delay);
  };

  Editor.prototype.renderPreview = function () {
    var self = this;
    var text = this.textarea.value;
    var seq = ++this.previewSeq;
    if (!text.trim()) {
      this.previewBody.textContent = "";
      this.preview.hidden = true;
      return;
    }
    var data = new FormData();
    data.append("text", text);
    this.post(this.previewUrl, data).then(function (json) {
      if (seq !== self.previewSeq) return; // a newer text is on its way
      if (json.error) return self.say(json.error, true);
      // The server's HTML, sanitised exactly as a stored post is (core.markdown).
      self.previewBody.innerHTML = json.html;
      self.preview.hidden = false;
      self.preview.setAttribute("data-preview-of", String(text.length));
    }).catch(function () { /* offline: the last preview stays */ });
  };

  // --- drafts ------------------------------------------------------------------------------

  Editor.prototype.fields = function () {
    return Array.prototype.filter.call(this.form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text"));
    });
  };

  Editor.prototype.saveDraftSoon = function () {
    var self = this;
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(function () { self.saveDraft(); }, DRAFT_DELAY);
  };

  Editor.prototype.saveDraft = function () {
    if (!this.store) return;
    clearTimeout(this.draftTimer);
    var values = {};
    var changed = false;
    this.fields().forEach(function (el) {
      values[el.name] = el.value;
      if (el.value !== el.defaultValue) changed = true;
    });
    if (changed) this.store.setItem(this.key, JSON.stringify({ fields: values, saved: Date.now() }));
    else this.store.removeItem(this.key);
  };

  Editor.prototype.restoreDraft = function () {
    if (!this.store) return;
    var self = this;
    var submitted = null;
    try {
      submitted = window.sessionStorage.getItem(SUBMITTED);
      window.sessionStorage.removeItem(SUBMITTED);
    } catch (e) { /* no storage */ }
    if (submitted === this.key && !this.textarea.value.trim()) {
      this.store.removeItem(this.key); // sent and saved: this is a fresh form
      return;
    }
    // A form the server sent back (a refusal, the no-script preview) holds the latest text.
    if (submitted === this.key || this.form.querySelector(".has-errors, .form-errors")) return;
    var draft = null;
    try { draft = JSON.parse(this.store.getItem(this.key) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.fields) return;
    var restored = false;
    this.fields().forEach(function (el) {
      var value = draft.fields[el.name];
      if (typeof value === "string" && value !== el.value) {
        el.value = value;
        restored = true;
      }
    });
    if (!restored) return;
    this.say("Your unsaved draft was restored. ");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = "Discard draft";
    discard.addEventListener("click", function () {
      self.store.removeItem(self.key);
      self.fields().forEach(function (el) { el.value = el.defaultValue; });
      self.record();
      self.say("Draft discarded.");
      self.schedulePreview(0);
    });
    this.status.appendChild(discard);
  };

  // --- uploads -----------------------------------------------------------------------------

  Editor.prototype.upload = function (file) {
    var self = this;
    if (!this.uploadUrl) return;
    var name = (file.name || "image").replace(/\.[^.]*$/, "").replace(/[[\]\\\r\n]+/g, " ").trim();
    var description = name && name !== "image" ? name : "image";
    var marker = "![Uploading " + description + "…]()";
    var t = this.textarea;
    var at = t.selectionStart;
    this.replace(at, t.selectionEnd, marker, marker.length, marker.length);
    this.say("Uploading " + description + "…");
    var data = new FormData();
    data.append("image", file, file.name || "image.png");
    data.append("description", description);
    this.post(this.uploadUrl, data).then(function (json) {
      var where = t.value.indexOf(marker);
      var text = json.error ? "" : json.markdown;
      if (where >= 0) {
        self.replace(where, where + marker.length, text, text.length, text.length);
      } else if (text) {
        self.replace(t.selectionStart, t.selectionEnd, text, text.length, text.length);
      }
      if (json.error) self.say(json.error, true);
      else self.say("Image uploaded.");
    }).catch(function () {
      var where = t.value.indexOf(marker);
      if (where >= 0) self.replace(where, where + marker.length, "", 0, 0);
      self.say("The upload failed: check your connection and try again.", true);
    });
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-editor]"), function (f) {
      if (f.querySelector("textarea[name=body]") && !f.hasAttribute("data-editor-ready")) {
        f.setAttribute("data-editor-ready", "");
        new Editor(f);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
