"""Campaign management for HR analysts and admins (and researchers for their studies)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.jobs import downloads
from koers.jobs.services import start_job
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.surveys import services
from koers.surveys.forms import CampaignForm, InviteForm
from koers.surveys.models import Campaign, Invitation


def _campaign(request: OrgRequest, pk: int) -> Campaign:
    campaign: Campaign = get_object_or_404(Campaign.objects.for_org(request.organisation), pk=pk)
    return campaign


# Managers see campaigns (to reach the team scan) but cannot create or change them.
@org_view("campaigns.view")
def campaign_list(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    can_manage = can(request, "campaigns.manage")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("managers cannot create campaigns")
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            campaign = form.save(commit=False)
            campaign.organisation = org
            campaign.created_by = request.user if request.user.is_authenticated else None
            campaign.save()
            messages.success(request, _("Campagne aangemaakt."))
            return redirect("campaign_detail", org=org.slug, pk=campaign.pk)
    else:
        form = CampaignForm()
    campaigns = [(c, services.campaign_counts(c)) for c in Campaign.objects.for_org(org)]
    return render(
        request,
        "surveys/campaign_list.html",
        {"campaigns": campaigns, "form": form if can_manage else None},
    )


@org_view("campaigns.view")
def campaign_detail(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    open_link = request.build_absolute_uri(
        reverse("campaign_landing", kwargs={"token": campaign.public_token})
    )
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": services.campaign_counts(campaign),
            "open_link": open_link if campaign.mode == Campaign.Mode.OPEN_LINK else None,
            "invite_form": InviteForm(),
        },
    )


@require_POST
@org_view("campaigns.manage")
def campaign_invite(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = InviteForm(request.POST)
    if campaign.mode != Campaign.Mode.INVITATIONS or campaign.closed:
        messages.error(request, _("Deze campagne verstuurt geen uitnodigingen."))
        return redirect("campaign_detail", org=campaign.organisation.slug, pk=pk)
    if not form.is_valid():
        return render(
            request,
            "surveys/campaign_detail.html",
            {
                "campaign": campaign,
                "counts": services.campaign_counts(campaign),
                "invite_form": form,
            },
            status=400,
        )
    if form.bad_lines and request.POST.get("confirm") != "yes":
        # Some lines are not addresses: show which and why; the good ones go after a yes.
        return render(
            request,
            "surveys/invite_check.html",
            {
                "campaign": campaign,
                "bad_lines": form.bad_lines,
                "good": form.cleaned_data["emails"],
                "raw": form.data["emails"],
            },
        )
    created = services.invite(campaign, form.cleaned_data["emails"])
    job = start_job(
        campaign.organisation,
        "surveys.send_invitations",
        {"invitation_ids": [i.pk for i in created]},
        user=request.user,
    )
    audit.record(
        campaign.organisation,
        request.user,
        "campaign.invite",
        campaign,
        {"sent": len(created), "skipped_lines": len(form.bad_lines)},
    )
    messages.success(request, _("%(n)d uitnodigingen worden verstuurd.") % {"n": len(created)})
    return redirect("job", org=campaign.organisation.slug, pk=job.pk)


@require_POST
@org_view("campaigns.manage")
def campaign_remind(request: OrgRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    ids = list(
        Invitation.objects.filter(campaign=campaign, completed=False)
        .exclude(secret_encrypted="")
        .values_list("pk", flat=True)
    )
    job = start_job(
        campaign.organisation,
        "surveys.send_invitations",
        {"invitation_ids": ids, "reminder": True},
        user=request.user,
    )
    return redirect("job", org=campaign.organisation.slug, pk=job.pk)


@require_POST
@org_view("campaigns.manage")
def campaign_close(request: OrgRequest, pk: int) -> HttpResponse:
    """Close a campaign, after a confirmation step (the first POST shows it)."""
    campaign = _campaign(request, pk)
    slug = campaign.organisation.slug
    if campaign.closed:
        messages.error(request, _("Deze campagne is al gesloten."))
        return redirect("campaign_detail", org=slug, pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "confirm.html",
            {
                "title": _("Campagne sluiten"),
                "question": _("Wil je de campagne ‘%(name)s’ echt sluiten?")
                % {"name": campaign.name},
                "consequences": [
                    _("De campagne neemt geen antwoorden meer aan, ook niet van wie al begon."),
                    _("Bewaarde links van uitnodigingen worden gewist."),
                    _("Dit kan niet ongedaan worden gemaakt."),
                ],
                "action": reverse("campaign_close", kwargs={"org": slug, "pk": pk}),
                "confirm_label": _("Ja, sluit de campagne"),
                "cancel_url": reverse("campaign_detail", kwargs={"org": slug, "pk": pk}),
            },
        )
    services.close_campaign(campaign)
    audit.record(campaign.organisation, request.user, "campaign.close", campaign)
    messages.success(request, _("Campagne gesloten; bewaarde links van uitnodigingen zijn gewist."))
    return redirect("campaign_detail", org=slug, pk=pk)


@require_POST
@org_view("campaigns.export")
def campaign_export(request: OrgRequest, pk: int, fmt: str) -> HttpResponse:
    """Start the research export (researcher role only) as a background download
    (koers.jobs.downloads); refused below k finished responses."""
    from koers.surveys import export

    campaign = _campaign(request, pk)
    if fmt not in export.FORMATS:
        raise Http404("unknown export format")
    k = settings.KOERS_MIN_GROUP_SIZE
    if campaign.responses.filter(finished_on__isnull=False).count() < k:
        messages.error(
            request, _("Exporteren kan pas bij minstens %(k)d afgeronde antwoorden.") % {"k": k}
        )
        return redirect("campaign_detail", org=campaign.organisation.slug, pk=pk)
    audit.record(campaign.organisation, request.user, f"campaign.export.{fmt}", campaign)
    back = reverse("campaign_detail", kwargs={"org": campaign.organisation.slug, "pk": pk})
    return downloads.start(request, f"surveys.export.{fmt}", {"campaign": campaign.pk}, back=back)
