"""Members of an organisation: invite by e-mail, resend, revoke, remove; accept a link.

Every page here is for the organisation admin (``org_view("members.manage")``), except
:func:`accept`, which the invitee opens from the e-mail. The work is done by
:mod:`koers.organisations.invitations`; these views only show it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from koers.lib import ratelimit
from koers.organisations import invitations
from koers.organisations.access import OrgRequest, org_view
from koers.organisations.models import MemberInvitation, Membership
from koers.web.forms import InviteMemberForm, NewAccountForm, RoleForm


def members_page(
    request: OrgRequest, invite_form: InviteMemberForm | None = None, status: int = 200
) -> HttpResponse:
    org = request.organisation
    rows = Membership.objects.filter(organisation=org).select_related("user")
    forms = [(m, RoleForm(instance=m, prefix=f"m{m.pk}")) for m in rows]
    return render(
        request,
        "web/members.html",
        {
            "rows": forms,
            "min_group": settings.KOERS_MIN_GROUP_SIZE,
            "invite_form": invite_form or InviteMemberForm(),
            "invitations": invitations.pending(org),
            "valid_days": invitations.valid_days(),
        },
        status=status,
    )


def _sent(request: HttpRequest, invitation: MemberInvitation, token: str, done: str) -> None:
    if invitations.send(invitation, token):
        messages.success(request, done % {"email": invitation.email})
    else:
        messages.error(
            request,
            _(
                "De uitnodiging voor %(email)s staat klaar, maar de e-mail kon niet worden "
                "verstuurd. Probeer later ‘Opnieuw sturen’."
            )
            % {"email": invitation.email},
        )


@require_POST
@org_view("members.manage")
def member_invite(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = InviteMemberForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = invitations.invite(
                org, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except invitations.InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            _sent(request, invitation, token, _("Uitnodiging verstuurd naar %(email)s."))
            return redirect("members", org=org.slug)
    return members_page(request, form, status=400)


@require_POST
@org_view("members.manage")
def member_invite_resend(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    try:
        invitation, token = invitations.resend(org, pk, request.user)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        _sent(request, invitation, token, _("Nieuwe link verstuurd naar %(email)s."))
    return redirect("members", org=org.slug)


@require_POST
@org_view("members.manage")
def member_invite_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    try:
        invitation = invitations.revoke(org, pk, request.user)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("De uitnodiging voor %(email)s is ingetrokken; de link werkt niet meer.")
            % {"email": invitation.email},
        )
    return redirect("members", org=org.slug)


@require_POST
@org_view("members.manage")
def member_remove(request: OrgRequest, pk: int) -> HttpResponse:
    """Remove a member, after a confirmation step (the first POST shows it)."""
    org = request.organisation
    membership = Membership.objects.select_related("user").filter(organisation=org, pk=pk).first()
    if membership is None:
        messages.error(request, _("Dit lid bestaat niet (meer)."))
        return redirect("members", org=org.slug)
    if request.POST.get("confirm") != "yes":
        who = membership.user.get_full_name() or membership.user.email
        return render(
            request,
            "confirm.html",
            {
                "title": _("Lid verwijderen"),
                "question": _("Wil je %(who)s (%(role)s) echt uit %(org)s verwijderen?")
                % {"who": who, "role": membership.get_role_display(), "org": org.name},
                "consequences": [
                    _("Deze persoon kan de pagina's van de organisatie niet meer openen."),
                    _("Dit kan niet ongedaan worden gemaakt; je kunt wel opnieuw uitnodigen."),
                ],
                "action": reverse("member_remove", kwargs={"org": org.slug, "pk": pk}),
                "confirm_label": _("Ja, verwijder dit lid"),
                "cancel_url": reverse("members", kwargs={"org": org.slug}),
            },
        )
    try:
        invitations.remove_member(org, pk, request.user)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(email)s is geen lid meer.") % {"email": membership.user.email}
        )
    return redirect("members", org=org.slug)


# --- the invitee -------------------------------------------------------------------------


def _invalid(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "web/invite_invalid.html", {"reason": reason}, status=status)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: make an account (or use yours), then join the organisation."""
    if ratelimit.too_many_failures(request):
        return ratelimit.refused(request)
    invitation = invitations.find(token)
    if invitation is None:
        ratelimit.record_failure(request)
        return _invalid(request, "unknown", 404)
    state = invitation.state()
    if state != "pending":
        return _invalid(request, state, 410)
    existing = invitations.user_with_email(invitation.email)
    context: dict[str, Any] = {"invitation": invitation, "existing": existing}
    if existing is not None:
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                return _join(request, invitation, existing)
            return render(request, "web/invite_accept.html", {**context, "join": True})
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "web/invite_accept.html", context)
    if request.user.is_authenticated:
        return render(request, "web/invite_accept.html", {**context, "other_account": True})
    user = get_user_model()(username=invitation.email, email=invitation.email)
    form = NewAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            try:
                invitations.accept(invitation, user)
            except invitations.InvitationError as exc:
                transaction.set_rollback(True)
                return _invalid(request, str(exc), 410)
        return _join(request, invitation, user, new=True)
    return render(
        request,
        "web/invite_accept.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


def _join(
    request: HttpRequest, invitation: MemberInvitation, user: Any, new: bool = False
) -> HttpResponse:
    if not new:
        try:
            invitations.accept(invitation, user)
        except invitations.InvitationError as exc:
            return _invalid(request, str(exc), 410)
    else:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        _("Welkom bij %(org)s in Koers.") % {"org": invitation.organisation.name},
    )
    # The home page; the two-factor middleware first asks for an authenticator where the
    # role needs one (koers.accounts.middleware).
    return redirect("dashboard", org=invitation.organisation.slug)
