"""Demo content: a finished round-table session for a team, with its summary."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from koers.dialogue import flexibility, services
from koers.dialogue.deck import load_deck
from koers.dialogue.models import FlexRequest, Session
from koers.organisations.models import Organisation

THEMES = ["parenthood", "flexibility", "culture"]
TEXTS = (
    "Vaste overlegtijden tussen 9 en 15 uur.",
    "Vooraf weten wie je werk overneemt tijdens verlof.",
    "Een rooster dat ieder kwartaal samen wordt gemaakt.",
    "Dat vaders ook hun volledige verlof opnemen, zonder grapjes.",
    "Thuiswerkafspraken voor iedereen op dezelfde pagina.",
    "Een vast aanspreekpunt als je terugkomt van verlof.",
)


def load_demo_dialogue(org: Organisation) -> str:
    if Session.objects.for_org(org).exists():
        return ""
    deck = load_deck()
    keys = services.cards_for_themes(THEMES, deck)
    session, _code = services.open_session(
        org,
        title="Teamgesprek Engineering",
        team="Engineering",
        audience="employees",
        card_keys=keys,
    )
    rng = random.Random(20)  # noqa: S311 - demo answers, not a secret
    n_people = 7
    for _ in range(n_people):
        services.join(session)
    card = services.next_card(session)
    while card is not None:
        if card.index == 1:
            services.set_aside(
                session, card, hide=False, reason="Al besproken in het vorige overleg"
            )
            session.refresh_from_db()
            card = services.current_card(session)
            continue
        spec = deck.card(card.card_key)
        if spec.counted:
            options = [o.key for o in spec.options]
            for _ in range(n_people):
                services.record_answer(session, card, rng.choice(options), "")
        elif spec.form == "text":
            for text in rng.sample(TEXTS, 5):
                services.record_answer(session, card, "", text)
            services.release_texts(session, card)
        card = services.next_card(session)
    services.close_session(
        session,
        themes=(
            "Verlof van vaders voelt nog als een gunst. Maatwerk in roosters is niet voor "
            "iedereen zichtbaar."
        ),
        actions=(
            "Roosterafspraken per kwartaal samen maken — teamleider\n"
            "Bij elke zwangerschap of geboorte een overdrachtsplan — HR\n"
            "Vaders en partners standaard het hele verlof inplannen — teamleider"
        ),
    )
    return f"dialogue: a finished session with {len(keys)} cards and its summary"


FLEX_TEAMS = ("Engineering", "Data", "Klantenservice")
FLEX_GRANT_RATE = {"Engineering": 0.75, "Data": 0.7, "Klantenservice": 0.55}


def load_demo_flexibility(org: Organisation) -> str:
    """A fair-flexibility register, three teams (seeded, idempotent): 84 decided requests
    last year (a closed year, so its figures show) and 6 this year (open: no figures yet,
    the page says when they appear)."""
    if FlexRequest.objects.for_org(org).exists():
        return ""
    rng = random.Random(2020)  # noqa: S311 - demo data, not a secret
    today = timezone.localdate()
    rows = []
    for year, n in ((today.year - 1, 84), (today.year, 6)):
        start = dt.date(year, 1, 1)
        last = min(today, dt.date(year, 12, 31))
        for _ in range(n):
            gender = rng.choice(("female", "male"))
            kind = rng.choices(("hours", "place", "schedule"), (0.4, 0.35, 0.25))[0]
            team = rng.choice(FLEX_TEAMS)
            granted = rng.random() < FLEX_GRANT_RATE[team]
            reasons = flexibility.GRANT_REASONS if granted else flexibility.REFUSAL_REASONS
            rows.append(
                FlexRequest(
                    organisation=org,
                    team=team,
                    kind=kind,
                    gender=gender,
                    outcome="granted" if granted else "refused",
                    reason=rng.choice(reasons[:-1]),
                    decided_on=start + dt.timedelta(days=rng.randint(0, (last - start).days)),
                )
            )
    FlexRequest.objects.bulk_create(rows)
    return f"dialogue: a fair-flexibility register with {len(rows)} decided requests"
