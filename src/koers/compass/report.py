"""The personal report: a pure ``build_context`` used by the screen and the PDF alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from koers.compass import norm_store
from koers.compass.models import ProfileAssignment, ResponseScores
from koers.compass.norms import MIN_NORM_OTHERS, NormPosition
from koers.compass.profiles import certainty, describe_certainty, load_profiles
from koers.compass.services import assign_profiles, facet_ids, scores_of
from koers.instruments import scoring_key
from koers.stats.scales import scoring_key_fingerprint
from koers.surveys.models import Answer, Response

# What a score means, by band (scores are means on 1–7). Keys: scale id -> band -> text.
BANDS = {
    "identification": {
        "low": {
            "nl": "Je voelt je op dit moment weinig verbonden met je professie. Dat zegt niets "
            "over hoe goed je bent; het kan een teken zijn dat je werk of je werkomgeving "
            "niet goed bij je past.",
            "en": "You currently feel little connection with your profession. That says nothing "
            "about how good you are; it may be a sign that your work or work environment does "
            "not suit you well.",
        },
        "middle": {
            "nl": "Je professie is een deel van wie je bent, maar niet het hele verhaal.",
            "en": "Your profession is part of who you are, but not the whole story.",
        },
        "high": {
            "nl": "Je professie is een belangrijk deel van hoe je jezelf ziet. Dat is een bron van "
            "trots en motivatie.",
            "en": "Your profession is an important part of how you see yourself: a source of "
            "pride and motivation.",
        },
    },
    "career_clarity": {
        "low": {
            "nl": "Je weet nog niet goed welk werk bij je past. Dat is heel gewoon; de volgende "
            "stappen hieronder helpen je om het helder te krijgen.",
            "en": "You are not yet sure what work suits you. That is very common; the next steps "
            "below help you get clearer.",
        },
        "middle": {
            "nl": "Je hebt een idee van wat bij je past, maar nog niet helemaal.",
            "en": "You have an idea of what suits you, but not completely.",
        },
        "high": {
            "nl": "Je weet goed welk werk bij je past. Gebruik dat in gesprekken over je loopbaan.",
            "en": "You know well what work suits you. Use that in conversations about your career.",
        },
    },
    "career_commitment": {
        "low": {
            "nl": "Je carrière is op dit moment niet het belangrijkste in je leven.",
            "en": "Your career is not the most important thing in your life right now.",
        },
        "middle": {
            "nl": "Je carrière is belangrijk voor je, naast andere dingen.",
            "en": "Your career matters to you, alongside other things.",
        },
        "high": {
            "nl": "Je carrière is een van de belangrijkste dingen in je leven.",
            "en": "Your career is one of the most important things in your life.",
        },
    },
    "career_exploration": {
        "low": {
            "nl": "Je bent weinig bezig met het verkennen van je loopbaanmogelijkheden.",
            "en": "You spend little time exploring your career options.",
        },
        "middle": {
            "nl": "Je verkent af en toe je mogelijkheden.",
            "en": "You explore your options now and then.",
        },
        "high": {
            "nl": "Je bent actief bezig met het verkennen van je mogelijkheden.",
            "en": "You actively explore your options.",
        },
    },
}
# Gender stigma (4 items, 1 = disagree … 7 = agree; 4 = neutral). The care text is shown
# only above neutral: a mean of at least STIGMA_HIGH, half a scale step above the
# midpoint, so a neutral answerer with one "slightly agree" (mean 4.25) does not get it.
STIGMA_MIDPOINT = 4.0
STIGMA_HIGH = STIGMA_MIDPOINT + 0.5
STIGMA_LOW = STIGMA_MIDPOINT - 0.5
# What the research says is said only of whom it was found for: the seed study (UT/Saxion,
# "Mind the Gap!") found that women in tech feel more gender stigma than men, most in the
# technical sector and in male-dominated teams, and that for women (not men) it goes
# with less career clarity. It found no such effect for men and did not study other genders.
STIGMA_TEXT = {
    "high_woman": {
        "nl": "Je geeft aan dat je je op je werk beoordeeld voelt op je gender. Dat ligt niet "
        "aan jou. Onderzoek onder bèta-alumni (Universiteit Twente en Saxion) laat zien dat "
        "vrouwen in de techniek dit vaker ervaren dan mannen, vooral in een werkomgeving met "
        "vooral mannen, en dat het bij vrouwen samengaat met minder duidelijkheid over wat ze "
        "willen en kunnen in hun loopbaan. Praat erover met iemand die je vertrouwt, zoals de "
        "vertrouwenspersoon van je organisatie; je kunt ook anoniem melden. Je werkgever kan "
        "hier iets aan doen.",
        "en": "You indicate that you feel judged at work because of your gender. That is not "
        "your fault. Research among STEM alumni (University of Twente and Saxion) shows that "
        "women in tech experience this more often than men, especially in mostly male teams, "
        "and that for women it goes with less clarity about what they want and can do in "
        "their career. Talk about it with someone you trust, such as your organisation's "
        "confidential adviser; you can also report anonymously. Your employer can act on it.",
    },
    "high": {
        "nl": "Je geeft aan dat je je op je werk beoordeeld voelt op je gender. Dat ligt niet "
        "aan jou, en je hoeft er niet alleen mee rond te lopen. Praat erover met iemand die je "
        "vertrouwt, zoals de vertrouwenspersoon van je organisatie; je kunt ook anoniem melden.",
        "en": "You indicate that you feel judged at work because of your gender. That is not "
        "your fault, and you do not have to deal with it alone. Talk about it with someone you "
        "trust, such as your organisation's confidential adviser; you can also report "
        "anonymously.",
    },
    "middle": {
        "nl": "Je antwoorden over of je je op je werk beoordeeld voelt op je gender liggen rond "
        "het midden. Merk je dat het je dwarszit, dan kun je altijd terecht bij de "
        "vertrouwenspersoon van je organisatie.",
        "en": "Your answers about feeling judged at work because of your gender are around the "
        "middle. If it bothers you, you can always turn to your organisation's confidential "
        "adviser.",
    },
    "low": {
        "nl": "Je voelt je op je werk weinig beoordeeld op je gender. Merk je dat dit verandert, "
        "dan kun je altijd terecht bij de vertrouwenspersoon van je organisatie.",
        "en": "You rarely feel judged at work because of your gender. If that changes, you can "
        "always turn to your organisation's confidential adviser.",
    },
}


def stigma_text(score: float, gender: str | None, language: str) -> str:
    if score >= STIGMA_HIGH:
        key = "high_woman" if gender == "woman" else "high"
    elif score > STIGMA_LOW:
        key = "middle"
    else:
        key = "low"
    return STIGMA_TEXT[key][language]


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return "low" if score < 3.5 else "high" if score > 5.0 else "middle"


def _norm_group(response: Response) -> Callable[[str, float | None], NormPosition | None]:
    """Where a score stands among the *other* finished respondents of the campaign.

    From the campaign's counts (``norm_store``): two statements whatever the campaign's size;
    the person's own counted score is left out.
    """
    instrument = response.campaign.instrument()
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    counts = norm_store.current(response.campaign, fingerprint, facet_ids(instrument)).scale_counts
    own_row = ResponseScores.objects.filter(
        response=response, fingerprint=fingerprint, counted=True
    ).first()
    own: dict[str, Any] = dict(own_row.values) if own_row is not None else {}

    def position(scale: str, score: float | None) -> NormPosition | None:
        return norm_store.position(score, counts.get(scale, {}), own=own.get(scale))

    return position


def _gender(response: Response, instrument: Any) -> str | None:
    item = instrument.personalisation.gender_item if instrument.personalisation else None
    if item is None:
        return None
    value = Answer.objects.filter(response=response, item_id=item).values_list("value", flat=True)
    first = value.first()
    return None if first is None else str(first)


def _profile_context(assignment: ProfileAssignment, language: str) -> dict[str, Any]:
    """Certainty words, the chart of probabilities and what the profile(s) mean."""
    profiles = load_profiles()
    names = [str(n.get(language) or n.get("nl")) for n in assignment.names]
    if assignment.calibrated:
        probabilities = [float(q) for q in assignment.calibrated[:-1]]
        none = float(assignment.calibrated[-1])
    else:
        probabilities, none = [float(p) for p in assignment.posteriors], 0.0
    c = certainty(probabilities, none)
    shown = [c.top] if c.level in ("very_likely", "likely", "possibly") else [c.top, c.second]
    described: list[dict[str, Any]] = []
    for index in shown:
        key = assignment.names[index].get("key")
        definition = profiles.get(key) if key in profiles.keys else None
        described.append(
            {
                "name": names[index],
                "typical": definition.typical[language] if definition else None,
                "next_steps": [s[language] for s in definition.next_steps] if definition else [],
            }
        )
    chart: list[dict[str, Any]] = [
        {"name": name, "percent": round(100 * p), "top": i in shown}
        for i, (name, p) in enumerate(zip(names, probabilities, strict=True))
    ]
    chart.sort(key=lambda row: -int(row["percent"]))
    if assignment.calibrated:
        chart.append(
            {"name": _("Geen van deze profielen"), "percent": round(100 * none), "top": False}
        )
    return {
        "headline": describe_certainty(c, names, language),
        "name": names[c.top],
        "second_name": names[c.second],
        "level": c.level,
        "probability": c.probability,
        "described": described,
        "typical": described[0]["typical"],
        "next_steps": [step for d in described for step in d["next_steps"]],
        "chart": chart,
        "reference": assignment.model_label == "reference",
        "model": assignment.model_label,
    }


def build_context(response: Response, language: str) -> dict[str, Any]:
    instrument = response.campaign.instrument()
    scores = scores_of(response)
    assignment = ProfileAssignment.objects.filter(response=response).first()
    if assignment is None or (assignment.model_label == "reference" and not assignment.calibrated):
        # No assignment yet, or one stored before certainty was calibrated (issue 13).
        assign_profiles([response])
        assignment = ProfileAssignment.objects.filter(response=response).first()
    norm = _norm_group(response)
    elements = []
    for element in instrument.elements:
        facets = []
        for scale in instrument.scales:
            if scale.kind != "facet" or scale.element != element.id:
                continue
            score = scores.get(scale.id)
            facets.append(
                {
                    "id": scale.id,
                    "label": scale.label.get(language),
                    "score": score,
                    "percent": None if score is None else (score - 1) / 6 * 100,
                    "norm": norm(scale.id, score),
                }
            )
        elements.append({"id": element.id, "label": element.label.get(language), "facets": facets})
    career = []
    for scale_id in ("identification", "career_clarity", "career_commitment", "career_exploration"):
        score = scores.get(scale_id)
        b = band(score)
        career.append(
            {
                "id": scale_id,
                "label": instrument.scale(scale_id).label.get(language),
                "score": score,
                "percent": None if score is None else (score - 1) / 6 * 100,
                "meaning": BANDS[scale_id][b][language] if b else None,
                "norm": norm(scale_id, score),
            }
        )
    stigma = scores.get("gender_stigma")
    gender = _gender(response, instrument)
    return {
        "response": response,
        "profile": None if assignment is None else _profile_context(assignment, language),
        "elements": elements,
        "career": career,
        "stigma": None
        if stigma is None
        else {"score": stigma, "text": stigma_text(stigma, gender, language)},
        "norm_available": any(f["norm"] is not None for e in elements for f in e["facets"]),
        "norm_min": MIN_NORM_OTHERS,
        "language": language,
    }
