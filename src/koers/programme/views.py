"""Pages: the organisation's programme page, the office's dashboard and its invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from koers.lib import ratelimit
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.programme import figures, profiles, services
from koers.programme.access import ProgrammeRequest, programme_view
from koers.programme.forms import CodeForm, InvitationForm, ShareForm
from koers.programme.models import Participation, Sector, SizeClass


def _lang() -> str:
    return (get_language() or "nl")[:2]


def _org_context(
    request: OrgRequest,
    forms: dict[int, ShareForm] | None = None,
    code_form: CodeForm | None = None,
) -> dict[str, Any]:
    items = []
    # The shared counts are team-scan figures: only roles that may see the team scan see them
    # here (the works council reads this page but not the team scan).
    see_profiles = can(request, "compass.view_teamscan")
    for p in services.participations_of(request.organisation):
        initial = {name: getattr(p, name) for name in services.SHARE_FIELDS}
        initial["sector"] = p.sector or Sector.OTHER
        form = (forms or {}).get(p.pk) or ShareForm(initial=initial, prefix=f"p{p.pk}")
        items.append(
            {
                "p": p,
                "form": form,
                "benchmark": figures.benchmark(p, lang=_lang()) if p.is_active else None,
                "profiles": (
                    profiles.shared_by(p, _lang()) if p.share_compass and see_profiles else []
                ),
                "log": services.query_log(p.programme, 20) if p.status != p.Status.INVITED else [],
            }
        )
    return {
        "items": items,
        "manage": can(request, "programme.manage"),
        "see_profiles": see_profiles,
        "code_form": code_form or CodeForm(prefix="code"),
    }


@org_view("programme.view")
def org_page(request: OrgRequest) -> HttpResponse:
    audit.record(request.organisation, request.user, "programme.view")
    return render(request, "programme/org.html", _org_context(request))


@sensitive_post_parameters("code-code")
@require_POST
@org_view("programme.manage")
def enter_code(request: OrgRequest) -> HttpResponse:
    """The admin enters the office's invitation code: the organisation is invited."""
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    form = CodeForm(request.POST, prefix="code")
    if form.is_valid():
        try:
            participation = services.use_code(
                request.organisation, form.cleaned_data["code"], request.user
            )
        except services.CodeRefused as exc:
            ratelimit.record_failure(request)
            form.add_error("code", str(exc))
        except services.AlreadyTakingPart as exc:
            form.add_error(
                "code",
                _(
                    "Uw organisatie is al uitgenodigd voor %(programme)s of doet al mee. U "
                    "vindt het programma hieronder; de code blijft ongebruikt."
                )
                % {"programme": exc.args[0]},
            )
        else:
            messages.success(
                request,
                _(
                    "Uw organisatie is uitgenodigd voor %(programme)s. Kies hieronder wat u "
                    "deelt; tot dan deelt u niets."
                )
                % {"programme": participation.programme.name},
            )
            return redirect("programme_org", org=request.organisation.slug)
    context = _org_context(request, code_form=form)
    return render(request, "programme/org.html", context, status=400)


@require_POST
@org_view("programme.manage")
def share(request: OrgRequest, pk: int) -> HttpResponse:
    participation = get_object_or_404(Participation.objects.for_org(request.organisation), pk=pk)
    form = ShareForm(request.POST, prefix=f"p{pk}")
    if not form.is_valid():
        context = _org_context(request, {pk: form})
        return render(request, "programme/org.html", context, status=400)
    data = form.cleaned_data
    services.choose(
        participation,
        request.user,
        sector=data["sector"],
        shares={name: data[name] for name in services.SHARE_FIELDS},
    )
    if participation.is_active:
        messages.success(
            request, _("Uw keuze is opgeslagen; het programma ziet alleen wat u deelt.")
        )
    else:
        messages.success(request, _("U deelt niets meer met dit programma."))
    return redirect("programme_org", org=request.organisation.slug)


@require_POST
@org_view("programme.manage")
def stop(request: OrgRequest, pk: int) -> HttpResponse:
    participation = get_object_or_404(Participation.objects.for_org(request.organisation), pk=pk)
    services.stop(participation, request.user)
    messages.success(
        request,
        _(
            "U deelt niets meer met dit programma. Uw organisatie telt in geen enkel nieuw "
            "cijfer meer mee."
        ),
    )
    return redirect("programme_org", org=request.organisation.slug)


def _filters(request: ProgrammeRequest) -> list[tuple[str, str]]:
    allowed = {"grootte": set(SizeClass.values), "sector": set(Sector.values)}
    out = []
    for name, values in allowed.items():
        value = request.GET.get(name, "")
        if value in values:
            out.append((name, value))
    return out


@programme_view
def dashboard(request: ProgrammeRequest) -> HttpResponse:
    programme = request.programme
    chosen = _filters(request)
    services.log_query(programme, request.user, "dashboard", dict(chosen))
    context = figures.dashboard(programme, chosen, lang=_lang())
    return render(
        request,
        "programme/dashboard.html",
        {
            "programme": programme,
            "d": context,
            "mix": profiles.mix(programme, chosen, lang=_lang()),
            "sizes": SizeClass.choices,
            "sectors": Sector.choices,
            "chosen": dict(chosen),
            "log": services.query_log(programme, 20),
            "members": Participation.objects.filter(programme=programme)
            .values("status")
            .order_by("status")
            .annotate(n=Count("pk")),
        },
    )


def _invite_page(
    request: ProgrammeRequest,
    form: InvitationForm | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "programme/invite.html",
        {
            "programme": request.programme,
            "form": form or InvitationForm(),
            "created": created,
            "invitations": services.invitations_of(request.programme),
            "valid_days": services.VALID_DAYS,
        },
        status=status,
    )


@sensitive_post_parameters("email")
@never_cache
@programme_view
def invite(request: ProgrammeRequest) -> HttpResponse:
    """The office's invitations: make one (the code is shown once), see and withdraw them."""
    if request.method != "POST":
        return _invite_page(request)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _invite_page(request, form, status=400)
    invitation, code = services.create_invitation(
        request.programme, form.cleaned_data["name"], request.user
    )
    subject, body = services.invitation_email(
        request.programme, invitation.name, code, invitation.expires
    )
    address = form.cleaned_data["email"]
    sent = services.send_invitation(invitation, code, address) if address else None
    created = {
        "invitation": invitation,
        "code": code,
        "subject": subject,
        "body": body,
        "address": address,
        "sent": sent,
    }
    return _invite_page(request, created=created)


@require_POST
@programme_view
def withdraw(request: ProgrammeRequest, pk: int) -> HttpResponse:
    try:
        invitation = services.withdraw_invitation(request.programme, pk, request.user)
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("De uitnodiging voor %(name)s is ingetrokken; de code werkt niet meer.")
            % {"name": invitation.name},
        )
    return redirect("programme_invite", slug=request.programme.slug)
