"""The research workspace (``/onderzoek/``) and an organisation's research page.

Researchers are project members, not organisation members: every page here checks the
project membership (404 for anyone else, as organisation pages do) and asks for the
second factor whatever the account's roles, because these pages show pooled answers of
many organisations. Any such account proposes a project on ``/onderzoek/nieuw/`` and is
its lead; a lead adds and removes members on the project page (403 for other members).
Koers staff (Django ``is_staff``) approve or refuse projects on
``/onderzoek/<project>/besluit/``; they see the data only if they are members too.
Every page view and download is logged in the project's log and in the audit log of each
organisation whose data it contained (:func:`koers.research.services.log_access`).

The analyses come from ``koers.stats.research`` (the research contract): ``ANALYSES``,
``run_analysis``, ``syntax`` and its ``export`` module (``to_csv``, ``to_sav``,
``to_r``), imported where used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from koers.accounts.twofactor import is_verified
from koers.lib.language import current_language
from koers.organisations.access import OrgRequest, org_view
from koers.research import services
from koers.research.dataset import PooledDataset, TooFewRows, build_dataset
from koers.research.forms import MemberForm, ProposalForm
from koers.research.models import Participation, ProjectMember, ResearchProject
from koers.research.render import result_context, text

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)

DATASET_FORMATS = {
    "csv": ("to_csv", "text/csv; charset=utf-8", "csv"),
    "sav": ("to_sav", "application/x-spss-sav", "sav"),
    "zip": ("to_r", "application/zip", "zip"),
}
SYNTAX_LANGUAGES = {"r": "R", "sps": "spss"}


def research_view(view: View) -> View:
    """Logged in, second factor given (always, here), then the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(settings, "KOERS_REQUIRE_2FA", True) and not is_verified(request.user):
            step = "twofactor_verify" if user_has_device(request.user) else "twofactor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def _project(request: HttpRequest, slug: str) -> ResearchProject:
    project = get_object_or_404(ResearchProject, slug=slug)
    if not services.is_member(project, request.user):
        raise Http404("No such project")
    return project


def _dataset(project: ResearchProject, columns: Any = None) -> PooledDataset | None:
    try:
        return build_dataset(project, columns)
    except TooFewRows:
        return None


def _research() -> Any:
    import koers.stats.research as research

    return research


@never_cache
@research_view
def project_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = list(
        ResearchProject.objects.filter(members__user=cast(Any, user))
        .select_related("lead")
        .distinct()
    )
    to_decide = (
        list(ResearchProject.objects.filter(state=ResearchProject.State.PENDING))
        if getattr(user, "is_staff", False)
        else []
    )
    return render(request, "research/project_list.html", {"projects": mine, "to_decide": to_decide})


@never_cache
@research_view
def project_detail(request: HttpRequest, project: str) -> HttpResponse:
    found = _project(request, project)
    dataset = _dataset(found) if found.is_approved else None
    context: dict[str, Any] = {"project": found, "dataset": dataset, "k": _k()}
    context.update(_team(request, found))
    if dataset is not None:
        language = current_language()
        research = _research()
        context["analyses"] = [
            {"key": a.key, "title": text(a.title, language), "chapter": a.chapter}
            for a in research.ANALYSES.values()
        ]
        context["coarsened"] = [
            {"column": c.column, "what": c.description[language], "dropped": c.dropped}
            for c in dataset.coarsened
        ]
        context["organisation_rows"] = [
            {"name": org.name, "n": dataset.n_by_organisation.get(org.pk, 0)}
            for org in dataset.organisations
        ]
        services.log_access(
            found, request.user, "research.view_dataset", dataset.organisations, n_rows=dataset.n
        )
    elif found.is_approved:
        context["organisations"] = [
            p.organisation for p in found.participations.filter(withdrawn__isnull=True)
        ]
    return render(request, "research/project_detail.html", context)


