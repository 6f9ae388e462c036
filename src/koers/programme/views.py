"""Pages: the organisation's programme page and the programme office's dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.programme import figures, profiles, services
from koers.programme.access import ProgrammeRequest, programme_view
from koers.programme.forms import ShareForm
from koers.programme.models import Participation, Sector, SizeClass


def _lang() -> str:
    return (get_language() or "nl")[:2]


def _org_context(request: OrgRequest, forms: dict[int, ShareForm] | None = None) -> dict[str, Any]:
    items = []
    for p in services.participations_of(request.organisation):
        initial = {name: getattr(p, name) for name in services.SHARE_FIELDS}
        initial["sector"] = p.sector or Sector.OTHER
        form = (forms or {}).get(p.pk) or ShareForm(initial=initial, prefix=f"p{p.pk}")
        items.append(
            {
                "p": p,
                "form": form,
                "benchmark": figures.benchmark(p, lang=_lang()) if p.is_active else None,
                "profiles": profiles.shared_by(p, _lang()) if p.share_compass else [],
                "log": services.query_log(p.programme, 20) if p.status != p.Status.INVITED else [],
            }
        )
    return {"items": items, "manage": can(request, "programme.manage")}


@org_view("programme.view")
def org_page(request: OrgRequest) -> HttpResponse:
    audit.record(request.organisation, request.user, "programme.view")
    return render(request, "programme/org.html", _org_context(request))


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
