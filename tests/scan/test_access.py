"""Who sees what: HR roles everything with n; others suppressed figures; outsiders nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.organisations.models import Role
from koers.scan.models import Snapshot, Upload
from koers.scan.services import store_snapshot
from tests.pdftext import fetch_pdf
from tests.scan.conftest import REF, text_of


@pytest.fixture
def snapshot(org_a: Any, good_file: bytes) -> Snapshot:
    raw = read_table(good_file, filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    return store_snapshot(org_a, REF, checked.employees, filename="x.csv")


def _dashboard(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("scan_home", kwargs={"org": "alpha"}))


def test_hr_sees_every_figure_with_n_salaries_and_the_category_report(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    response = _dashboard(client, hr_user)
    assert response.status_code == 200
    page = text_of(response)
    assert "Gemiddelde beloning (alleen zichtbaar voor HR)" in page
    assert "Bruto uurloon" in page
    assert "Loonkloof per categorie werknemers" in page
    r = response.context["r"]
    assert r["hr"] is True
    assert all(row["n_total"] is not None for row in r["management"])
    assert r["pay"]["categories"]["rows"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.WORKS_COUNCIL, Role.RESEARCHER])
def test_other_roles_see_suppressed_figures_and_no_category_table(
    client: Any, member_of: Any, snapshot: Snapshot, role: str
) -> None:
    response = _dashboard(client, member_of(role))
    assert response.status_code == 200
    page = text_of(response)
    r = response.context["r"]
    assert r["hr"] is False
    assert "Loonkloof per categorie werknemers" not in page
    assert "Bruto uurloon" not in page
    assert r["pay"]["categories"]["rows"] is None
    assert r["pay"]["means"] is None
    board = next(row for row in r["management"] if row["key"] == "board")
    assert board["hidden"]
    assert board["n_female"] is None
    assert "niet getoond" in page
    # Every count shown to them is 0 or at least k.
    k = r["k"]
    for table in (r["pipeline"], r["management"], r["technical"]):
        for row in table:
            for key in ("n_female", "n_male", "n_other"):
                assert row[key] is None or row[key] == 0 or row[key] >= k


def test_other_roles_cannot_reach_the_upload_steps(client: Any, bob: Any, org_a: Any) -> None:
    upload = Upload.objects.create(organisation=org_a, filename="x.csv", reference_date=REF)
    client.force_login(bob)
    assert client.get(reverse("scan_upload_new", kwargs={"org": "alpha"})).status_code == 403
    for name in ("scan_upload", "scan_upload_mapping", "scan_upload_problems"):
        url = reverse(name, kwargs={"org": "alpha", "pk": upload.pk})
        assert client.get(url).status_code == 403


def test_the_confidential_adviser_has_no_scan(
    client: Any, member_of: Any, snapshot: Snapshot
) -> None:
    response = _dashboard(client, member_of(Role.CONFIDENTIAL_ADVISER))
    assert response.status_code == 403


def test_charlie_of_another_organisation_gets_404(
    client: Any, charlie: Any, snapshot: Snapshot
) -> None:
    client.force_login(charlie)
    for name, kwargs in (
        ("scan_home", {}),
        ("scan_snapshot", {"pk": snapshot.pk}),
        ("scan_snapshot_pdf", {"pk": snapshot.pk}),
    ):
        call = client.post if name == "scan_snapshot_pdf" else client.get
        response = call(reverse(name, kwargs={"org": "alpha", **kwargs}))
        assert response.status_code == 404
    # Nor through their own organisation's URLs.
    response = client.get(reverse("scan_snapshot", kwargs={"org": "beta", "pk": snapshot.pk}))
    assert response.status_code == 404


def test_a_manager_asking_for_the_internal_pdf_gets_the_shareable_one(
    client: Any, bob: Any, snapshot: Snapshot, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(bob)
    url = reverse("scan_snapshot_pdf", kwargs={"org": "alpha", "pk": snapshot.pk})
    response = fetch_pdf(client, url + "?variant=intern", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "deelbaar" in response["Content-Disposition"]


def test_the_empty_scan_invites_hr_to_upload(client: Any, hr_user: Any, bob: Any) -> None:
    response = _dashboard(client, hr_user)
    assert "HR-bestand uploaden" in text_of(response)
    response = _dashboard(client, bob)
    assert "Er is nog geen nulmeting" in text_of(response)


def test_hr_deletes_a_snapshot_only_when_confirmed(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    client.force_login(hr_user)
    url = reverse("scan_snapshot_delete", kwargs={"org": "alpha", "pk": snapshot.pk})
    client.post(url)
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()
    client.post(url, {"confirm": "1"})
    assert not Snapshot.objects.filter(pk=snapshot.pk).exists()


def test_the_flows_period_can_be_chosen_and_is_checked(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    client.force_login(hr_user)
    url = reverse("scan_snapshot", kwargs={"org": "alpha", "pk": snapshot.pk})
    response = client.get(url, {"start": "2026-01-01", "end": "2026-06-30"})
    assert str(response.context["r"]["flows"]["start"]) == "2026-01-01"
    response = client.get(url, {"start": "2026-01-01", "end": "2026-12-31"})
    assert "kan niet na de peildatum" in text_of(response)
    assert str(response.context["r"]["flows"]["start"]) == "2025-06-30"


def test_the_dashboard_renders_in_english_with_a_decimal_point(
    client: Any, hr_user: Any, snapshot: Snapshot
) -> None:
    from django.conf import settings

    client.force_login(hr_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("scan_home", kwargs={"org": "alpha"}))
    assert response.status_code == 200
    mean = response.context["r"]["pay"]["indicators"][0]["value"]
    assert f"{mean:.1f}%" in text_of(response)
    titles = [f["title"] for f in response.context["r"]["findings"]]
    assert titles
    assert all(t.isascii() for t in titles)
