// Koers: small progressive enhancements. Every page works without this file.
"use strict";

function pollJob(container) {
  const url = container.dataset.jobStatusUrl;
  const bar = container.querySelector("progress");
  const tick = () => {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((job) => {
        if (bar) bar.value = job.progress;
        for (const el of container.querySelectorAll("[data-job-field]")) {
          const v = job[el.dataset.jobField];
          if (v !== undefined && v !== null) el.textContent = String(v);
        }
        if (!job.finished) window.setTimeout(tick, 1000);
        else if (container.dataset.jobDoneUrl) window.location.assign(container.dataset.jobDoneUrl);
      })
      .catch(() => window.setTimeout(tick, 3000));
  };
  tick();
}

// After a failed submit the error summary takes the focus, so a screen reader reads it
// first and a keyboard user continues from there (templates/_error_summary.html; the
// summary also carries `autofocus` for when this file does not load).
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) summary.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-job-status-url]")) pollJob(el);
  focusErrorSummary();
});
