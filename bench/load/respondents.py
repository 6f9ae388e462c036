"""Simulated respondents (phase 1): page parsing and the respondent's walk."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from .client import TRANSPORT_ERRORS, Ledger, Reply, Stats, http_request
from .common import children_of

# --- page parsing --------------------------------------------------------------------------


@dataclass
class PageItem:
    id: str
    version: int
    kind: str = "text"  # radio / number / text
    options: list[str] = field(default_factory=list)
    checked: str | None = None
    low: int = 0
    high: int = 0
    value: str = ""


class SectionPage(HTMLParser):
    """The parts of a section page survey.js uses: items, versions, CSRF token, save URL."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: dict[str, PageItem] = {}
        self.csrf = ""
        self.save_url = ""
        self.navs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-save-url" in a:
            self.save_url = a["data-save-url"]
        elif tag == "button" and a.get("name") == "nav":
            self.navs.append(a.get("value", ""))
        elif tag == "input":
            name = a.get("name", "")
            if name == "csrfmiddlewaretoken":
                self.csrf = a.get("value", "")
            elif "data-version-for" in a:
                item_id = a["data-version-for"]
                self.items[item_id] = PageItem(item_id, int(a.get("value") or 0))
            elif name in self.items:
                item = self.items[name]
                if a.get("type") == "radio":
                    item.kind = "radio"
                    item.options.append(a.get("value", ""))
                    if "checked" in a:
                        item.checked = a.get("value", "")
                elif a.get("type") == "number":
                    item.kind = "number"
                    item.low, item.high = int(a.get("min") or 0), int(a.get("max") or 100)
                    item.value = a.get("value", "")
                else:
                    item.kind = "text"
                    item.value = a.get("value", "")

    def shown_value(self, item: str) -> str:
        entry = self.items[item]
        return (entry.checked or "") if entry.kind == "radio" else entry.value


def pick(item: PageItem, rng: random.Random, other_than: Any = None) -> Any:
    """An answer for ``item`` as survey.js would send it (strings, like form values)."""
    for _ in range(20):
        if item.kind == "radio":
            value: Any = rng.choice(item.options)
        elif item.kind == "number":
            value = str(rng.randint(item.low, item.high))
        else:
            value = rng.choice(["Ontwikkelaar", "Data engineer", "Projectleider", "Onderzoeker"])
        if other_than is None or str(value) != str(other_than):
            return value
    return value


# --- simulated respondents -----------------------------------------------------------------


@dataclass
class Phase1Config:
    port: int
    token: str
    respondents: int
    concurrency: int
    duration: float
    sections: int
    kill_at: float
    seed: int
    think: float = 0.0  # seconds a respondent takes per answer (keeps under the per-response limit)