@never_cache
@research_view
def analysis(request: HttpRequest, project: str, key: str) -> HttpResponse:
    found = _project(request, project)
    research = _research()
    if key not in research.ANALYSES or not found.is_approved:
        raise Http404("No such analysis")
    definition = research.ANALYSES[key]
    status = 200
    dataset = _dataset(found, definition.columns)
    language = current_language()
    context: dict[str, Any] = {
        "project": found,
        "key": key,
        "title": text(definition.title, language),
        "chapter": definition.chapter,
        "dataset": dataset,
        "coarsened": [
            {"column": c.column, "what": c.description[language], "dropped": c.dropped}
            for c in (dataset.coarsened if dataset is not None else [])
        ],
        "k": _k(),
    }
    if dataset is not None:
        # run_analysis returns a refusal (with its reason) when the data do not allow the
        # analysis; anything it raises is a fault of Koers: logged, and said as such.
        try:
            result = research.run_analysis(key, dataset.frame, dataset.k)
        except Exception:
            logger.exception("research analysis %s failed on project %s", key, found.slug)
            context["failed"] = True
            status = 500
        else:
            context["result"] = result_context(result, language, dataset.k)
        services.log_access(
            found,
            request.user,
            "research.view_analysis",
            dataset.organisations,
            target=key,
            n_rows=dataset.n,
        )
    return render(request, "research/analysis.html", context, status=status)


@never_cache
@research_view
def dataset_download(request: HttpRequest, project: str, fmt: str) -> HttpResponse:
    found = _project(request, project)
    if fmt not in DATASET_FORMATS or not found.is_approved:
        raise Http404("No such format")
    dataset = _dataset(found)
    if dataset is None:
        raise Http404("Too few respondents")
    function, content_type, extension = DATASET_FORMATS[fmt]
    from koers.stats.research import export

    body = getattr(export, function)(dataset.frame)
    services.log_access(
        found,
        request.user,
        f"research.download.{fmt}",
        dataset.organisations,
        target=f"{found.slug}.{extension}",
        n_rows=dataset.n,
    )
    return _attachment(body, content_type, f"{found.slug}.{extension}")


@never_cache
@research_view
def syntax_download(request: HttpRequest, project: str, key: str, lang: str) -> HttpResponse:
    found = _project(request, project)
    research = _research()
    if key not in research.ANALYSES or lang not in SYNTAX_LANGUAGES or not found.is_approved:
        raise Http404("No such script")
    script = research.syntax(key, "r" if lang == "r" else "spss")
    services.log_access(
        found,
        request.user,
        f"research.syntax.{lang}",
        [p.organisation for p in found.participations.filter(withdrawn__isnull=True)],
        target=f"{key}.{lang}",
    )
    return _attachment(script.encode("utf-8"), "text/plain; charset=utf-8", f"{key}.{lang}")


@never_cache
@research_view
def project_propose(request: HttpRequest) -> HttpResponse:
    """Any account (second factor given) proposes a project; Koers staff decide on it."""
    too_many = services.open_proposals(request.user) >= services.MAX_OPEN_PROPOSALS
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not too_many and form.is_valid():
        found = services.propose(request.user, **form.cleaned_data)
        messages.success(
            request,
            _(
                "Je voorstel is ingediend. Koers beoordeelt het; tot het is goedgekeurd zie "
                "je geen gegevens. Je kunt intussen al onderzoekers toevoegen."
            ),
        )
        return redirect("research_project", project=found.slug)
    return render(
        request,
        "research/project_propose.html",
        {"form": form, "too_many": too_many, "limit": services.MAX_OPEN_PROPOSALS},
    )


MEMBER_ERRORS = {
    "no_account": lambda email: (
        _(
            "Er is geen Koers-account met het e-mailadres %(email)s. Hier worden geen accounts "
            "aangemaakt: laat de persoon een Koers-beheerder vragen om een account, en voeg "
            "hem of haar daarna toe."
        )
        % {"email": email}
    ),
    "already": lambda email: _("%(email)s is al lid van dit project.") % {"email": email},
    "role": lambda email: _("Kies een rol: projectleider of onderzoeker."),
}


