"""The pay transparency desk in the web: the Art. 9 report and its downloads, the category
builder and its versions, the request desk and the letters, and who may do what."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.paytransparency.demo import load_demo_paytransparency
from koers.paytransparency.models import CategoryScheme, InformationRequest
from koers.paytransparency.services import category_of
from koers.scan.demo import load_demo_scan
from tests.conftest import PASSWORD


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_paytransparency(org_a)
    return org_a


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": org.slug, **kwargs})


@pytest.mark.django_db
def test_the_demo_has_agreed_categories_and_one_open_and_one_answered_request(demo):
    scheme = CategoryScheme.objects.for_org(demo).get()
    assert scheme.council_agreed_on == dt.date(2026, 11, 26)
    assert sum(scheme.weights.values()) == 100
    assert set(category_of(demo).values()) == {
        "A. Ondersteunend",
        "B. Vakkundig",
        "C. Specialistisch",
        "D. Leidinggevend",
    }
    requests = list(InformationRequest.objects.for_org(demo))
    assert sorted(r.answered_on is None for r in requests) == [False, True]
    assert load_demo_paytransparency(demo)  # idempotent
    assert InformationRequest.objects.for_org(demo).count() == 2


@pytest.mark.django_db
def test_hr_downloads_the_art9_report_as_pdf_csv_and_json(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(url("paytransparency", demo))
    html = page.content.decode()
    assert page.status_code == 200
    assert "(a) gemiddelde loonkloof" in html
    assert "categorieën versie 1" in html
    assert "De Nederlandse wet is nog niet in werking." in html
    for name in ("paytransparency_report_pdf", "paytransparency_report_g_pdf"):
        response = client.get(url(name, demo))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
    csv_text = client.get(url("paytransparency_report_csv", demo)).content.decode()
    assert csv_text.splitlines()[0] == "indicator,group,figure,value,n_female,n_male"
    assert "g,D. Leidinggevend,mean_gap_pct," in csv_text
    data = json.loads(client.get(url("paytransparency_report_json", demo)).content)
    assert data["category_scheme_version"] == 1
    letters = [k[0] for k in data if k[1:2] == "_" and k[0] in "abcdefg" and k != "g_complete"]
    assert letters == list("abcdefg")  # the directive's order