class Respondent:
    """One person answering: autosaves, changes, a stale save, reload, double submit."""

    def __init__(
        self, cfg: Phase1Config, stats: Stats, ledger: Ledger, rng: random.Random, stop: float
    ) -> None:
        self.cfg, self.stats, self.ledger, self.rng, self.stop = cfg, stats, ledger, rng, stop
        self.cookies: dict[str, str] = {}
        self.secret = ""
        self.slot = ""
        self.versions: dict[str, int] = {}
        self.values: dict[str, Any] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _send(
        self, kind: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Reply:
        reply = http_request(self.cfg.port, method, path, body, self._headers(headers))
        self.stats.record(kind, reply)
        for raw in reply.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        if reply.status == 429:
            self.stats.event("throttled (429)")
        return reply

    def _retrying(
        self, kind: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> Reply | None:
        """GETs and other idempotent steps: retry transport errors and 5xx a few times."""
        for attempt in range(6):
            try:
                reply = self._send(kind, method, path, body, **headers)
            except TRANSPORT_ERRORS:
                self.stats.failed(kind)
                time.sleep(0.2 * (attempt + 1))
                continue
            if reply.status >= 500 or reply.status == 429:
                time.sleep(0.2 * (attempt + 1))
                continue
            return reply
        self.stats.event("gave up after retries")
        return None

    def start(self) -> str | None:
        landing = f"/s/{self.cfg.token}/"
        page = self._retrying("landing GET", "GET", landing)
        if page is None or page.status != 200:
            return None
        token = SectionPage(page.body.decode()).csrf
        form = urlencode({"csrfmiddlewaretoken": token}).encode()
        started = self._retrying(
            "landing POST (start)",
            "POST",
            landing,
            form,
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )
        if started is None or started.status != 200:
            self.stats.event(f"start failed ({started.status if started else 'no reply'})")
            return None
        # The start page links to the response's slot (/invullen/<slot>/) and sets the
        # cookie that holds the link secret for it: the secret is never in a URL.
        found = re.search(rb'href="(/invullen/([^"/]+)/)"', started.body)
        if not found:
            self.stats.event("no personal link on the start page")
            return None
        link = found.group(1).decode()
        self.slot = found.group(2).decode()
        self.secret = self.cookies.get(f"koers_r_{self.slot}", "")
        if not self.secret:
            self.stats.event("no respondent cookie from the start page")
            return None
        first = self._retrying("respond (redirect)", "GET", link)
        if first is None or first.status != 302:
            return None
        return first.location

    def save(self, item: str, value: Any, version: int, *, expect_conflict: bool = False) -> Any:
        """Autosave one answer like survey.js; returns the reply body (or None)."""
        if self.cfg.think:
            time.sleep(self.cfg.think * (0.8 + 0.4 * self.rng.random()))
        body = json.dumps({"item": item, "value": value, "version": version}).encode()
        path = f"/invullen/{self.slot}/opslaan"
        csrf = self.cookies.get("csrftoken", "")
        for attempt in range(8):
            try:
                reply = self._send(
                    "autosave",
                    "POST",
                    path,
                    body,
                    **{"Content-Type": "application/json", "X-CSRFToken": csrf},
                )
            except TRANSPORT_ERRORS:
                self.stats.failed("autosave")
                if not expect_conflict:
                    self.ledger.maybe(self.secret, item, _normal(value))
                self.stats.event("autosave retried after a transport error")
                time.sleep(0.1 * (attempt + 1))
                continue
            if reply.status == 200:
                data = reply.json()
                if expect_conflict:
                    self.stats.event("stale save ACCEPTED (must be 409)")
                self.ledger.ack(self.secret, item, data["value"])
                self.versions[item] = int(data["version"])
                self.values[item] = data["value"]
                if attempt:
                    self.stats.event(f"retried autosave then {data['status']}")
                return data
            if reply.status == 409:
                data = reply.json()
                if expect_conflict:
                    if data.get("value") == self.values.get(item):
                        self.stats.event("stale save refused with the current value (409)")
                    else:
                        self.stats.event("stale save: 409 with a WRONG current value")
                else:
                    self.stats.event("unexpected 409 on an own save")
                self.versions[item] = int(data["version"])
                self.values[item] = data.get("value")
                return data
            if reply.status == 429:  # survey.js shows an error; a patient client tries again
                time.sleep(1.0 * (attempt + 1))
                continue
            if reply.status >= 500:
                self.ledger.maybe(self.secret, item, _normal(value))
                time.sleep(0.1 * (attempt + 1))
                continue
            self.stats.event(f"autosave refused ({reply.status})")
            return None
        self.stats.event("autosave gave up")
        return None

    def answer_section(self, path: str) -> str | None:
        reply = self._retrying("section GET", "GET", path)
        if reply is None or reply.status != 200:
            return None
        page = SectionPage(reply.body.decode())
        done: set[str] = set()
        for _round in range(4):  # answers can reveal more questions: the page reloads
            reload = False
            for item in list(page.items.values()):
                if item.id in done:
                    continue
                done.add(item.id)
                self.versions[item.id] = item.version
                data = self.save(item.id, pick(item, self.rng), item.version)
                if data and data.get("reload"):
                    reload = True
                if data and self.rng.random() < 0.25:  # changes their mind
                    self.save(item.id, pick(item, self.rng, data["value"]), self.versions[item.id])
                if data and self.versions.get(item.id, 0) > 0 and self.rng.random() < 0.08:
                    # A second tab's old save: based on an older version, another value.
                    self.save(
                        item.id,
                        pick(item, self.rng, self.values.get(item.id)),
                        self.versions[item.id] - 1,
                        expect_conflict=True,
                    )
                    self.stats.event("stale saves sent")
                if time.monotonic() > self.stop:
                    return None
            if not reload:
                break
            again = self._retrying("section GET", "GET", path)
            if again is None or again.status != 200:
                return None
            page = SectionPage(again.body.decode())
        # Reload: the page must show what was acknowledged, with the acknowledged versions.
        again = self._retrying("section GET (reload)", "GET", path)
        if again is None or again.status != 200:
            return None
        page = SectionPage(again.body.decode())
        for item in page.items.values():
            if item.id in self.values:
                if item.version != self.versions.get(item.id):
                    self.stats.event("reload showed another VERSION than acknowledged")
                if page.shown_value(item.id) != _form_text(self.values[item.id]):
                    self.stats.event("reload showed another VALUE than acknowledged")
        return self.double_submit(path, page)

    def double_submit(self, path: str, page: SectionPage) -> str | None:
        """Submit the section form twice (one answer changed only in the form)."""
        fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", page.csrf)]
        answered = [i for i in page.items.values() if i.id in self.values]
        changed = self.rng.choice(answered) if answered else None
        new_value = None
        for item in page.items.values():
            if item.id not in self.values:
                continue
            value = _form_text(self.values[item.id])
            if item is changed:
                new_value = str(pick(item, self.rng, value))
                value = new_value
            fields += [(item.id, value), (f"v_{item.id}", str(item.version))]
        fields.append(("nav", "review" if "review" in page.navs else "next"))
        form = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        replies = []
        for n in (1, 2):
            try:
                reply = self._send(f"section POST (submit {n})", "POST", path, form, **headers)
            except TRANSPORT_ERRORS:
                self.stats.failed(f"section POST (submit {n})")
                if changed is not None:
                    self.ledger.maybe(self.secret, changed.id, _typed(changed, new_value))
                continue
            replies.append(reply)
            if reply.status == 302 and changed is not None:  # no conflict: the form is saved
                self.ledger.ack(self.secret, changed.id, _typed(changed, new_value))
                self.values[changed.id] = _typed(changed, new_value)
            elif reply.status == 409:
                self.stats.event("double submit: CONFLICT page (409)")
            elif reply.status != 302:
                self.stats.event(f"form submit answered {reply.status}")
        self.stats.event("double submits")
        locations = [r.location for r in replies if r.status == 302]
        if not locations:
            return None
        if len(set(locations)) > 1:
            if locations[0] == path:  # the changed answer showed new questions on this page
                self.stats.event("double submit: 1st stayed (new questions shown), 2nd moved on")
            else:
                self.stats.event("double submit: the two submits went to DIFFERENT pages")
        target = locations[-1]
        return target if "/deel/" in target else None

    def run(self) -> None:
        path = self.start()
        if path is None:
            return
        self.stats.event("respondents started")
        for _ in range(self.cfg.sections):
            if path is None or time.monotonic() > self.stop:
                break
            path = self.answer_section(path)
            self.stats.event("sections completed")


def _normal(value: Any) -> Any:
    """What the server stores for a value sent as a form string."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _form_text(value: Any) -> str:
    return "" if value is None else str(value)


def _typed(item: PageItem, value: Any) -> Any:
    return _normal(value) if item.kind in ("radio", "number") else value


def run_respondents(
    cfg: Phase1Config, master_pid: int, stats: Stats, ledger: Ledger
) -> dict[str, Any]:
    """Phase 1: the respondents, with one worker killed half-way."""
    started = time.monotonic()
    stop = started + cfg.duration
    next_id = iter(range(cfg.respondents))
    id_lock = threading.Lock()
    killed: dict[str, Any] = {}

    def worker(n: int) -> None:
        rng = random.Random(cfg.seed * 1000 + n)
        time.sleep(rng.random() * min(2.0, cfg.duration / 10))  # people do not start in step
        while time.monotonic() < stop:
            with id_lock:
                rid = next(next_id, None)
            if rid is None:
                return
            Respondent(cfg, stats, ledger, random.Random(cfg.seed * 7919 + rid), stop).run()

    def killer() -> None:
        time.sleep(cfg.kill_at)
        workers = children_of(master_pid)
        if not workers:
            killed["error"] = "no worker processes found"
            return
        victim = random.Random(cfg.seed).choice(workers)
        killed.update(pid=victim, at=time.monotonic() - started, workers_before=len(workers))
        os.kill(victim, signal.SIGKILL)
        time.sleep(3)
        killed["workers_after"] = len(children_of(master_pid))

    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(cfg.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kill_thread.join(timeout=5)
    elapsed = time.monotonic() - started
    if "at" in killed:
        t_kill = started + killed["at"]
        killed["transport_errors_within_5s"] = sum(
            1 for t in stats.error_times if t_kill <= t <= t_kill + 5
        )
    return {"elapsed": elapsed, "killed": killed}
