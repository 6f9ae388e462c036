"""The targets pages: progress with what it would take on the demo scan, the form, the
sub-top versions, and who sees which figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.scan.demo import load_demo_scan
from koers.targets.demo import load_demo_targets
from koers.targets.models import SubTopDefinition, Target
from tests.conftest import PASSWORD


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_targets(org_a)
    return org_a


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": org.slug, **kwargs})


@pytest.mark.django_db
def test_hr_sees_every_demo_target_with_a_verdict(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(url("targets_list", demo))
    html = page.content.decode()
    assert page.status_code == 200
    for target in Target.objects.for_org(demo):
        assert target.label() in html
    assert html.count('class="target-verdict"') == Target.objects.for_org(demo).count()
    assert "Zo rekent Koers" in html
    assert "Nog geen Gender Scan" not in html
    # A projection chart (with its table) for each sub-top and level target.
    assert html.count("<polyline") >= 3
    assert "Als tabel" in html


@pytest.mark.django_db
def test_the_works_council_reads_targets_without_figures_of_small_groups(client, demo, member_of):
    login(client, member_of, Role.WORKS_COUNCIL)
    html = client.get(url("targets_list", demo)).content.decode()
    # The board (1 woman, 3 men) is under k for a viewer outside HR; level 10 is not.
    assert "Deze groep is te klein om cijfers te tonen buiten HR." in html
    assert "Haalbaar, maar niet vanzelf" in html
    assert "Streefcijfer toevoegen" not in html
    assert "Wijzigen" not in html
    assert client.get(url("targets_new", demo)).status_code == 403


@pytest.mark.django_db
def test_another_organisation_cannot_open_or_change_targets(client, demo, charlie):
    client.login(username=charlie.username, password=PASSWORD)
    target = Target.objects.for_org(demo).first()
    assert client.get(url("targets_list", demo)).status_code == 404
    response = client.post(url("targets_delete", demo, pk=target.pk), {"confirm": "yes"})
    assert response.status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_without_a_scan_the_page_asks_for_one(client, org_a, member_of):
    Target.objects.create(
        organisation=org_a, population="inflow", target_share=30, target_year=2028
    )
    login(client, member_of, Role.HR_ANALYST)
    html = client.get(url("targets_list", org_a)).content.decode()
    assert "Nog geen Gender Scan" in html


@pytest.mark.django_db
def test_hr_adds_a_board_target_with_its_seats(client, org_a, member_of):
    login(client, member_of, Role.HR_ANALYST)
    response = client.post(
        url("targets_new", org_a),
        {
            "population": "board",
            "split": "all",
            "target_share": "33.3",
            "target_year": "2028",
            "seats_text": "M 30-06-2027\nM 2030-01-01\nvacature",
        },
    )
    assert response.status_code == 302
    target = Target.objects.for_org(org_a).get()
    assert target.seats == [
        {"holder": "M", "term_ends": "2027-06-30"},
        {"holder": "M", "term_ends": "2030-01-01"},
        {"holder": None, "term_ends": None},
    ]
    html = client.get(url("targets_list", org_a)).content.decode()
    # Without a scan the seats entered are used: 2 of 3 come free by the end of 2028.
    assert "Van de 2 zetels die vóór eind 2028 vrijkomen, moeten er 1 naar een vrouw gaan." in html
    edit = client.get(url("targets_edit", org_a, pk=target.pk)).content.decode()
    assert "M 30-06-2027" in edit


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"population": "job_level"}, "job_level", "Kies bij een functieniveau welk niveau."),
        ({"population": "subtop"}, "subtop_name", "Kies een subtopcategorie"),
        ({"seats_text": "Q 2027-01-01", "population": "board"}, "seats_text", "Regel 1"),
        ({"seats_text": "V 31-02-2027", "population": "board"}, "seats_text", "geen datum"),
        ({"seats_text": "V", "population": "inflow"}, "seats_text", "Zetels horen alleen"),
        ({"target_share": "120"}, "target_share", ""),
        ({"target_year": "1990"}, "target_year", "tussen 2000 en 2100"),
    ],
)
@pytest.mark.django_db
def test_a_wrong_target_is_refused_with_the_field_named(
    client, org_a, member_of, data, field, message
):
    login(client, member_of, Role.HR_ANALYST)
    values = {"population": "inflow", "split": "all", "target_share": "30", "target_year": "2028"}
    values.update(data)
    response = client.post(url("targets_new", org_a), values)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not Target.objects.for_org(org_a).exists()


@pytest.mark.django_db
def test_a_changed_subtop_definition_is_a_new_version(client, org_a, member_of):
    login(client, member_of, Role.HR_ANALYST)
    subtop = url("targets_subtop", org_a)
    client.post(subtop, {"name": "Leiding", "job_levels": "12, 11", "job_families": ""})
    client.post(subtop, {"name": "Leiding", "job_levels": "11,12", "job_families": ""})  # same
    client.post(subtop, {"name": "Leiding", "job_levels": "11, 12, 13", "job_families": ""})
    versions = list(
        SubTopDefinition.objects.for_org(org_a)
        .order_by("version")
        .values_list("version", "job_levels")
    )
    assert versions == [(1, ["11", "12"]), (2, ["11", "12", "13"])]
    empty = client.post(subtop, {"name": "Leeg", "job_levels": "", "job_families": ""})
    assert "Noem minstens één functieniveau" in empty.content.decode()


@pytest.mark.django_db
def test_a_target_uses_the_latest_subtop_version(org_a):
    from koers.targets.data import selection_of

    SubTopDefinition.objects.create(organisation=org_a, name="L", version=1, job_levels=["12"])
    SubTopDefinition.objects.create(organisation=org_a, name="L", version=2, job_levels=["13"])
    target = Target.objects.create(
        organisation=org_a, population="subtop", subtop_name="L", target_share=30, target_year=2028
    )
    assert selection_of(target).job_levels == ("13",)


@pytest.mark.django_db
def test_hr_deletes_a_target_after_confirming(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    target = Target.objects.for_org(demo).first()
    first = client.post(url("targets_delete", demo, pk=target.pk))
    assert "Wil je het streefcijfer" in first.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    client.post(url("targets_delete", demo, pk=target.pk), {"confirm": "yes"})
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_the_demo_loader_runs_once(demo):
    n = Target.objects.for_org(demo).count()
    assert n == 7
    assert load_demo_targets(demo) == ""
    assert Target.objects.for_org(demo).count() == n


@pytest.mark.django_db
def test_the_list_page_needs_few_queries(client, demo, member_of, django_assert_max_num_queries):
    login(client, member_of, Role.HR_ANALYST)
    # session, user, membership, targets, the snapshot once (koers.targets.data caches it
    # for the page), a sub-top definition per sub-top target, the definitions, the audit.
    with django_assert_max_num_queries(11):
        assert client.get(url("targets_list", demo)).status_code == 200


@pytest.mark.django_db
def test_targets_read_the_current_version_of_the_latest_snapshot_not_a_pending_one(demo):
    import datetime as dt

    from koers.scan.models import Snapshot
    from koers.targets.data import population_inputs

    target = Target.objects.for_org(demo).first()
    current = Snapshot.objects.current_for(demo).first()
    before = population_inputs(demo, target)
    # A later file waiting for confirmation (pending) must not be read yet.
    pending = Snapshot.objects.get(pk=current.pk)
    pending.pk = None
    pending.reference_date = current.reference_date + dt.timedelta(days=400)
    pending.status = Snapshot.Status.PENDING
    pending.save()
    assert population_inputs(demo, target) == before
