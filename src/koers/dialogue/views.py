"""Dialogue pages: the facilitator's sessions (organisation pages) and the participant's
phone pages (public, no account).

The participant pages store nothing about the visitor: the only trace of having joined is
a signed cookie in the participant's own browser (which session, which cards answered);
the code travels in a POST body, never in a URL. Facilitator controls are organisation
pages behind ``dialogue.facilitate``: a participant has no account, so they get the login
page, and the participant page itself accepts nothing but an answer.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from koers.dialogue import costs_org, flexibility, services
from koers.dialogue.costs import compute
from koers.dialogue.deck import load_deck
from koers.dialogue.forms import CostsForm, FlexRequestForm, JoinForm, SessionForm, SummaryForm
from koers.dialogue.guide import guide_context
from koers.dialogue.models import CardState, FlexRequest, Session
from koers.lib import ratelimit
from koers.lib.pdf import PRINT_STYLES, pdf_response, render_pdf
from koers.organisations.access import OrgRequest, org_view

COOKIE = "koers_dialogue"
COOKIE_SALT = "koers.dialogue.participant"
COOKIE_AGE = 12 * 3600  # a session lasts an afternoon at most

STEP_LABELS = {
    "alone": gettext_lazy("Alleen: denk een minuut zelf na en schrijf op wat je vindt"),
    "pairs": gettext_lazy("Tweetallen: bespreek het met één ander"),
    "fours": gettext_lazy("Viertallen: zoek samen wat opvalt"),
    "all": gettext_lazy("Allen: wat neemt de groep mee?"),
}

REFUSALS = {
    "closed": gettext_lazy("Deze sessie is afgesloten."),
    "reason": gettext_lazy("Geef een reden op: de groep en de samenvatting zien waarom."),
    "group": gettext_lazy(
        "Tekstantwoorden kunnen pas worden vrijgegeven als de groep groot genoeg is."
    ),
    "state": gettext_lazy("Alleen de kaart die op tafel ligt kan worden vrijgegeven."),
    "format": gettext_lazy("Deze sessie heeft geen stappen: het is een ronde tafel."),
}


# --- participant (public) ------------------------------------------------------------------


def _participant(request: HttpRequest) -> dict[str, Any] | None:
    try:
        raw = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=COOKIE_AGE)
    except (KeyError, BadSignature):
        return None
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("s"), int) else None


def _with_cookie(response: HttpResponse, data: dict[str, Any]) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE,
        json.dumps(data),
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@sensitive_post_parameters("code")
@never_cache
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if ratelimit.too_many_failures(request):
            return ratelimit.refused(request)
        session = services.find_open_session(form.data.get("code", "")) if form.is_valid() else None
        if session is None:
            ratelimit.record_failure(request)
            form.add_error("code", _("Deze code kennen we niet, of de sessie is al afgesloten."))
            return render(request, "dialogue/join.html", {"form": form}, status=404)
        current = _participant(request)
        if current is not None and current["s"] == session.pk:
            return redirect("dialogue_participate")
        services.join(session)
        return _with_cookie(redirect("dialogue_participate"), {"s": session.pk, "a": []})
    return render(request, "dialogue/join.html", {"form": form})


def _joined_session(request: HttpRequest) -> tuple[Session, dict[str, Any]]:
    data = _participant(request)
    session = Session.objects.filter(pk=data["s"]).first() if data else None
    if session is None or data is None:
        raise Http404
    return session, data


@never_cache
def participate(request: HttpRequest) -> HttpResponse:
    session, data = _joined_session(request)
    if not session.is_open:
        return render(request, "dialogue/participant_closed.html", {"session": session})
    card = services.current_card(session)
    answered = card is not None and card.index in data.get("a", [])
    notice = ""
    status = 200
    if request.method == "POST":
        # A participant can only answer: any other field (next, hide, release…) is ignored.
        if ratelimit.over_limit(request, "dialogue-answer", 120, 600):
            return ratelimit.refused(request, "flooding")
        index = request.POST.get("card", "")
        if card is None or index != str(card.index) or answered:
            notice, status = _("Deze kaart ligt niet meer op tafel, of je hebt al geantwoord."), 409
        else:
            try:
                services.record_answer(
                    session, card, request.POST.get("option", ""), request.POST.get("text", "")
                )
            except services.RefusedAction:
                notice, status = _("Kies een antwoord of schrijf iets op."), 400
            else:
                data["a"] = [*data.get("a", []), card.index]
                return _with_cookie(redirect("dialogue_participate"), data)
    context = _card_context(session, card)
    context.update({"answered": answered, "notice": notice, "state": _fingerprint(session)})
    return render(request, "dialogue/participate.html", context, status=status)


def _card_context(session: Session, card: Any) -> dict[str, Any]:
    deck = load_deck()
    lang = services.lang()
    context: dict[str, Any] = {
        "session": session,
        "card": card,
        "k": services.k(),
        "step": STEP_LABELS.get(session.step, ""),
    }
    if card is not None and card.index < session.cards.count() and card.state == CardState.SHOWN:
        spec = deck.card(card.card_key)
        context.update(
            {
                "spec": spec,
                "text": spec.in_language(lang),
                "theme": deck.theme_label(spec.theme, lang),
                "level": deck.level_label(spec.level, lang),
                "options": [(o.key, o.in_language(lang)) for o in spec.options],
                "result": services.card_result(session, card, spec),
                "text_minimum": services.text_minimum(),
            }
        )
    return context


def _fingerprint(session: Session) -> str:
    """Changes whenever what a participant's page shows may have changed."""
    card = services.current_card(session)
    parts = [session.state, str(session.position), session.step]
    if card is not None:
        parts += [card.state, str(card.texts_released), str(card.answers.count())]
    return ":".join(parts)


