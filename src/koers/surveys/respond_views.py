"""The respondent's pages: open link, personal link, one section per page, review, finish.

Everything works as plain forms; ``static/koers/survey.js`` adds autosave on
every change through :func:`save`. No view stores the client address or user
agent; the link secret (or resume code) is the only key.

The secret is in a URL only on the first visit (``/r/<secret>/``, the link in an
invitation e-mail). That visit moves it into a cookie named after the response's
browser slot (:func:`koers.surveys.links.slot_of`) and redirects to
``/invullen/<slot>/``; every later page, the autosave and the report read the
credential from that cookie. A resume code is POSTed and goes the same way, and
the open link's start page sets the cookie at once, so an anonymous respondent's
secret is never in a URL at all (docs/surveys.md, "Links, cookies and logs").
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from koers.instruments import (
    first_unanswered,
    next_section,
    previous_section,
    render_section,
    unanswered_items,
    unscored_scales,
    visible_items,
    visible_sections,
)
from koers.lib import hooks, ratelimit
from koers.lib.language import current_language
from koers.surveys import links, services, throttle
from koers.surveys.inplace import waiting_items, with_waiting
from koers.surveys.models import Campaign, Response, controlling_items

# How long a browser keeps a respondent's credential: long enough to come back to an
# unfinished questionnaire or the report from the same browser; the e-mail link or the
# resume code opens it again anywhere after that.
COOKIE_MAX_AGE = 30 * 24 * 3600

# Versions are counted from 1 per answer; anything outside a 32-bit column is a forged or
# broken form (the JSON autosave refuses the same range).
MAX_VERSION = 2**31


def _not_found(request: HttpRequest, *, guess: bool = True) -> HttpResponse:
    if guess:
        ratelimit.record_failure(request)
    return render(request, "surveys/unknown_link.html", status=404)


def _no_cookie(request: HttpRequest) -> HttpResponse:
    """A slot's page in a browser without its cookie: nothing was guessed, so not counted."""
    return render(request, "surveys/unknown_link.html", {"no_cookie": True}, status=404)


def _throttled(request: HttpRequest) -> HttpResponse:
    return ratelimit.refused(request)


