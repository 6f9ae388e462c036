// Dialogue: reload the participant's page when the facilitator moves on (a small poll).
// The page works without this file: it has a "Vernieuwen" button.
"use strict";

// A countdown beside a 1-2-4-all step's end time (the time itself is in the page).
(function () {
  const timer = document.querySelector("[data-dialogue-ends]");
  if (!timer || !timer.dataset.dialogueEnds) return;
  const ends = Date.parse(timer.dataset.dialogueEnds);
  const show = () => {
    const left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    timer.textContent = `(${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")})`;
    if (left > 0) window.setTimeout(show, 1000);
  };
  show();
})();

(function () {
  const box = document.querySelector("[data-dialogue-poll]");
  if (!box || !box.dataset.dialoguePoll) return;
  const url = box.dataset.dialoguePoll;
  const shown = box.dataset.dialogueState;
  // Never reload under someone who is answering: a chosen option or a started text.
  const typing = () => {
    const area = document.querySelector("textarea");
    return (area && area.value.trim() !== "") || document.querySelector("input[type=radio]:checked");
  };
  const tick = () => {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        if (data.state !== shown && !typing()) window.location.reload();
        else window.setTimeout(tick, 4000);
      })
      .catch(() => window.setTimeout(tick, 8000));
  };
  window.setTimeout(tick, 4000);
})();
