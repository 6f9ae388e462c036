"""The Art. 9 report's figures are kept per snapshot, viewer side and category version."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from koers.paytransparency import services
from koers.paytransparency.demo import load_demo_paytransparency
from koers.paytransparency.models import CategoryScheme
from koers.paytransparency.report import build_report
from koers.scan.demo import load_demo_scan
from koers.scan.models import Snapshot
from koers.stats.disclosure import Discloser


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_paytransparency(org_a)
    return org_a


def _built(org: Any, hr: bool) -> Any:
    snapshot = services.current_snapshot(org)
    assert snapshot is not None
    mapping = services.category_of(org)
    scheme = services.current_scheme(org)
    return build_report(
        snapshot.frame(),
        snapshot.reference_date,
        Discloser(hr, 5),
        mapping=mapping,
        scheme_version=scheme.version if scheme else None,
    )


@pytest.mark.django_db
def test_the_kept_report_is_the_built_one_and_a_second_view_reads_no_rows(
    demo, monkeypatch, settings
) -> None:
    settings.KOERS_MIN_GROUP_SIZE = 5
    with translation.override("nl"):
        expected = {hr: _built(demo, hr) for hr in (True, False)}
        for hr in (True, False):
            assert services.art9_report(demo, hr)[2] == expected[hr]

        def no_rows(self: Snapshot) -> Any:
            raise AssertionError("the snapshot's rows were read again")

        monkeypatch.setattr(Snapshot, "frame", no_rows)
        for hr in (True, False):
            assert services.art9_report(demo, hr)[2] == expected[hr]
    # HR and the works council keep different figures
    assert expected[True] != expected[False]


@pytest.mark.django_db
def test_a_new_category_version_or_a_deleted_snapshot_is_not_served_from_the_cache(
    demo,
) -> None:
    snapshot, scheme, before = services.art9_report(demo, True)
    assert snapshot is not None
    assert scheme is not None
    # a new version that puts every job in one category: other figures, built anew
    CategoryScheme.objects.create(
        organisation=demo,
        version=scheme.version + 1,
        weights=scheme.weights,
        jobs={job: {**value, "category": "Alles"} for job, value in scheme.jobs.items()},
    )
    after = services.art9_report(demo, True)[2]
    assert after != before
    assert after == _built(demo, True)
    # deleting the snapshot takes its figures out of the cache: nothing is served for it
    pk = snapshot.pk
    Snapshot.objects.filter(pk=pk).delete()
    newer = services.art9_report(demo, True)[0]
    assert newer is None or newer.pk != pk
    from koers.scan import report_cache

    assert report_cache.cache.get(report_cache._index(pk)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "paytransparency",
        "paytransparency_assessments",
        "paytransparency_remediation",
        "paytransparency_categories_edit",
        "paytransparency_personal_links",
        "paytransparency_report_json",
    ],
)
def test_a_second_view_of_a_desk_page_does_not_read_the_snapshot_again(
    client, demo, member_of, monkeypatch, page
) -> None:
    from django.urls import reverse

    from koers.organisations.models import Role
    from tests.conftest import PASSWORD

    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    address = reverse(page, kwargs={"org": demo.slug})
    first = client.get(address)
    assert first.status_code == 200

    def no_rows(self: Snapshot) -> Any:
        raise AssertionError("the snapshot's rows were read again")

    monkeypatch.setattr(Snapshot, "frame", no_rows)
    again = client.get(address)
    assert again.status_code == 200
    if page.endswith("_json"):  # HTML pages differ in their form tokens
        assert again.content == first.content