@never_cache
def participant_state(request: HttpRequest) -> JsonResponse:
    session, _data = _joined_session(request)
    return JsonResponse({"state": _fingerprint(session)})


# --- facilitator (organisation pages) -------------------------------------------------------


@org_view("dialogue.facilitate")
def sessions(request: OrgRequest) -> HttpResponse:
    found = Session.objects.for_org(request.organisation)
    return render(request, "dialogue/sessions.html", {"sessions": found})


@org_view("dialogue.facilitate")
def session_new(request: OrgRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session, _code = services.open_session(
            request.organisation,
            title=data["title"],
            team=data["team"],
            audience=data["audience"],
            card_keys=services.cards_for_themes(data["themes"]),
            facilitator=request.user,
            session_format=data["format"],
        )
        return redirect("dialogue_session", org=request.organisation.slug, pk=session.pk)
    return render(
        request, "dialogue/session_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _session(request: OrgRequest, pk: int) -> Session:
    found: Session = get_object_or_404(Session.objects.for_org(request.organisation), pk=pk)
    return found


@org_view("dialogue.facilitate")
def session_detail(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    card = services.current_card(session)
    context = _card_context(session, card)
    deck = load_deck()
    lang = services.lang()
    context.update(
        {
            "code": services.code_of(session) if session.is_open else "",
            "all_cards": [
                (c, deck.card(c.card_key).in_language(lang)) for c in session.cards.all()
            ],
            "n_cards": session.cards.count(),
        }
    )
    return render(request, "dialogue/session.html", context)


@require_POST
@org_view("dialogue.facilitate")
def session_control(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "next":
            services.next_card(session)
        elif action == "step":
            services.next_step(session)
        elif action in ("skip", "hide"):
            card = get_object_or_404(session.cards, index=request.POST.get("card", -1))
            services.set_aside(
                session, card, hide=action == "hide", reason=request.POST.get("reason", "")
            )
        elif action == "release":
            card = get_object_or_404(session.cards, index=request.POST.get("card", -1))
            services.release_texts(session, card)
        elif action == "close":
            services.close_session(session)
            return redirect("dialogue_summary", org=request.organisation.slug, pk=session.pk)
        else:
            return HttpResponse(status=400)
    except services.RefusedAction as refusal:
        messages.error(request, REFUSALS.get(str(refusal), str(refusal)))
    return redirect("dialogue_session", org=request.organisation.slug, pk=session.pk)


@org_view("dialogue.facilitate")
def summary(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SummaryForm(
        request.POST or None, initial={"themes": session.themes, "actions": session.actions}
    )
    if request.method == "POST" and form.is_valid():
        services.save_summary(
            session, themes=form.cleaned_data["themes"], actions=form.cleaned_data["actions"]
        )
        messages.success(request, _("De samenvatting is bewaard."))
        return redirect("dialogue_summary", org=request.organisation.slug, pk=session.pk)
    context = services.summary_context(session)
    context["form"] = form
    return render(request, "dialogue/summary.html", context, status=400 if form.errors else 200)


@org_view("dialogue.facilitate")
def summary_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    context = services.summary_context(session)
    context["organisation"] = request.organisation
    pdf = render_pdf(
        "dialogue/summary_pdf.html", context, stylesheets=PRINT_STYLES, request=request
    )
    return pdf_response(pdf, f"dialoog-{session.pk}.pdf")


@org_view("dialogue.facilitate")
def deck_page(request: OrgRequest) -> HttpResponse:
    deck = load_deck()
    lang = services.lang()
    themes = [
        {
            "label": deck.theme_label(theme, lang),
            "cards": [
                {
                    "text": card.in_language(lang),
                    "level": deck.level_label(card.level, lang),
                    "form": card.form,
                    "options": [o.in_language(lang) for o in card.options],
                }
                for card in deck.cards
                if card.theme == theme
            ],
        }
        for theme in deck.themes
    ]
    return render(request, "dialogue/deck.html", {"themes": themes})


# --- the cost of choices (public, nothing stored) -------------------------------------------


@sensitive_post_parameters("full_time_salary")
@never_cache
def costs(request: HttpRequest) -> HttpResponse:
    """The calculator: POST so the salary stays out of addresses and logs; nothing is kept."""
    form = CostsForm(request.POST or None)
    outcome = compute(form.choice()) if request.method == "POST" and form.is_valid() else None
    promotions = costs_org.part_time_promotions(request.user)
    return render(
        request,
        "dialogue/costs.html",
        {"form": form, "outcome": outcome, "promotions": promotions},
        status=400 if form.errors else 200,
    )


@org_view("dialogue.read_guide")
def guide(request: OrgRequest) -> HttpResponse:
    return render(request, "dialogue/guide.html", guide_context(services.lang()))


# --- the fair-flexibility register ----------------------------------------------------------


@org_view("dialogue.view_flexibility")
def flex_register(request: OrgRequest) -> HttpResponse:
    """The register in aggregate, per closed calendar year (one frozen version each): the
    same figures for every viewer; the open year shows only when its figures appear."""
    org = request.organisation
    years = flexibility.years_of(org)
    wanted = request.GET.get("jaar", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else None
    if year is None and years:
        year = years[0]
    context = flexibility.register_context(org, year)
    context["years"] = years
    return render(request, "dialogue/flex_register.html", context)


@org_view("dialogue.record_flexibility")
def flex_record(request: OrgRequest) -> HttpResponse:
    """Record a decided request; the recorder's own rows are listed (nobody else's)."""
    form = FlexRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flexibility.record(request.organisation, request.user, form.cleaned_data)
        messages.success(request, _("Het verzoek staat in het register."))
        return redirect("dialogue_flex_record", org=request.organisation.slug)
    rows = flexibility.recorded_by(request.organisation, request.user)
    return render(
        request,
        "dialogue/flex_record.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@require_POST
@org_view("dialogue.record_flexibility")
def flex_delete(request: OrgRequest, pk: int) -> HttpResponse:
    """The recorder removes a row they recorded (a mistake); nobody removes another's."""
    found = get_object_or_404(FlexRequest.objects.for_org(request.organisation), pk=pk)
    if found.recorded_by_id != request.user.pk:
        messages.error(request, _("Je kunt alleen verzoeken verwijderen die je zelf vastlegde."))
    else:
        found.delete()
        messages.success(request, _("Het verzoek is uit het register gehaald."))
    return redirect("dialogue_flex_record", org=request.organisation.slug)
