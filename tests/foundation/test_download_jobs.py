"""Files made in the background (koers.jobs.downloads): progress, a download for the asker
only. A PDF here; the research export in tests/surveys/test_export_job.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from koers.jobs import downloads
from koers.jobs.models import Job, StoredDownload
from koers.lib import hooks
from koers.organisations.access import OrgRequest, org_view
from koers.organisations.models import Membership

BUILT: list[dict[str, Any]] = []


def _build(
    request: OrgRequest, args: dict[str, Any], progress: Callable[[int, str], None]
) -> tuple[bytes, str]:
    progress(50, "halverwege")
    BUILT.append({"role": request.membership.role, "args": args, "query": request.GET.dict()})
    return b"%PDF-1.7 " + request.membership.role.encode(), "proef.pdf"


@org_view("organisation.view")
def _start(request: OrgRequest) -> Any:
    return downloads.start(request, "test.pdf", {"x": 1}, back="/terug/")


@pytest.fixture
def builder() -> Iterator[None]:
    # The HR-only permission: a PDF with every figure and its n.
    hooks.download_builders.register(
        "test.pdf", hooks.DownloadBuilder("scan.view_all_figures", _build)
    )
    BUILT.clear()
    yield
    hooks.download_builders._items.pop("test.pdf", None)


def _ask(rf: Any, user: Any, capture: Any, query: str = "") -> Job:
    request = rf.post(f"/o/alpha/x/?{query}")
    request.user = user
    request.session = {}
    with capture(execute=True):
        response: HttpResponse = _start(request, org="alpha")
    assert response.status_code == 302
    job = Job.objects.get(kind="download", created_by=user)
    assert response["Location"] == reverse("download_job", kwargs={"org": "alpha", "pk": job.pk})
    return job


def _urls(job: Job) -> tuple[str, str, str]:
    kwargs = {"org": "alpha", "pk": job.pk}
    return (
        reverse("download_job", kwargs=kwargs),
        reverse("download_job_status", kwargs=kwargs),
        reverse("download_file", kwargs=kwargs),
    )


@pytest.mark.usefixtures("builder")
def test_the_asker_sees_progress_then_downloads_the_pdf_uncached(
    client: Any, rf: Any, member_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hr = member_of("hr_analyst")
    job = _ask(rf, hr, django_capture_on_commit_callbacks, query="periode=2026")
    assert BUILT == [{"role": "hr_analyst", "args": {"x": 1}, "query": {"periode": "2026"}}]
    page, status, download = _urls(job)
    client.force_login(hr)
    shown = client.get(page)
    html = shown.content.decode()
    assert '<progress id="pdf-progress" max="100" value="100">' in html
    assert 'aria-live="polite"' in html
    assert download in html
    assert "/terug/" in html
    assert shown["Cache-Control"] == "no-store"
    assert "result" not in client.get(status).json()
    pdf = client.get(download)
    assert pdf.content == b"%PDF-1.7 hr_analyst"
    assert pdf["Cache-Control"] == "no-store"
    assert 'filename="proef.pdf"' in pdf["Content-Disposition"]


@pytest.mark.usefixtures("builder")
def test_a_running_job_refreshes_itself_without_javascript(
    client: Any, member_of: Any, org_a: Any
) -> None:
    hr = member_of("hr_analyst")
    job = Job.objects.create(
        organisation=org_a,
        kind="download",
        created_by=hr,
        status=Job.Status.RUNNING,
        progress=40,
        params={"builder": "test.pdf", "role": "hr_analyst"},
    )
    client.force_login(hr)
    html = client.get(_urls(job)[0]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert 'value="40"' in html
    assert "data-job-status-url" in html
    assert client.get(_urls(job)[2]).status_code == 404  # nothing to download yet


@pytest.mark.usefixtures("builder")
def test_nobody_else_gets_the_pdf_not_even_the_same_role_or_an_admin(
    client: Any, rf: Any, member_of: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hr = member_of("hr_analyst")
    job = _ask(rf, hr, django_capture_on_commit_callbacks)
    second = Membership.objects.create(
        user=_user("hr2@alpha.example"), organisation=job.organisation, role="hr_analyst"
    ).user
    for someone in (second, alice):  # another HR analyst; the admin
        client.force_login(someone)
        for url in _urls(job):
            assert client.get(url).status_code == 404, (someone, url)


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=email, email=email, password="x")


@pytest.mark.usefixtures("builder")
def test_a_pdf_made_for_hr_is_not_handed_over_after_a_role_change(
    client: Any, rf: Any, member_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hr = member_of("hr_analyst")
    job = _ask(rf, hr, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=hr).update(role="manager")
    client.force_login(hr)
    for url in _urls(job):
        assert client.get(url).status_code == 404, url
    # Back in a role that holds the permission but not the one it was made for: still no.
    Membership.objects.filter(user=hr).update(role="admin")
    assert client.get(_urls(job)[2]).status_code == 404


@pytest.mark.usefixtures("builder")
def test_a_role_without_the_builders_permission_cannot_ask(
    rf: Any, member_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.http import Http404

    manager = member_of("manager")
    request = rf.post("/o/alpha/x/")
    request.user = manager
    request.session = {}
    with pytest.raises(Http404):
        _start(request, org="alpha")
    assert not Job.objects.filter(kind="download").exists()


@pytest.mark.usefixtures("builder")
def test_the_job_refuses_when_the_role_changed_before_it_ran(
    rf: Any, member_of: Any, org_a: Any
) -> None:
    from koers.jobs.tasks import run_job

    hr = member_of("hr_analyst")
    job = Job.objects.create(
        organisation=org_a,
        kind="download",
        created_by=hr,
        params={"builder": "test.pdf", "role": "hr_analyst", "language": "nl"},
    )
    Membership.objects.filter(user=hr).update(role="manager")
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "rol is veranderd" in job.message
    assert not StoredDownload.objects.exists()
    assert BUILT == []


@pytest.mark.usefixtures("builder")
def test_a_stored_pdf_expires_and_is_deleted(
    client: Any,
    rf: Any,
    member_of: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.KOERS_PDF_KEEP_MINUTES = 30
    hr = member_of("hr_analyst")
    job = _ask(rf, hr, django_capture_on_commit_callbacks)
    stored = StoredDownload.objects.get(job=job)
    assert dt.timedelta(minutes=29) < stored.expires - timezone.now() <= dt.timedelta(minutes=30)
    StoredDownload.objects.filter(pk=stored.pk).update(
        expires=timezone.now() - dt.timedelta(seconds=1)
    )
    client.force_login(hr)
    assert client.get(_urls(job)[2]).status_code == 404
    assert "niet meer te downloaden" in client.get(_urls(job)[0]).content.decode()
    # The next PDF asked for deletes it.
    _ask(rf, member_of("admin"), django_capture_on_commit_callbacks)
    assert not StoredDownload.objects.filter(pk=stored.pk).exists()
    assert StoredDownload.objects.count() == 1


@pytest.mark.usefixtures("builder")
def test_the_retention_rule_removes_what_is_left(
    rf: Any, member_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from koers.organisations.retention import enforce

    job = _ask(rf, member_of("hr_analyst"), django_capture_on_commit_callbacks)
    assert enforce(timezone.localdate())["generated_pdfs"] == 0
    StoredDownload.objects.filter(job=job).update(created=timezone.now() - dt.timedelta(days=2))
    assert enforce(timezone.localdate())["generated_pdfs"] == 1
    assert not StoredDownload.objects.exists()