def _closed(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return render(request, "surveys/closed.html", {"campaign": campaign}, status=410)


def _secret_of(credential: str) -> str | None:
    """The link secret, when the credential is one (not a resume code)."""
    return None if links.looks_like_code(credential) else credential


def home_url(slot: str) -> str:
    return reverse("respond_home", kwargs={"slot": slot})


def remember(reply: HttpResponse, credential: str) -> str:
    """Put ``credential`` in its slot's cookie on ``reply``; returns the slot.

    HttpOnly (no script reads it), Secure with HTTPS, SameSite=Lax (sent when the
    respondent follows a link to Koers, not on another site's POST) and only for the
    slot's own pages, so two responses in one browser never see each other's cookie.
    """
    slot = links.slot_of(credential)
    reply.set_cookie(
        links.cookie_name(slot),
        links.cookie_value(credential),
        max_age=COOKIE_MAX_AGE,
        path=home_url(slot),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return slot


def credential_of(request: HttpRequest, slot: str) -> str | None:
    """The credential the browser holds for ``slot`` (no database: the autosave calls this)."""
    if not links.is_slot(slot):
        return None
    return request.COOKIES.get(links.cookie_name(slot)) or None


def load_response(request: HttpRequest, slot: str) -> Response | HttpResponse:
    """The response of the slot's cookie, or the page to show instead (404, 429)."""
    if ratelimit.too_many_failures(request):
        return _throttled(request)
    credential = credential_of(request, slot)
    if credential is None:  # another browser, or the cookie expired
        return _no_cookie(request)
    response = services.find_response(credential)
    if response is None:
        return _not_found(request)
    _remember_language(response)
    return response


def _remember_language(response: Response) -> None:
    """The language the respondent last used, for reminders and the report."""
    lang = current_language()
    if response.language != lang:
        Response.objects.filter(pk=response.pk).update(language=lang)


# Pages an old deep link (``/r/<secret>/rapport/`` from before the cookie) may lead to.
_LEGACY_TARGETS = frozenset(
    {
        "respond_home",
        "respond_section",
        "respond_save",
        "respond_review",
        "respond_finish",
        "respond_done",
        "respond_delete",
        "respond_my_data",
        "compass_report",
        "compass_report_pdf",
        "compass_share",
        "compass_withdraw",
    }
)


@never_cache
def open_link(request: HttpRequest, credential: str, rest: str = "") -> HttpResponse:
    """The first visit with a secret in the URL: move it into a cookie, then redirect.

    ``rest`` is the remainder of an older deep link (a bookmarked ``/r/<secret>/rapport/``);
    the redirect keeps it. Other methods than GET get a 307, so a form or an autosave
    posted to an old address (a page loaded before the change) arrives with its body.
    """
    if ratelimit.too_many_failures(request):
        return _throttled(request)
    if services.find_response(credential) is None:
        if services.find_invitation(credential) is None:
            return _not_found(request)
    target = home_url(links.slot_of(credential)) + rest
    if rest:
        try:
            match = resolve(target)
        except Resolver404:
            match = None
        if match is None or match.url_name not in _LEGACY_TARGETS:
            return _not_found(request, guess=False)
    reply = HttpResponseRedirect(target)
    if request.method not in ("GET", "HEAD"):
        reply.status_code = 307
    remember(reply, credential)
    return reply


@never_cache
def campaign_landing(request: HttpRequest, token: str) -> HttpResponse:
    if ratelimit.too_many_failures(request):
        return _throttled(request)
    campaign = Campaign.objects.filter(public_token=token, mode=Campaign.Mode.OPEN_LINK).first()
    if campaign is None:
        return _not_found(request)
    if not campaign.is_open():
        return _closed(request, campaign)
    if request.method == "POST":
        if throttle.over_public_limit(request):
            return _throttled(request)
        started = services.start_open_response(campaign, current_language())
        page = render(
            request,
            "surveys/resume_code.html",
            {
                "campaign": campaign,
                "code": links.format_code(started.code or ""),
                "next_url": home_url(links.slot_of(started.secret)),
            },
        )
        remember(page, started.secret)  # the secret itself is never in a URL
        return page
    return _intro(request, campaign, anonymous=True)


@never_cache
def home(request: HttpRequest, slot: str) -> HttpResponse:
    """Where the respondent's slot starts: the intro of an invitation, else the first open
    question (or the review, or the end)."""
    if ratelimit.too_many_failures(request):
        return _throttled(request)
    credential = credential_of(request, slot)
    if credential is None:
        return _no_cookie(request)
    response = services.find_response(credential)
    if response is None:
        invitation = services.find_invitation(credential)
        if invitation is None:
            return _not_found(request)
        if not invitation.campaign.is_open():
            return _closed(request, invitation.campaign)
        if request.method == "POST":
            response = services.start_invited_response(invitation, credential, current_language())
        else:
            return _intro(request, invitation.campaign, anonymous=False)
    if response.is_finished:
        return redirect(_after_finish(response, slot))
    if not response.campaign.is_open():
        return _closed(request, response.campaign)
    instrument = response.campaign.instrument()
    answers = response.answers()
    item = first_unanswered(instrument, answers)
    if item is None:
        return redirect("respond_review", slot=slot)
    url = reverse("respond_section", kwargs={"slot": slot, "section": item.section})
    on_page = visible_items(instrument, answers, item.section)
    if not any(answers.get(i.id) is not None for i in on_page):
        return redirect(url)  # a fresh page opens at its top, heading and intro in view
    return redirect(url + f"#q-{item.id}")


def _section_context(
    response: Response,
    slot: str,
    section_id: str,
    conflicts: dict[str, Any] | None = None,
    kept: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``items``: (item, version, error message, the refused input to show again, and for
    a follow-up shown in place the :class:`~koers.surveys.inplace.Waiting` that hides it)."""
    instrument = response.campaign.instrument()
    answers = response.answers()
    page = render_section(instrument, section_id, answers, language=current_language())
    waiting = waiting_items(instrument, section_id, answers, current_language())
    ordered = with_waiting(instrument.section(section_id), list(page.items), waiting)
    versions = response.versions()
    prev = previous_section(instrument, section_id, answers)
    nxt = next_section(instrument, section_id, answers)
    return {
        "response": response,
        "campaign": response.campaign,
        "slot": slot,
        "page": page,
        "items": [
            (
                item,
                versions.get(item.id, 0),
                (conflicts or {}).get(item.id, ""),
                (kept or {}).get(item.id),
                hidden,
            )
            for item, hidden in ordered
        ],
        "previous": prev,
        "next": nxt,
        "conflicts": conflicts or {},
        "save_url": reverse("respond_save", kwargs={"slot": slot}),
    }


@never_cache
def section(request: HttpRequest, slot: str, section: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    response = loaded
    if response.is_finished:
        return redirect("respond_done", slot=slot)
    if not response.campaign.is_open():
        return _closed(request, response.campaign)
    instrument = response.campaign.instrument()
    try:
        instrument.section(section)
    except KeyError:
        return _not_found(request)
    conflicts: dict[str, Any] = {}
    kept: dict[str, str] = {}
    malformed = False
    if request.method == "POST":
        answers = response.answers()
        page = render_section(instrument, section, answers, language=current_language())
        for item in page.items:
            if item.id not in request.POST and item.type != "scale" and item.type != "choice":
                continue
            raw = request.POST.get(item.id, "")
            try:
                base = int(request.POST.get(f"v_{item.id}", "0"))
            except ValueError:
                base = 0
            if not 0 <= base < MAX_VERSION:  # a forged form: the database column is 32-bit
                malformed = True
                conflicts[item.id] = _("Dit formulier is beschadigd; kies je antwoord opnieuw.")
                continue
            current = answers.get(item.id)
            if (raw == "" and current is None) or (raw != "" and str(current) == raw):
                continue  # nothing changed by this form
            result = services.save_answer(response, instrument, item.id, raw, base)
            if result.status == "conflict":
                conflicts[item.id] = _(
                    "Dit antwoord is intussen elders gewijzigd; hier staat het nieuwste antwoord."
                )
            elif result.status == "invalid":
                kept[item.id] = raw  # what they typed stays, so they can correct it
                conflicts[item.id] = (
                    _("Vul een heel getal in van %(min)s tot en met %(max)s.")
                    % {"min": item.min, "max": item.max}
                    if item.type == "number"
                    else _("Dit antwoord past niet bij de vraag; kies opnieuw.")
                )
        shown_before = {item.id for item in page.items}
        answers = response.answers()
        shown_now = {i.id for i in visible_items(instrument, answers, section)}
        if not conflicts and shown_now - shown_before:
            # New questions appeared on this page (e.g. "own title"): show them first.
            return redirect("respond_section", slot=slot, section=section)
        if not conflicts:
            nav = request.POST.get("nav", "next")
            target = (
                previous_section(instrument, section, answers)
                if nav == "prev"
                else next_section(instrument, section, answers)
            )
            if nav == "review" or target is None:
                return redirect("respond_review", slot=slot)
            return redirect("respond_section", slot=slot, section=target.id)
    return render(
        request,
        "surveys/section.html",
        _section_context(response, slot, section, conflicts, kept),
        status=400 if malformed else 409 if conflicts else 200,
    )


@require_POST
def save(request: HttpRequest, slot: str) -> HttpResponse:
    """Autosave of one answer: ``{"item": id, "value": v, "version": n}``."""
    # The credential comes from the slot's cookie: reading it costs no query, so an
    # autosave stays one look-up and one write (tests/surveys/test_hot_path.py).
    credential = credential_of(request, slot)
    if credential is None:  # not this browser's slot, or the cookie expired
        return JsonResponse({"status": "invalid", "message": "unknown link"}, status=404)
    # The look-up comes first so that one round trip to the counters does all checks; a
    # guessing address is refused whether or not its guess was right.
    loaded = services.find_response(credential)
    check = throttle.check_save(request, loaded.access_hash if loaded else None)
    if check.guessing:
        return JsonResponse({"status": "invalid", "message": "too many attempts"}, status=429)
    if loaded is None:
        ratelimit.record_failure(request)
        return JsonResponse({"status": "invalid", "message": "unknown link"}, status=404)
    if check.flooding:
        return JsonResponse(
            {"status": "invalid", "message": "too many saves, slow down"}, status=429
        )
    _remember_language(loaded)
    try:
        body = json.loads(request.body)
        item_id, value, version = str(body["item"]), body.get("value"), int(body["version"])
    except (ValueError, KeyError, TypeError, OverflowError):
        return JsonResponse({"status": "invalid", "message": "bad request"}, status=400)
    if not 0 <= version < MAX_VERSION:
        return JsonResponse({"status": "invalid", "message": "bad version"}, status=400)
    instrument = loaded.campaign.instrument()
    # Only an answer that other questions depend on can show or hide them (then the page
    # reloads); for every other answer the visibility check is skipped.
    controls = item_id in controlling_items(instrument)
    before = _visible_ids(instrument, loaded, item_id) if controls else set()
    result = services.save_answer(loaded, instrument, item_id, value, version)
    status = {"saved": 200, "unchanged": 200, "conflict": 409}.get(result.status, 400)
    body = result.as_dict()
    body["reload"] = controls and result.ok and _visible_ids(instrument, loaded, item_id) != before
    return JsonResponse(body, status=status)


def _visible_ids(instrument: Any, response: Response, item_id: str) -> set[str]:
    try:
        section_id = instrument.item(item_id).section
    except KeyError:
        return set()
    return {i.id for i in visible_items(instrument, response.answers(), section_id)}


@never_cache
def review(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    response = loaded
    if response.is_finished:
        return redirect("respond_done", slot=slot)
    instrument = response.campaign.instrument()
    answers = response.answers()
    skipped = unanswered_items(instrument, answers)
    sections = {s.id: s for s in visible_sections(instrument, answers)}
    lang = current_language()
    grouped: dict[str, dict[str, Any]] = {}
    for item in skipped:
        page = grouped.setdefault(
            item.section, {"title": sections[item.section].title.get(lang), "items": []}
        )
        rendered = render_section(instrument, item.section, answers, language=lang)
        label = next((r.label for r in rendered.items if r.id == item.id), item.id)
        page["items"].append({"id": item.id, "label": label})
    last = list(sections)[-1] if sections else None
    # What the report will lack if finished now: scales without enough answers, and
    # whether any facet (the profile model's input) keeps a score.
    unscored = unscored_scales(instrument, answers) if skipped else []
    facets = [sc for sc in instrument.scales if sc.kind == "facet"]
    facets_lost = sum(sc.kind == "facet" for sc in unscored)
    return render(
        request,
        "surveys/review.html",
        {
            "response": response,
            "slot": slot,
            "has_report": _has_report(response),
            "n_skipped": len(skipped),
            "grouped": grouped,
            "last_section": last,
            "first_skipped": next(iter(grouped), None),
            "unscored": [sc.label.get(lang) for sc in unscored],
            "no_profile": bool(facets) and facets_lost == len(facets),
            "weaker_profile": 0 < facets_lost < len(facets),
            "asks_research_consent": services.asks_research_consent(response.campaign),
        },
    )


@require_POST
def finish(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    services.finish_response(
        loaded,
        _secret_of(credential_of(request, slot) or ""),
        research_consent=request.POST.get("research_consent") == "yes",
    )
    return redirect(_after_finish(loaded, slot))


@require_POST
def research_consent(request: HttpRequest, slot: str) -> HttpResponse:
    """Give or withdraw consent to research use after finishing (beside the report)."""
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    if loaded.is_finished and services.asks_research_consent(loaded.campaign):
        consent = request.POST.get("research_consent") == "yes"
        services.set_research_consent(loaded, consent)
        messages.success(
            request,
            _("Je antwoorden mogen nu gebruikt worden voor wetenschappelijk onderzoek.")
            if consent
            else _(
                "Je antwoorden worden niet meer gebruikt voor nieuw wetenschappelijk onderzoek."
            ),
        )
    return redirect(_after_finish(loaded, slot) + "#onderzoek")


def _has_report(response: Response) -> bool:
    """Whether an app gives this questionnaire a personal report (the Compass does)."""
    return any(report(response, "-") for report in hooks.respondent_report.implementations())


def _intro(request: HttpRequest, campaign: Campaign, *, anonymous: bool) -> HttpResponse:
    """The intro in the questionnaire's own words: its description, its length, and a
    personal report only for a questionnaire that has one."""
    instrument = campaign.instrument()
    return render(
        request,
        "surveys/intro.html",
        {
            "campaign": campaign,
            "anonymous": anonymous,
            "description": instrument.description.get(current_language()),
            "minutes": instrument.minutes_to_tell,
            "has_report": _has_report(Response(campaign=campaign)),
        },
    )


def _after_finish(response: Response, slot: str) -> str:
    """The personal report when an app provides one for this response's questionnaire (the
    Compass does for its own), else the thank-you page (the inclusion survey)."""
    for report in hooks.respondent_report.implementations():
        url = report(response, slot)
        if url is not None:
            return url
    return reverse("respond_done", kwargs={"slot": slot})


@never_cache
def done(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    if not loaded.is_finished:
        return redirect("respond_home", slot=slot)
    return render(
        request,
        "surveys/done.html",
        {
            "response": loaded,
            "slot": slot,
            "asks_research_consent": services.asks_research_consent(loaded.campaign),
        },
    )


@require_POST
def delete(request: HttpRequest, slot: str) -> HttpResponse:
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    if request.POST.get("confirm") != "yes":
        return redirect("respond_home", slot=slot)
    services.delete_response(loaded, _secret_of(credential_of(request, slot) or ""))
    page = render(request, "surveys/deleted.html")
    page.delete_cookie(links.cookie_name(slot), path=home_url(slot), samesite="Lax")
    return page


@never_cache
def my_data(request: HttpRequest, slot: str) -> HttpResponse:
    """The respondent's own data as JSON (GDPR Art. 15 and 20): answers, scores, profile."""
    loaded = load_response(request, slot)
    if isinstance(loaded, HttpResponse):
        return loaded
    data: dict[str, Any] = {
        "campaign": loaded.campaign.name,
        "organisation": loaded.campaign.organisation.name,
        "instrument": f"{loaded.campaign.instrument_key} v{loaded.instrument_version}",
        "started_on": loaded.started_on.isoformat(),
        "finished_on": loaded.finished_on.isoformat() if loaded.finished_on else None,
        "language": loaded.language,
        "research_consent": loaded.research_consent,
        "answers": loaded.answers(),
    }
    for extra in hooks.respondent_data.implementations():
        data.update(extra(loaded))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


@never_cache
def resume(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if ratelimit.too_many_failures(request):
            return _throttled(request)
        code = request.POST.get("code", "")
        if links.looks_like_code(code) and services.find_response(code) is not None:
            # The code goes into the slot's cookie, never into a URL (history, logs).
            reply = HttpResponseRedirect(home_url(links.slot_of(code)))
            remember(reply, code)
            return reply
        ratelimit.record_failure(request)
        error = _("Deze code kennen we niet. Controleer de 12 tekens en probeer het opnieuw.")
    return render(request, "surveys/resume.html", {"error": error}, status=400 if error else 200)
