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

// A PDF link (data-pdf): fetch the PDF in the page and show that it is being made
// (an indeterminate progress bar and the seconds waited, announced politely), then
// offer it for download. Without this script the link downloads the PDF directly.
function pdfLink(link) {
  link.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || link.dataset.pdfBusy === "1") return;
    event.preventDefault();
    link.dataset.pdfBusy = "1";
    link.setAttribute("aria-disabled", "true");
    let status = document.getElementById(link.dataset.pdf);
    if (!status) {
      status = document.createElement("div");
      status.id = link.dataset.pdf;
      status.className = "pdf-status";
      status.setAttribute("role", "status");
      link.closest("p, div").after(status);
    }
    const started = Date.now();
    status.replaceChildren();
    const bar = document.createElement("progress");
    bar.setAttribute("aria-label", link.dataset.pdfMaking);
    const text = document.createElement("span");
    text.textContent = link.dataset.pdfMaking;
    status.append(bar, " ", text);
    const timer = window.setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      text.textContent = `${link.dataset.pdfMaking} (${seconds} s)`;
    }, 1000);
    const done = () => {
      window.clearInterval(timer);
      delete link.dataset.pdfBusy;
      link.removeAttribute("aria-disabled");
    };
    fetch(link.href, { credentials: "same-origin" })
      .then((r) => (r.ok ? r : Promise.reject(r.status)))
      .then((r) => {
        const disposition = r.headers.get("Content-Disposition") || "";
        const match = /filename="([^"]+)"/.exec(disposition);
        return r.blob().then((blob) => ({ blob, name: match ? match[1] : "koers.pdf" }));
      })
      .then(({ blob, name }) => {
        done();
        const save = document.createElement("a");
        save.href = URL.createObjectURL(blob);
        save.download = name;
        save.textContent = `${link.dataset.pdfReady} ${name} (${Math.ceil(blob.size / 1024)} kB)`;
        status.replaceChildren(save);
        save.click();
      })
      .catch(() => {
        done();
        status.replaceChildren(link.dataset.pdfFailed);
      });
  });
}

// A file made in the background (koers/jobs/downloads.py): the form starts the job and the
// browser goes to its progress page. While the server answers (without a worker it makes
// the file before answering) the button shows that it is busy and the seconds waited.
function pdfStart(form) {
  form.addEventListener("submit", () => {
    const button = form.querySelector("button");
    if (form.dataset.pdfBusy === "1") return;
    form.dataset.pdfBusy = "1";
    if (button) button.setAttribute("aria-disabled", "true");
    const status = document.createElement("span");
    status.className = "pdf-status";
    status.setAttribute("role", "status");
    const bar = document.createElement("progress");
    bar.setAttribute("aria-label", form.dataset.pdfMaking);
    const text = document.createElement("span");
    text.textContent = form.dataset.pdfMaking;
    status.append(" ", bar, " ", text);
    form.append(status);
    const started = Date.now();
    window.setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      text.textContent = `${form.dataset.pdfMaking} (${seconds} s)`;
    }, 1000);
  });
}

// A form answered with a download (data-download) keeps its page: on sending, what an
// earlier try marked wrong is cleared, so no error stays shown once the file has arrived,
// and the page's status ([data-download-status]) says what the download changes (the
// attribute's text); a refused try comes back as a new page with the old status.
function downloadForm(form) {
  form.addEventListener("submit", () => {
    const status = document.querySelector("[data-download-status]");
    if (status && form.dataset.download) status.textContent = form.dataset.download;
    const summary = form.previousElementSibling;
    if (summary && summary.matches("[data-error-summary]")) summary.remove();
    for (const error of form.querySelectorAll(".field-error[id]")) {
      for (const field of form.querySelectorAll(`[aria-describedby~="${error.id}"]`)) {
        const ids = field.getAttribute("aria-describedby").split(/\s+/);
        const rest = ids.filter((id) => id !== error.id);
        if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
        else field.removeAttribute("aria-describedby");
        field.removeAttribute("aria-invalid");
      }
      error.remove();
    }
  });
}

// Folded sections (details.scan-fold): a link to something inside opens its section, and
// printing opens every section, then restores what the reader had folded.
function openFoldOf(hash) {
  const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  const fold = target && target.closest("details.scan-fold");
  if (fold && !fold.open) fold.open = true;
}
let foldedBeforePrint = [];
window.addEventListener("beforeprint", () => {
  foldedBeforePrint = [...document.querySelectorAll("details.scan-fold:not([open])")];
  for (const d of foldedBeforePrint) d.open = true;
});
window.addEventListener("afterprint", () => {
  for (const d of foldedBeforePrint) d.open = false;
  foldedBeforePrint = [];
});
window.addEventListener("hashchange", () => openFoldOf(window.location.hash));

document.addEventListener("DOMContentLoaded", () => {
  openFoldOf(window.location.hash);
  for (const el of document.querySelectorAll("[data-job-status-url]")) pollJob(el);
  for (const el of document.querySelectorAll("a[data-pdf]")) pdfLink(el);
  for (const el of document.querySelectorAll("form[data-pdf-start]")) pdfStart(el);
  for (const el of document.querySelectorAll("form[data-download]")) downloadForm(el);
  focusErrorSummary();
});
