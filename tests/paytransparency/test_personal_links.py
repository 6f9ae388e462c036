"""Workers' personal links to the request desk (issue 17): HR makes one per worker of the
current snapshot as a CSV download; a link files a request for its worker without an employee
number; making them again replaces them; wrong links are 404 and count as guesses."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from koers.lib import ratelimit
from koers.organisations.models import AuditEvent, Membership, Role
from koers.paytransparency.demo import load_demo_paytransparency
from koers.paytransparency.models import InformationRequest, PersonalLink
from koers.scan.demo import load_demo_scan
from koers.scan.models import Snapshot
from koers.scan.services import pseudonymise
from tests.conftest import PASSWORD


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_paytransparency(org_a)
    return org_a


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


def page(org: Any) -> str:
    return reverse("paytransparency_personal_links", kwargs={"org": org.slug})


def snapshot_numbers(org: Any) -> dict[str, str]:
    """Employee number -> pseudonym for everyone in the current snapshot, found by trying the
    demo's numbering (10000 + n for staff, RVC001… for the board) against its pseudonyms."""
    ids = set(Snapshot.objects.current_for(org).defer(None).first().frame()["employee_id"])
    candidates = [str(10000 + n) for n in range(5000)] + [f"RVC{i:03d}" for i in range(1, 50)]
    found = {
        n: p
        for n, p in zip(candidates, pseudonymise(candidates, org.pseudonym_key), strict=True)
        if p in ids
    }
    assert set(found.values()) == ids  # every worker of the snapshot has a known number
    return found


def download(client: Any, org: Any, numbers: list[str]) -> list[list[str]]:
    response = client.post(page(org), {"numbers": "\n".join(numbers)})
    assert response.status_code == 200, response.content[:400]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


@pytest.mark.django_db
def test_hr_makes_one_working_link_per_worker_of_the_snapshot(client, demo, member_of):
    hr = login(client, member_of, Role.HR_ANALYST)
    numbers = snapshot_numbers(demo)
    rows = download(client, demo, list(numbers))
    assert rows[0] == ["employee_number", "personal_link"]
    assert len(rows) - 1 == len(numbers)
    assert {r[0] for r in rows[1:]} == set(numbers)
    assert PersonalLink.objects.for_org(demo).count() == len(numbers)
    stored = set(PersonalLink.objects.for_org(demo).values_list("worker", flat=True))
    assert stored == set(numbers.values())
    # only hashes are kept: no link's secret is in the database
    secret = urlparse(rows[1][1]).path.rstrip("/").rsplit("/", 1)[1]
    assert not PersonalLink.objects.filter(secret_hash=secret).exists()
    event = AuditEvent.objects.filter(organisation=demo, action="paytransparency.personal_links")
    assert event.get().user == hr
    assert event.get().target == str(len(numbers))
    html = client.get(page(demo)).content.decode()
    assert f"Er zijn {len(numbers)} persoonlijke links, gemaakt op" in html

    # the worker of row 5 files through the link: no employee-number field
    client.logout()
    number, link = rows[5]
    path = urlparse(link).path
    form = client.get(path)
    assert form.status_code == 200
    assert 'name="employee_number"' not in form.content.decode()
    assert 'name="language"' in form.content.decode()
    before = InformationRequest.objects.for_org(demo).count()
    done = client.post(path, {"language": "en"})
    assert done.status_code == 200
    assert "ontvangstcode" in done.content.decode().lower()
    made = InformationRequest.objects.for_org(demo).order_by("-pk").first()
    assert InformationRequest.objects.for_org(demo).count() == before + 1
    assert made.worker == pseudonymise([number], demo.pseudonym_key)[0] == numbers[number]
    assert (made.source, made.language, made.created_by) == ("worker", "en", None)
    assert made.code_hash


@pytest.mark.django_db
def test_making_links_again_replaces_the_old_ones(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    numbers = list(snapshot_numbers(demo))[:3]
    first = download(client, demo, numbers)
    second = download(client, demo, numbers)
    assert PersonalLink.objects.for_org(demo).count() == 3
    for (_n, old), (_m, new) in zip(first[1:], second[1:], strict=True):
        assert old != new
        assert client.get(urlparse(old).path).status_code == 404
        assert client.get(urlparse(new).path).status_code == 200


@pytest.mark.django_db
def test_numbers_outside_the_snapshot_are_refused_and_nothing_is_replaced(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    before = set(PersonalLink.objects.for_org(demo).values_list("secret_hash", flat=True))
    number = next(iter(snapshot_numbers(demo)))
    response = client.post(page(demo), {"numbers": f"{number}\nX-999"})
    assert response.status_code == 400
    assert (
        "1 personeelsnummer staat niet in de huidige nulmeting: X-999" in response.content.decode()
    )
    after = set(PersonalLink.objects.for_org(demo).values_list("secret_hash", flat=True))
    assert after == before


@pytest.mark.django_db
def test_a_wrong_link_is_404_and_counts_as_a_guess(client, demo):
    url = reverse("paytransparency_personal", kwargs={"secret": "not-a-link-" + "x" * 30})
    for _ in range(ratelimit.FAILED_LOOKUP_LIMIT):
        assert client.get(url).status_code == 404
    assert client.get(url).status_code == 429


@pytest.mark.django_db
def test_the_works_council_and_another_organisation_cannot_make_links(
    client, demo, member_of, charlie
):
    login(client, member_of, Role.WORKS_COUNCIL)
    assert client.get(page(demo)).status_code == 403
    assert client.post(page(demo), {"numbers": "10001"}).status_code == 403
    client.logout()
    client.login(username=charlie.username, password=PASSWORD)
    assert Membership.objects.get(user=charlie).role == Role.ADMIN
    assert client.post(page(demo), {"numbers": "10001"}).status_code == 404
    assert not AuditEvent.objects.filter(action="paytransparency.personal_links").exists()


@pytest.mark.django_db
def test_the_demo_has_a_few_personal_links(demo):
    assert PersonalLink.objects.for_org(demo).count() == 5


@pytest.mark.django_db
def test_without_a_snapshot_the_page_says_to_load_the_hr_file_first(client, org_b, charlie):
    client.login(username=charlie.username, password=PASSWORD)
    url = page(org_b)
    assert "laad eerst het HR-bestand" in client.get(url).content.decode()
    response = client.post(url, {"numbers": "10001"})
    assert response.status_code == 400
    assert "laad eerst het HR-bestand" in response.content.decode()
    assert not PersonalLink.objects.for_org(org_b).exists()
