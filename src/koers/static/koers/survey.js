// Autosave for questionnaire pages: every change is saved at once with the version it was
// based on. A refused (stale) save shows the newest answer instead; a failed save is
// retried, and the plain form submit still works as a fallback.
"use strict";

(function () {
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const url = form.dataset.saveUrl;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const lang = document.documentElement.lang === "en" ? "en" : "nl";
  const text = {
    nl: { saving: "Bezig met opslaan…", saved: "Opgeslagen", retry: "Niet opgeslagen: geen verbinding. We proberen het opnieuw.", conflict: "Dit antwoord is intussen elders gewijzigd; hier staat het nieuwste antwoord.", invalid: "Dit antwoord kon niet worden opgeslagen.", range: "Vul een heel getal in van {min} tot en met {max}.", wait: "Even wachten, we slaan je antwoord zo op." },
    en: { saving: "Saving…", saved: "Saved", retry: "Not saved: no connection. We will try again.", conflict: "This answer was changed elsewhere in the meantime; the newest answer is shown.", invalid: "This answer could not be saved.", range: "Enter a whole number from {min} to {max}.", wait: "One moment, your answer will be saved shortly." },
  }[lang];
  const pending = new Map(); // item -> value waiting to be sent
  let busy = false;
  let pauseUntil = 0; // after a refused (429) or failed save: wait before sending again
  let reloadFor = null; // an answer showed or hid questions: reload once the queue is empty

  function versionInput(item) { return form.querySelector(`[data-version-for="${item}"]`); }
  function status(item, msg, cls) {
    const el = form.querySelector(`[data-status-for="${item}"]`);
    if (el) { el.textContent = msg; el.className = "save-status " + (cls || ""); }
    // A refused number is marked invalid (its message is linked by aria-describedby).
    const num = form.querySelector(`input[type=number][name="${item}"]`);
    if (num) {
      if (cls === "error") num.setAttribute("aria-invalid", "true");
      else num.removeAttribute("aria-invalid");
    }
  }
  function valueOf(item) {
    const inputs = form.querySelectorAll(`[name="${item}"]`);
    for (const input of inputs) {
      if (input.type === "radio") { if (input.checked) return input.value; }
      else return input.value;
    }
    return "";
  }
  function show(item, value) {
    for (const input of form.querySelectorAll(`[name="${item}"]`)) {
      if (input.type === "radio") input.checked = value !== null && String(value) === input.value;
      else input.value = value === null ? "" : String(value);
    }
  }
  function flush() {
    if (busy || pending.size === 0) return;
    if (Date.now() < pauseUntil) { window.setTimeout(flush, pauseUntil - Date.now()); return; }
    const [item, value] = pending.entries().next().value;
    pending.delete(item);
    busy = true;
    status(item, text.saving, "");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ item: item, value: value, version: Number(versionInput(item).value) }),
    })
      .then((r) => r.json().then((body) => ({ code: r.status, body: body })))
      .then(({ code, body }) => {
        if (code === 200) {
          versionInput(item).value = body.version;
          status(item, text.saved, "ok");
          if (body.reload && followUps(item).length === 0) reloadFor = item;
        }
        else if (code === 429) {
          // Slowed down (too many saves at once): keep the answer and try again shortly.
          if (!pending.has(item)) pending.set(item, value);
          status(item, text.wait, "");
          pauseUntil = Date.now() + 3000;
        }
        else if (code === 409) { versionInput(item).value = body.version; show(item, body.value); status(item, text.conflict, "error"); }
        else {
          const num = form.querySelector(`input[type=number][name="${item}"]`);
          const msg = num && num.min && num.max
            ? text.range.replace("{min}", num.min).replace("{max}", num.max) : text.invalid;
          status(item, msg, "error");
        }
      })
      .catch(() => {
        if (!pending.has(item)) pending.set(item, value);
        status(item, text.retry, "error");
        pauseUntil = Date.now() + 5000;
      })
      .finally(() => {
        busy = false;
        if (pending.size === 0 && reloadFor) {
          window.location.hash = "q-" + reloadFor;
          window.location.reload();
          return;
        }
        flush();
      });
  }
  // Follow-ups shown in place: choosing "something else, namely …" shows the text field
  // at once (no reload, the focus stays on the choice).
  function followUps(item) { return form.querySelectorAll(`[data-show-if-item="${item}"]`); }
  function toggleFollowUps(item) {
    const value = valueOf(item);
    for (const q of followUps(item)) q.hidden = !q.dataset.showIfValues.split(" ").includes(value);
  }
  form.addEventListener("change", (event) => {
    const question = event.target.closest("[data-item]");
    if (!question) return;
    const item = question.dataset.item;
    toggleFollowUps(item);
    pending.set(item, valueOf(item));
    flush();
  });
  form.addEventListener("submit", () => {
    // The submit carries every answer with its version; the server skips unchanged ones.
  });
})();
