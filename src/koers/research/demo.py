"""Demo content: the approved project "Carrièrepaden in techniek" with pooled data.

The demo organisation's Compass respondents (koers.compass.demo) consent for about seven
in ten; three more generated organisations each get a closed Compass campaign of
:data:`N_PER_ORGANISATION` generated respondents (about eight in ten consenting), scored
and profiled in bulk. All four take part in the project; a researcher account (no
organisation membership) is its lead. The same researcher has proposed a second project,
"Terugkeer na ouderschapsverlof", which waits for a decision by Koers staff
(``/onderzoek/``, "Wachten op een besluit van Koers"). Idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from koers.compass.generate import generate_respondents
from koers.compass.services import assign_profiles, score_responses
from koers.instruments import get_instrument
from koers.organisations.demo import DEMO_PASSWORD, _demo_authenticator
from koers.organisations.models import Organisation
from koers.research.dataset import INSTRUMENT_KEY, INSTRUMENT_VERSION
from koers.research.models import AccessLog, Participation, ProjectMember, ResearchProject
from koers.surveys import links
from koers.surveys.models import Answer, Campaign, Response

PROJECT_SLUG = "carrierepaden-in-techniek"
PROPOSAL_SLUG = "terugkeer-na-ouderschapsverlof"
RESEARCHER = "onderzoeker@universiteit.nl"
N_PER_ORGANISATION = 500
# slug, name, seed, what the organisation is (its employees mostly say so)
OTHER_ORGANISATIONS = (
    ("ingenieursbureau-delta", "Ingenieursbureau Delta", 31, "technical_consultancy"),
    ("energie-noord", "Energie Noord B.V.", 32, "technical_industry"),
    ("gemeente-westhaven", "Gemeente Westhaven", 33, "non_technical"),
)
# The consenting share of the demo organisation's (uniformly generated) respondents.
DEMO_ORG_CONSENT_PER_TEN = 5


def load_demo_research(org: Organisation) -> str:
    user_model = get_user_model()
    researcher = user_model.objects.filter(username=RESEARCHER).first()
    if researcher is None:
        researcher = user_model.objects.create_user(
            username=RESEARCHER,
            email=RESEARCHER,
            password=DEMO_PASSWORD,
            first_name="Sanne",
            last_name="de Onderzoeker",
        )
    staff = user_model.objects.filter(is_staff=True).order_by("pk").first()
    project, _created = ResearchProject.objects.get_or_create(
        slug=PROJECT_SLUG,
        defaults={
            "title": "Carrièrepaden in techniek",
            "title_en": "Career paths in engineering",
            "description": (
                "Herhaling van de analyses van hoofdstuk 6 en 7 van het Carrière Kompas-"
                "rapport op gepoolde data van deelnemende organisaties: functie en sector, "
                "inkomen, profielen, binding met de techniek en genderstigma."
            ),
            "description_en": (
                "A replication of the analyses in chapters 6 and 7 of the Career Compass "
                "report on pooled data of the organisations taking part: function and "
                "sector, income, profiles, attachment to engineering and gender stigma."
            ),
            "lead": researcher,
            "state": ResearchProject.State.APPROVED,
            "decided_by": staff,
            "decided_on": timezone.now(),
        },
    )
    ProjectMember.objects.update_or_create(
        project=project, user=researcher, defaults={"role": ProjectMember.Role.LEAD}
    )
    _proposal(researcher)
    _consent_demo_respondents(org)
    organisations = [org]
    for slug, name, seed, kind in OTHER_ORGANISATIONS:
        other, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
        _generated_campaign(other, seed, kind)
        organisations.append(other)
    for taking_part in organisations:
        Participation.objects.get_or_create(
            project=project,
            organisation=taking_part,
            defaults={"joined": timezone.now(), "joined_by": staff},
        )
    n = Response.objects.filter(
        campaign__organisation__in=organisations, research_consent=True
    ).count()
    return (
        f"{RESEARCHER:34} Onderzoeker, project '{project.title}' "
        f"(/onderzoek/{PROJECT_SLUG}/; {len(organisations)} organisations, "
        f"{n} consenting respondents; proposal /onderzoek/{PROPOSAL_SLUG}/ awaits "
        "a decision by Koers staff)\n" + _demo_authenticator(researcher)
    )


def _proposal(researcher: Any) -> None:
    """A project the researcher proposed on /onderzoek/nieuw/, awaiting a decision."""
    project, created = ResearchProject.objects.get_or_create(
        slug=PROPOSAL_SLUG,
        defaults={
            "title": "Terugkeer na ouderschapsverlof",
            "title_en": "Returning after parental leave",
            "research_question": (
                "Verschillen carrière-duidelijkheid en binding met de techniek tussen "
                "vrouwen en mannen die na ouderschapsverlof minder uren zijn gaan werken?"
            ),
            "institution": "Universiteit Voorbeeld",
            "planned_end": dt.date(2027, 12, 31),
            "data_needed": (
                "Gender, leeftijd, contracturen, functie en sector; de schalen carrière-"
                "duidelijkheid, betrokkenheid en verbondenheid."
            ),
            "ethics_reference": "ETC-2026-041",
            "lead": researcher,
            "state": ResearchProject.State.PENDING,
        },
    )
    ProjectMember.objects.get_or_create(
        project=project, user=researcher, defaults={"role": ProjectMember.Role.LEAD}
    )
    if created:
        AccessLog.objects.create(
            project=project, user=researcher, action="research.propose", target=RESEARCHER
        )


def _consent_demo_respondents(org: Organisation) -> None:
    finished = Response.objects.filter(
        campaign__organisation=org,
        campaign__instrument_key=INSTRUMENT_KEY,
        finished_on__isnull=False,
    )
    if finished.filter(research_consent=True).exists():
        return
    # Its respondents answered the background questions uniformly at random (the Compass
    # generator): the ones who consent are among those whose answers look like a
    # technical workforce, so the pooled file needs no more coarsening than real data.
    plausible = (
        Answer.objects.filter(response__in=finished)
        .filter(item_id="gender", value__in=["man", "woman"])
        .values_list("response_id", flat=True)
    )
    grouped = Answer.objects.filter(
        response__in=finished,
        item_id="job_category",
        value__in=["engineer", "programmer_ict", "researcher", "project_leader", "manager"],
    ).values_list("response_id", flat=True)
    ids = sorted(set(plausible) & set(grouped))
    consenting = [pk for pk in ids if pk % 10 < DEMO_ORG_CONSENT_PER_TEN]
    Response.objects.filter(pk__in=consenting).update(research_consent=True)


def _background(rng: np.random.Generator, kind: str) -> dict[str, Any]:
    """Background answers shaped like a technical workforce (the Compass generator draws
    them uniformly): mostly men, engineers and programmers, hbo or wo, full-time, income
    rising with age; the organisation's own type for most of its people."""
    gender = str(rng.choice(["man", "woman"], p=[0.68, 0.32]))
    age = int(np.clip(rng.normal(38, 10), 21, 66))
    technical = kind != "non_technical"
    job = str(
        rng.choice(
            ["engineer", "programmer_ict", "researcher", "project_leader", "manager", "consultant"],
            p=[0.4, 0.25, 0.05, 0.12, 0.1, 0.08] if technical else [0.2, 0.2, 0.05, 0.2, 0.2, 0.15],
        )
    )
    own = str(rng.choice([kind, "other"], p=[0.9, 0.1]))
    level = min(7, max(1, int(round(1 + (age - 22) / 7 + rng.normal(0, 1)))))
    education = str(rng.choice(["hbo_bachelor", "wo_master", "hbo_master"], p=[0.5, 0.4, 0.1]))
    return {
        "gender": gender,
        "age": age,
        "job_category": job,
        "organisation_type": own,
        "sector_self_report": "yes" if technical and rng.random() < 0.85 else "no",
        "contract_hours": int(rng.choice([32, 36, 40], p=[0.2, 0.3, 0.5])),
        "income_band": INCOME_BANDS[level - 1],
        "education_level": education,
        "institution_type": "wo" if education.startswith("wo") else "hbo",
        "study_cluster": str(rng.choice(["cluster_1", "cluster_2"], p=[0.8, 0.2])),
    }


