"""Organisation B can never see or change anything of organisation A, through any URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from koers.jobs.models import Job
from koers.organisations.models import Membership, Role


def _org_url_patterns() -> list[tuple[str, list[str]]]:
    """Every URL under /o/<org>/ with the names of its other arguments."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("o/<slug:org>/") and p.name:
                args = [a for a in p.pattern.converters if a != "org"]
                found.append((p.name, args))

    walk(get_resolver().url_patterns, "")
    return found


ORG_URLS = _org_url_patterns()


def test_there_are_organisation_urls_to_check() -> None:
    names = {name for name, _ in ORG_URLS}
    assert {"dashboard", "members", "change_role", "job", "job_status"} <= names


@pytest.fixture
def job_of_a(org_a: Any) -> Job:
    return Job.objects.create(organisation=org_a, kind="selfcheck", result={"secret": 42})


@pytest.fixture
def objects_of_a(org_a: Any, alice: Any, job_of_a: Job) -> dict[str, int]:
    """One object of A per URL family, so every URL is tried on something that exists."""
    from koers.surveys.models import Campaign

    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Alpha campaign",
        instrument_key="career_compass",
        instrument_version=1,
        mode=Campaign.Mode.INVITATIONS,
    )
    from koers.compass.models import ReportShare
    from koers.surveys.models import Response

    response = Response.objects.create(
        campaign=campaign, access_hash="a" * 64, instrument_version=1
    )
    share = ReportShare.objects.create(response=response, user=alice)
    import datetime as dt

    from koers.scan.models import Snapshot, Upload

    day = dt.date(2026, 6, 30)
    upload = Upload.objects.create(
        organisation=org_a,
        filename="a.csv",
        reference_date=day,
        data=b"x",
        status=Upload.Status.INVALID,
        n_valid_rows=1,
        problems=[[3, "Geslacht", "x", "gender"]],
    )
    snapshot = Snapshot.objects.create(organisation=org_a, reference_date=day, data=b"x")
    from koers.reportbox import services as reportbox

    report = reportbox.receive(reportbox.box_of(org_a), "other", "Alpha Engineering report").report
    return {
        "scan_upload": upload.pk,
        "reportbox_report": report.pk,
        "scan_snapshot": snapshot.pk,
        "job": job_of_a.pk,
        "campaign": campaign.pk,
        "compass_shared": share.pk,
        "compass": campaign.pk,
        "": Membership.objects.get(user=alice).pk,
    }


def _pk_for(name: str, objects: dict[str, int]) -> int:
    prefix = next((p for p in objects if p and name.startswith(p)), "")
    return objects[prefix]


def _url_for(name: str, args: list[str], org: str, pk: int) -> str:
    return reverse(name, kwargs={"org": org, **dict.fromkeys(args, pk)})


