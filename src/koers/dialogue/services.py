"""Dialogue sessions: open, join with a code, answer, steer, release, close, summarise.

Privacy (DESIGN.md, docs/dialogue.md):
- an answer row holds the card and the answer, nothing about who gave it or when;
- the group sees the counts of a card only when at least k people answered it
  (``KOERS_MIN_GROUP_SIZE``, through :class:`koers.stats.disclosure.Discloser`);
- text answers are shown, unattributed and in alphabetical order, only when the group has
  at least :func:`text_minimum` people and the facilitator released them;
- the summary (page and PDF) shows counts above the threshold, never a text answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import get_language

from koers.dialogue.deck import Card, Deck, load_deck
from koers.dialogue.models import (
    Answer,
    Audience,
    CardState,
    Format,
    Session,
    SessionCard,
    SessionState,
)
from koers.lib import codes
from koers.organisations.models import Organisation
from koers.stats.disclosure import Discloser

CODE_LENGTH = 6  # 30 bits; guessing is limited by koers.lib.ratelimit
CODE_DOMAIN = "dialogue-code"
TEXT_GROUP_MINIMUM = 5
MAX_TEXT = 500


# 1-2-4-all (Liberating Structures, Lipmanowicz and McCandless): think alone for a minute,
# two minutes in pairs, four in foursomes, five with everyone. (step, seconds)
STEPS = (("alone", 60), ("pairs", 120), ("fours", 240), ("all", 300))


class RefusedAction(ValueError):
    """A facilitator action that cannot be done now; the message is for the facilitator."""


def lang() -> str:
    return (get_language() or "nl")[:2]


def k() -> int:
    return int(settings.KOERS_MIN_GROUP_SIZE)


def text_minimum() -> int:
    """Group size from which text answers may be released: 5, or k when k is larger."""
    return max(TEXT_GROUP_MINIMUM, k())


def cards_for_themes(themes: list[str], deck: Deck | None = None) -> list[str]:
    deck = deck or load_deck()
    return [card.key for card in deck.cards if card.theme in themes]


@transaction.atomic
def open_session(
    organisation: Organisation,
    *,
    title: str,
    team: str,
    audience: str,
    card_keys: list[str],
    facilitator: Any = None,
    session_format: str = Format.ROUND_TABLE,
) -> tuple[Session, str]:
    """A new open session with these cards; returns it and its join code."""
    deck = load_deck()
    for key in card_keys:
        deck.card(key)  # KeyError on an unknown card
    for _attempt in range(5):
        code = codes.new_code(CODE_LENGTH)
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    organisation=organisation,
                    title=title,
                    team=team,
                    audience=audience,
                    format=session_format,
                    code_hash=codes.keyed_hash(CODE_DOMAIN, code),
                    code_encrypted=codes.encrypt_secret(code),
                    facilitator=facilitator,
                )
            break
        except IntegrityError:  # the code is taken: draw again
            continue
    else:  # pragma: no cover - 5 collisions in 2**30 codes
        raise RuntimeError("could not draw a free session code")
    SessionCard.objects.bulk_create(
        SessionCard(organisation=organisation, session=session, index=i, card_key=key)
        for i, key in enumerate(card_keys)
    )
    return session, code


def code_of(session: Session) -> str:
    return codes.format_code(codes.decrypt_secret(session.code_encrypted) or "")


def find_open_session(code: str) -> Session | None:
    """The open session with this join code, or None (wrong, closed or unreadable)."""
    if not codes.looks_like_code(code, CODE_LENGTH):
        return None
    return Session.objects.filter(
        code_hash=codes.keyed_hash(CODE_DOMAIN, codes.normalise_code(code)),
        state=SessionState.OPEN,
    ).first()


def join(session: Session) -> None:
    """One more person in the group; nothing about them is stored."""
    Session.objects.filter(pk=session.pk).update(n_joined=F("n_joined") + 1)
    session.refresh_from_db(fields=["n_joined"])


def current_card(session: Session) -> SessionCard | None:
    if session.position < 0:
        return None
    return session.cards.filter(index=session.position).first()


def _require_open(session: Session) -> None:
    if not session.is_open:
        raise RefusedAction("closed")


@transaction.atomic
def next_card(session: Session) -> SessionCard | None:
    """Put the next card that is still waiting on the table (None after the last)."""
    _require_open(session)
    following = session.cards.filter(index__gt=session.position, state=CardState.WAITING).first()
    session.position = following.index if following else session.cards.count()
    session.step, session.step_ends = "", None
    session.save(update_fields=["position", "step", "step_ends"])
    if following is not None and session.format == Format.ONE_TWO_FOUR_ALL:
        next_step(session)
    if following is not None:
        following.state = CardState.SHOWN
        following.save(update_fields=["state"])
    return following


def next_step(session: Session) -> str:
    """1-2-4-all: the next step for the card on the table, with its timer ("" after "all")."""
    _require_open(session)
    if session.format != Format.ONE_TWO_FOUR_ALL:
        raise RefusedAction("format")
    names = [name for name, _seconds in STEPS]
    index = names.index(session.step) + 1 if session.step in names else 0
    if index >= len(STEPS):
        session.step, session.step_ends = "", None
    else:
        name, seconds = STEPS[index]
        session.step = name
        session.step_ends = timezone.now() + dt.timedelta(seconds=seconds)
    session.save(update_fields=["step", "step_ends"])
    return session.step


@transaction.atomic
def set_aside(session: Session, card: SessionCard, *, hide: bool, reason: str) -> None:
    """Skip a card (not discussed) or hide it (taken off the table, its answers deleted and
    never shown), always with a reason the summary keeps."""
    _require_open(session)
    reason = reason.strip()
    if not reason:
        raise RefusedAction("reason")
    card.state = CardState.HIDDEN if hide else CardState.SKIPPED
    card.reason = reason[:300]
    card.texts_released = False
    card.save(update_fields=["state", "reason", "texts_released"])
    if hide:
        card.answers.all().delete()
    if card.index == session.position:
        next_card(session)


def release_texts(session: Session, card: SessionCard) -> None:
    _require_open(session)
    if session.n_joined < text_minimum():
        raise RefusedAction("group")
    if card.state != CardState.SHOWN:
        raise RefusedAction("state")
    card.texts_released = True
    card.save(update_fields=["texts_released"])


def record_answer(session: Session, card: SessionCard, option: str, text: str) -> Answer:
    """Store an anonymous answer to the card on the table; RefusedAction otherwise."""
    _require_open(session)
    if card.index != session.position or card.state != CardState.SHOWN:
        raise RefusedAction("not_current")
    spec = load_deck().card(card.card_key)
    if spec.counted:
        if option not in {o.key for o in spec.options}:
            raise RefusedAction("option")
        stored: Answer = Answer.objects.create(
            organisation_id=session.organisation_id, card=card, option=option
        )
        return stored
    if spec.form == "text":
        text = text.strip()[:MAX_TEXT]
        if not text:
            raise RefusedAction("empty")
        noted: Answer = Answer.objects.create(
            organisation_id=session.organisation_id, card=card, text=text
        )
        return noted
    raise RefusedAction("no_answer")


@transaction.atomic
def close_session(session: Session, *, themes: str = "", actions: str = "") -> None:
    session.state = SessionState.CLOSED
    session.closed = timezone.now()
    if themes:
        session.themes = themes
    if actions:
        session.actions = actions
    session.save(update_fields=["state", "closed", "themes", "actions"])


def save_summary(session: Session, *, themes: str, actions: str) -> None:
    session.themes = themes.strip()
    session.actions = actions.strip()
    session.save(update_fields=["themes", "actions"])


# --- what the group sees --------------------------------------------------------------------


@dataclass(frozen=True)
class CardResult:
    """What may be shown of one card's answers (None: not shown)."""

    n_answers: int
    counts: list[tuple[str, int]] | None  # (option label, count) when n_answers >= k
    texts: list[str] | None  # when released and the group is large enough
    threshold: int