INCOME_BANDS = (
    "under_2500",
    "from_2500",
    "from_3500",
    "from_4500",
    "from_5500",
    "from_6500",
    "from_7500",
)


def _generated_campaign(org: Organisation, seed: int, kind: str) -> None:
    instrument = get_instrument(INSTRUMENT_KEY, INSTRUMENT_VERSION)
    day = dt.date(2026, 3, 1)
    campaign, created = Campaign.objects.get_or_create(
        organisation=org,
        name="Carrière Kompas 2026",
        defaults={
            "instrument_key": instrument.key,
            "instrument_version": instrument.version,
            "opens_on": day,
            "closed": True,
            "closed_on": day + dt.timedelta(days=30),
        },
    )
    if campaign.responses.exists():
        return
    generated = generate_respondents(instrument, N_PER_ORGANISATION, seed=seed)
    rng = np.random.default_rng(seed)
    for person in generated:
        person.answers.update(_background(rng, kind))
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(
                    campaign=campaign,
                    access_hash=links.response_hash(links.new_secret()),
                    instrument_version=campaign.instrument_version,
                    started_on=day,
                    finished_on=day,
                    research_consent=i % 5 != 0,
                )
                for i, _person in enumerate(generated)
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(response=response, item_id=item_id, value=value)
                for response, person in zip(responses, generated, strict=True)
                for item_id, value in person.answers.items()
            ],
            batch_size=5000,
        )
    finished = list(campaign.responses.select_related("campaign"))
    assign_profiles(finished, score_responses(finished))
