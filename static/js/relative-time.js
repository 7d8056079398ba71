// Relative times: the server writes <time datetime="…" data-relative> with the absolute UTC
// date as text, which a cached page can show for hours and still be right; here the text
// becomes "5 minutes ago" (the date stays as the title) and is kept current every minute.
// Without JavaScript the absolute date is what readers see.
(function () {
  "use strict";

  const UNITS = [
    ["year", 365 * 24 * 3600],
    ["month", 30 * 24 * 3600],
    ["week", 7 * 24 * 3600],
    ["day", 24 * 3600],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

  function phrase(seconds) {
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size || unit === "second") {
        if (unit === "second" && Math.abs(seconds) < 45) return "just now";
        return format.format(Math.round(seconds / size), unit);
      }
    }
    return "";
  }

  function update() {
    const now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (element) {
      const moment = Date.parse(element.getAttribute("datetime"));
      if (Number.isNaN(moment)) return;
      if (!element.title) element.title = element.textContent + " UTC";
      element.textContent = phrase(Math.round((moment - now) / 1000));
    });
  }

  update();
  window.setInterval(update, 60 * 1000);
})();