def _tallies(session: Session) -> dict[int, dict[str, int]]:
    """Answers per card and option for the whole session, in one query."""
    tallies: dict[int, dict[str, int]] = {}
    rows = (
        Answer.objects.filter(card__session=session)
        .values_list("card_id", "option")
        .annotate(n=Count("id"))
        .order_by()
    )
    for card_id, option, n in rows:
        tallies.setdefault(card_id, {})[option] = int(n)
    return tallies


def card_result(
    session: Session,
    card: SessionCard,
    spec: Card | None = None,
    tally: dict[str, int] | None = None,
) -> CardResult:
    """What the group may see of one card; ``tally`` (option -> count) saves the query when
    the caller counted the whole session at once (:func:`_tallies`)."""
    spec = spec or load_deck().card(card.card_key)
    discloser = Discloser(False, k())
    if card.state == CardState.HIDDEN:
        return CardResult(0, None, None, discloser.k)
    answers = Answer.objects.filter(card=card)
    counts: list[tuple[str, int]] | None = None
    texts: list[str] | None = None
    if spec.counted:
        if tally is None:
            tally = dict(
                answers.values_list("option").annotate(n=Count("id")).values_list("option", "n")
            )
        n = sum(tally.values())
        if discloser.enough(n):
            counts = [(o.in_language(lang()), int(tally.get(o.key, 0))) for o in spec.options]
    else:
        n = sum(tally.values()) if tally is not None else answers.count()
        if card.texts_released and session.n_joined >= text_minimum():
            texts = sorted(answers.values_list("text", flat=True), key=str.casefold)
    return CardResult(n, counts, texts, discloser.k)


def summary_context(session: Session) -> dict[str, Any]:
    """The session summary: the cards discussed with their counts above the threshold,
    the cards set aside and why, the themes and the agreed actions. No text answers."""
    deck = load_deck()
    language = lang()
    discussed, set_aside_cards = [], []
    themes_seen: list[str] = []
    tallies = _tallies(session)
    for card in session.cards.all():
        spec = deck.card(card.card_key)
        row: dict[str, Any] = {
            "card": card,
            "text": spec.in_language(language),
            "theme": deck.theme_label(spec.theme, language),
            "level": deck.level_label(spec.level, language),
        }
        if card.state == CardState.SHOWN:
            result = card_result(session, card, spec, tallies.get(card.pk, {}))
            row["counts"] = result.counts
            row["n_answers"] = result.n_answers if spec.form else None
            row["form"] = spec.form
            discussed.append(row)
            if row["theme"] not in themes_seen:
                themes_seen.append(row["theme"])
        elif card.state in (CardState.SKIPPED, CardState.HIDDEN):
            set_aside_cards.append(row)
    return {
        "session": session,
        "audience": Audience(session.audience).label,
        "discussed": discussed,
        "set_aside": set_aside_cards,
        "themes_seen": themes_seen,
        "actions": session.action_lines(),
        "k": k(),
    }


def delete_closed_sessions(cutoff: Any) -> int:
    """Retention: sessions closed before ``cutoff`` go, with their cards and answers."""
    deleted, _ = Session.objects.filter(state=SessionState.CLOSED, closed__date__lt=cutoff).delete()
    return int(deleted)
