"""The personal report: a pure ``build_context`` used by the screen and the PDF alike."""

from __future__ import annotations

from typing import Any

from koers.compass.models import ProfileAssignment, ResponseScores
from koers.compass.profiles import certainty, describe_certainty, load_profiles
from koers.compass.services import assign_profiles, scores_of
from koers.stats.scales import percentile_rank
from koers.surveys.models import Response

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
STIGMA_TEXT = {
    "high": {
        "nl": "Je geeft aan dat je je op je werk soms beoordeeld voelt op je gender. Dat ligt niet "
        "aan jou. Praat erover met iemand die je vertrouwt, zoals de vertrouwenspersoon van je "
        "organisatie; je kunt ook anoniem melden. Vooroordelen in de werkomgeving zijn een van "
        "de belangrijkste redenen dat mensen de techniek verlaten, en werkgevers kunnen er iets "
        "aan doen.",
        "en": "You indicate that you sometimes feel judged at work because of your gender. That "
        "is not your fault. Talk about it with someone you trust, such as your organisation's "
        "confidential adviser; you can also report anonymously. Bias in the work environment is "
        "one of the main reasons people leave technical work, and employers can act on it.",
    },
    "low": {
        "nl": "Je voelt je op je werk weinig beoordeeld op je gender. Merk je dat dit verandert, "
        "dan kun je altijd terecht bij de vertrouwenspersoon van je organisatie.",
        "en": "You rarely feel judged at work because of your gender. If that changes, you can "
        "always turn to your organisation's confidential adviser.",
    },
}
NORM_MIN = 50


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return "low" if score < 3.5 else "high" if score > 5.0 else "middle"


def _norm_group(response: Response) -> dict[str, list[float]]:
    stored = ResponseScores.objects.filter(
        response__campaign=response.campaign, response__finished_on__isnull=False
    ).values_list("values", flat=True)
    groups: dict[str, list[float]] = {}
    for values in stored:
        for scale, score in (values or {}).items():
            if score is not None:
                groups.setdefault(scale, []).append(float(score))
    return groups


def build_context(response: Response, language: str) -> dict[str, Any]:
    instrument = response.campaign.instrument()
    scores = scores_of(response)
    assignment = ProfileAssignment.objects.filter(response=response).first()
    if assignment is None:
        assign_profiles([response])
        assignment = ProfileAssignment.objects.filter(response=response).first()
    profiles = load_profiles()
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
                    "percentile": percentile_rank(
                        score, norm.get(scale.id, []), min_norm_size=NORM_MIN
                    ),
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
                "percentile": percentile_rank(
                    score, norm.get(scale_id, []), min_norm_size=NORM_MIN
                ),
            }
        )
    stigma = scores.get("gender_stigma")
    profile_context = None
    if assignment is not None:
        names = [str(n.get(language) or n.get("nl")) for n in assignment.names]
        c = certainty(assignment.posteriors)
        key = assignment.names[c.top].get("key")
        definition = profiles.get(key) if key in profiles.keys else None
        profile_context = {
            "headline": describe_certainty(c, names, language),
            "name": names[c.top],
            "level": c.level,
            "probability": c.probability,
            "typical": definition.typical[language] if definition else None,
            "next_steps": [s[language] for s in definition.next_steps] if definition else [],
            "posteriors": [
                {"name": n, "p": p}
                for p, n in sorted(
                    zip((float(x) for x in assignment.posteriors), names, strict=True),
                    reverse=True,
                )
            ],
            "model": assignment.model_label,
        }
    return {
        "response": response,
        "profile": profile_context,
        "elements": elements,
        "career": career,
        "stigma": None
        if stigma is None
        else {
            "score": stigma,
            "text": STIGMA_TEXT["high" if stigma >= 4.0 else "low"][language],
        },
        "norm_available": any(f["percentile"] is not None for e in elements for f in e["facets"]),
        "language": language,
    }