@never_cache
@research_view
def project_members(request: HttpRequest, project: str) -> HttpResponse:
    """A lead adds (by e-mail address of an existing account) or removes a member.
    Anyone who is no member: 404; a member who is no lead: 403."""
    found = _project(request, project)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    me = services.membership(found, request.user)
    if me is None or not me.is_lead:
        return render(request, "research/not_lead.html", {"project": found}, status=403)
    if request.POST.get("action") == "remove":
        try:
            removed = services.remove_member(
                found, request.user, int(request.POST.get("member", 0))
            )
        except (ValueError, services.MemberError) as error:
            if isinstance(error, services.MemberError) and error.code == "last_lead":
                messages.error(
                    request,
                    _(
                        "Je bent de enige projectleider, en een project houdt altijd een "
                        "projectleider. Voeg eerst iemand als projectleider toe (een lid haal "
                        "je daarvoor weg en voeg je opnieuw toe als projectleider)."
                    ),
                )
            else:
                messages.error(request, _("Dat lid hoort niet (meer) bij dit project."))
        else:
            who = removed.user.email or removed.user.get_username()
            messages.success(request, _("%(email)s is uit het project gehaald.") % {"email": who})
            if removed.user_id == request.user.pk:
                return redirect("research_projects")
        return redirect(reverse("research_project", kwargs={"project": found.slug}) + "#team")
    data = request.POST.copy()
    data.setdefault("role", ProjectMember.Role.RESEARCHER)  # the select always sends one
    form = MemberForm(data)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.add_member(found, request.user, email, form.cleaned_data["role"])
        except services.MemberError as error:
            form.add_error("email", MEMBER_ERRORS[error.code](email))
        else:
            messages.success(
                request, _("%(email)s is toegevoegd aan het project.") % {"email": email}
            )
            return redirect(reverse("research_project", kwargs={"project": found.slug}) + "#team")
    # The project page again, with the form's errors (no data: the dataset waits for a GET).
    context: dict[str, Any] = {"project": found, "dataset": None, "k": _k(), "members_only": True}
    context.update(_team(request, found, form))
    return render(request, "research/project_detail.html", context, status=400)


def _team(request: HttpRequest, project: ResearchProject, form: Any = None) -> dict[str, Any]:
    members = list(project.members.select_related("user").order_by("role", "added", "pk"))
    me = next((m for m in members if m.user_id == request.user.pk), None)
    is_lead = me is not None and me.is_lead
    return {
        "members": members,
        "is_lead": is_lead,
        "member_form": (form or MemberForm()) if is_lead else None,
        "only_lead": sum(m.is_lead for m in members) == 1,
        "member_changes": services.member_changes(project),
    }


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@research_view
def project_decide(request: HttpRequest, project: str) -> HttpResponse:
    """Koers staff approve or refuse a project (anyone else: 404)."""
    if not getattr(request.user, "is_staff", False):
        raise Http404("No such page")
    found = get_object_or_404(ResearchProject, slug=project)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in {"approve", "refuse"}:
            services.decide(
                found,
                request.user,
                approve=decision == "approve",
                note=request.POST.get("note", "")[:2000],
            )
            messages.success(
                request,
                _("Het project is goedgekeurd.")
                if decision == "approve"
                else _("Het project is afgewezen."),
            )
            return redirect("research_projects")
    members = found.members.select_related("user").order_by("role", "added", "pk")
    return render(request, "research/project_decide.html", {"project": found, "members": members})


@never_cache
@org_view("research.participate")
def organisation_page(request: OrgRequest) -> HttpResponse:
    """An organisation's research page: approved projects, join or withdraw (admin)."""
    org = request.organisation
    if request.method == "POST":
        found = get_object_or_404(
            ResearchProject, slug=request.POST.get("project", ""), state="approved"
        )
        if request.POST.get("action") == "join":
            services.join(found, org, request.user)
            messages.success(request, _("Je organisatie doet mee aan dit onderzoeksproject."))
        elif request.POST.get("action") == "withdraw":
            services.withdraw(found, org, request.user)
            messages.success(
                request,
                _(
                    "Je organisatie doet niet meer mee. De gegevens van je organisatie zitten "
                    "in geen enkele volgende analyse of download van dit project."
                ),
            )
        return redirect("research_organisation", org=org.slug)
    taking_part = {
        p.project_id: p for p in Participation.objects.for_org(org).select_related("project")
    }
    projects = [
        {"project": project, "participation": taking_part.get(project.pk)}
        for project in ResearchProject.objects.filter(state="approved").select_related("lead")
    ]
    return render(
        request,
        "research/organisation.html",
        {"organisation": org, "projects": projects, "org_request": cast(Any, request)},
    )


def _k() -> int:
    return int(settings.KOERS_MIN_GROUP_SIZE)