@pytest.mark.parametrize(("name", "args"), ORG_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404_on_every_organisation_url(
    client: Any,
    charlie: Any,
    alice: Any,
    objects_of_a: dict[str, int],
    name: str,
    args: list[str],
    method: str,
) -> None:
    from koers.surveys.models import Campaign

    client.force_login(charlie)
    target_pk = _pk_for(name, objects_of_a)
    url = _url_for(name, args, "alpha", target_pk)
    response = getattr(client, method)(
        url, {f"m{target_pk}-role": Role.RESEARCHER, "emails": "x@example.org", "name": "Hack"}
    )
    assert response.status_code in (404, 405)
    assert b"Alpha Engineering" not in response.content
    # Nothing of A changed.
    assert Membership.objects.get(user=alice).role == Role.ADMIN
    assert Job.objects.filter(organisation__slug="alpha").count() == 1
    campaign = Campaign.objects.get(pk=objects_of_a["campaign"])
    assert not campaign.closed
    assert not campaign.invitations.exists()
    assert Campaign.objects.count() == 1


def test_outsider_cannot_reach_a_job_of_a_through_their_own_organisation(
    client: Any, charlie: Any, job_of_a: Job
) -> None:
    client.force_login(charlie)
    response = client.get(reverse("job_status", kwargs={"org": "beta", "pk": job_of_a.pk}))
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_outsider_cannot_change_a_membership_of_a_through_their_own_organisation(
    client: Any, charlie: Any, alice: Any
) -> None:
    client.force_login(charlie)
    pk = Membership.objects.get(user=alice).pk
    response = client.post(
        reverse("change_role", kwargs={"org": "beta", "pk": pk}), {f"m{pk}-role": "researcher"}
    )
    assert response.status_code == 404
    assert Membership.objects.get(pk=pk).role == Role.ADMIN


def test_outsider_cannot_join_a_to_a_programme_with_a_valid_code(
    client: Any, charlie: Any, org_a: Any, org_b: Any
) -> None:
    """The walk above posts to the code page too; here with a code that works."""
    from koers.programme import services
    from koers.programme.models import Participation, Programme

    programme = Programme.objects.create(name="Pilot", slug="pilot")
    invitation, code = services.create_invitation(programme, "Alpha", None)
    client.force_login(charlie)
    response = client.post(reverse("programme_code", kwargs={"org": "alpha"}), {"code-code": code})
    assert response.status_code == 404
    assert b"Alpha Engineering" not in response.content
    assert not Participation.objects.filter(organisation=org_a).exists()
    invitation.refresh_from_db()
    assert invitation.state() == "open"
    # Through charlie's own organisation the code joins Beta, never Alpha.
    response = client.post(reverse("programme_code", kwargs={"org": "beta"}), {"code-code": code})
    assert response.status_code == 302
    assert Participation.objects.get(programme=programme).organisation == org_b


@pytest.mark.parametrize(("name", "args"), ORG_URLS)
def test_anonymous_visitors_are_sent_to_login(
    client: Any, org_a: Any, job_of_a: Job, name: str, args: list[str]
) -> None:
    response = client.get(_url_for(name, args, "alpha", job_of_a.pk))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_member_sees_own_dashboard(client: Any, bob: Any) -> None:
    client.force_login(bob)
    response = client.get(reverse("dashboard", kwargs={"org": "alpha"}))
    assert response.status_code == 200
    assert b"Alpha Engineering" in response.content


def test_member_without_admin_role_cannot_manage_members(client: Any, bob: Any) -> None:
    client.force_login(bob)
    assert client.get(reverse("members", kwargs={"org": "alpha"})).status_code == 403
    own = Membership.objects.get(user=bob)
    response = client.post(
        reverse("change_role", kwargs={"org": "alpha", "pk": own.pk}), {f"m{own.pk}-role": "admin"}
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=own.pk).role == Role.MANAGER


def test_manager_cannot_read_background_jobs(client: Any, bob: Any, job_of_a: Job) -> None:
    client.force_login(bob)
    url = reverse("job_status", kwargs={"org": "alpha", "pk": job_of_a.pk})
    assert client.get(url).status_code == 403


def test_admin_changes_a_role_in_own_organisation(client: Any, alice: Any, bob: Any) -> None:
    client.force_login(alice)
    pk = Membership.objects.get(user=bob).pk
    response = client.post(
        reverse("change_role", kwargs={"org": "alpha", "pk": pk}), {f"m{pk}-role": "hr_analyst"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=pk).role == Role.HR_ANALYST


def test_last_admin_cannot_demote_themself(client: Any, alice: Any) -> None:
    client.force_login(alice)
    pk = Membership.objects.get(user=alice).pk
    client.post(
        reverse("change_role", kwargs={"org": "alpha", "pk": pk}), {f"m{pk}-role": "manager"}
    )
    assert Membership.objects.get(pk=pk).role == Role.ADMIN


def test_tenant_manager_returns_only_the_organisations_rows(org_a: Any, org_b: Any) -> None:
    Job.objects.create(organisation=org_a, kind="selfcheck")
    Job.objects.create(organisation=org_b, kind="selfcheck")
    assert {j.organisation_id for j in Job.objects.for_org(org_a)} == {org_a.pk}
