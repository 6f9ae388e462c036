"""The workspace pages: who opens what, approval by Koers staff, opting in and out, the
generic rendering of a Result, downloads, and the log of every view and download."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import AuditEvent, Role
from koers.research.models import AccessLog, Participation, ResearchProject
from tests.research.conftest import make_responses, take_part

PROJECT = "/onderzoek/paden/"


@pytest.fixture
def pooled(project: Any, org_a: Any, org_b: Any) -> Any:
    make_responses(org_a, 30)
    make_responses(org_b, 20)
    take_part(project, org_a)
    take_part(project, org_b)
    return project


def test_a_researcher_never_reaches_an_organisations_pages(
    client: Any, pooled: Any, researcher: Any
) -> None:
    from tests.foundation.access_tables import ORG

    client.force_login(researcher)
    for slug in ("alpha", "beta"):
        assert client.get(f"/o/{slug}/").status_code == 404
        assert client.get(f"/o/{slug}/onderzoek/").status_code == 404
        assert client.get(f"/o/{slug}/campaigns/").status_code == 404
    assert "research_organisation" in ORG


def test_project_pages_open_only_for_its_members(
    client: Any, pooled: Any, alice: Any, fake_research: Any
) -> None:
    urls = [
        PROJECT,
        PROJECT + "analyse/gender-by-function/",
        PROJECT + "data.csv",
        PROJECT + "analyse/gender-by-function/syntax.r",
    ]
    for url in urls:
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert reverse("login") in anonymous["Location"]
    client.force_login(alice)  # an organisation's admin is no researcher of the project
    for url in urls:
        assert client.get(url).status_code == 404, url
    alice.is_staff = True  # Koers staff decide on projects, but see no data as such
    alice.save()
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_second_factor_is_asked_for_whatever_the_roles(
    client: Any, pooled: Any, researcher: Any, settings: Any
) -> None:
    settings.KOERS_REQUIRE_2FA = True
    client.force_login(researcher)
    page = client.get(PROJECT)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("twofactor_setup"))


def test_the_summary_shows_organisations_n_and_what_was_coarsened(
    client: Any, pooled: Any, researcher: Any, fake_research: Any
) -> None:
    client.force_login(researcher)
    page = client.get(PROJECT)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alpha Engineering" in html
    assert "Beta Bouw" in html
    assert "50 respondenten met toestemming" in html
    assert "Wat er grover is gemaakt" in html
    assert "Gender per functie" in html
    assert reverse("research_dataset", kwargs={"project": "paden", "fmt": "sav"}) in html


def test_a_result_is_rendered_with_suppressed_cells_intervals_chart_table_and_methods(
    client: Any, project: Any, org_a: Any, researcher: Any, fake_research: Any
) -> None:
    from tests.research.conftest import background

    def answers(i: int) -> dict[str, Any]:
        out = {**background(0), "age": 40}
        out["gender"] = "woman" if i < 3 else "man"  # 3 women: a cell under k
        out["job_category"] = "engineer"
        return out

    make_responses(org_a, 30, answers=answers)
    take_part(project, org_a)
    client.force_login(researcher)
    url = PROJECT + "analyse/gender-by-function/"
    html = client.get(url).content.decode()
    assert "&lt;5" in html
    assert "[0.05; 0.20]" in html
    assert "&lt; .001" in html
    assert "Cramér&#x27;s V = 0.21" in html
    assert "De cijfers van de grafiek" in html  # the chart's figures as a table
    assert 'aria-hidden="true"' in html  # the bars themselves are not read out twice
    assert "Kruistabel op 30 respondenten" in html
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Cross table of 30 respondents" in english
    assert "Gender by function" in english


def test_a_refused_analysis_says_why(
    client: Any, pooled: Any, researcher: Any, fake_research: Any
) -> None:
    from tests.research.conftest import Result

    refused = Result(
        "gender-by-function", 3, [], [], {}, None, {"nl": "Te weinig.", "en": "Too few."}
    )
    fake_research.ANALYSES["gender-by-function"] = type(
        fake_research.ANALYSES["gender-by-function"]
    )("gender-by-function", {"nl": "G", "en": "G"}, "6.1", (), lambda frame, k: refused)
    client.force_login(researcher)
    assert "Te weinig." in client.get(PROJECT + "analyse/gender-by-function/").content.decode()


def test_every_view_and_download_is_logged_for_the_project_and_each_organisation(
    client: Any, pooled: Any, researcher: Any, fake_research: Any, org_a: Any, org_b: Any
) -> None:
    client.force_login(researcher)
    client.get(PROJECT)
    client.get(PROJECT + "analyse/gender-by-function/")
    for fmt in ("csv", "sav", "zip"):
        download = client.get(PROJECT + f"data.{fmt}")
        assert download.status_code == 200
        assert "no-store" in download["Cache-Control"]
        assert "attachment" in download["Content-Disposition"]
    script = client.get(PROJECT + "analyse/gender-by-function/syntax.r")
    assert script.content.decode() == "# r script for gender-by-function\n"
    assert client.get(PROJECT + "analyse/gender-by-function/syntax.sps").status_code == 200
    assert client.get(PROJECT + "data.xlsx").status_code == 404
    assert client.get(PROJECT + "analyse/nothing/").status_code == 404
    actions = list(AccessLog.objects.order_by("created").values_list("action", flat=True))
    assert actions == [
        "research.view_dataset",
        "research.view_analysis",
        "research.download.csv",
        "research.download.sav",
        "research.download.zip",
        "research.syntax.r",
        "research.syntax.sps",
    ]
    for org in (org_a, org_b):
        seen = set(AuditEvent.objects.for_org(org).values_list("action", flat=True))
        assert set(actions) <= seen
    from koers.organisations.audit_log import ACTIONS

    assert set(actions) <= set(ACTIONS)


def test_withdrawing_removes_the_organisation_from_every_later_view_and_export(
    client: Any, pooled: Any, researcher: Any, alice: Any, fake_research: Any
) -> None:
    client.force_login(researcher)
    before = client.get(PROJECT + "data.csv").content.decode().strip().splitlines()
    assert len(before) == 1 + 50
    client.force_login(alice)
    page = client.post("/o/alpha/onderzoek/", {"project": "paden", "action": "withdraw"})
    assert page.status_code == 302
    client.force_login(researcher)
    after = client.get(PROJECT + "data.csv").content.decode().strip().splitlines()
    assert len(after) == 1 + 20
    assert "Alpha Engineering" not in client.get(PROJECT).content.decode()
    html = client.get(PROJECT + "analyse/gender-by-function/").content.decode()
    assert "20 respondenten" in html
    events = AuditEvent.objects.for_org(
        pooled.participations.get(organisation__slug="alpha").organisation
    )
    assert events.filter(action="research.withdraw").exists()
    later = AuditEvent.objects.filter(action="research.download.csv").order_by("-created").first()
    assert later is not None
    assert later.organisation.slug == "beta"


def test_an_admin_opts_in_on_the_organisation_page(
    client: Any, project: Any, alice: Any, member_of: Any, org_a: Any
) -> None:
    client.force_login(alice)
    page = client.get("/o/alpha/onderzoek/")
    assert "Carrièrepaden" in page.content.decode()
    assert "Meedoen met dit project" in page.content.decode()
    client.post("/o/alpha/onderzoek/", {"project": "paden", "action": "join"})
    taking_part = Participation.objects.get(project=project, organisation=org_a)
    assert taking_part.active
    assert taking_part.joined_by == alice
    assert "Stoppen met dit project" in client.get("/o/alpha/onderzoek/").content.decode()
    client.force_login(member_of(Role.HR_ANALYST))
    assert client.get("/o/alpha/onderzoek/").status_code == 403


def test_an_organisation_cannot_join_a_project_not_approved(
    client: Any, project: Any, alice: Any
) -> None:
    project.state = ResearchProject.State.PENDING
    project.save()
    client.force_login(alice)
    assert "Carrièrepaden" not in client.get("/o/alpha/onderzoek/").content.decode()
    assert (
        client.post("/o/alpha/onderzoek/", {"project": "paden", "action": "join"}).status_code
        == 404
    )
    assert not Participation.objects.exists()


def test_koers_staff_approve_a_project_on_a_page(
    client: Any, project: Any, researcher: Any, alice: Any
) -> None:
    project.state = ResearchProject.State.PENDING
    project.save()
    url = reverse("research_decide", kwargs={"project": "paden"})
    client.force_login(researcher)  # the researcher cannot approve their own project
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert "Pas na goedkeuring" in client.get(PROJECT).content.decode()
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    assert "Carrièrepaden" in client.get(reverse("research_projects")).content.decode()
    assert client.post(url, {"decision": "approve", "note": "METC ok"}).status_code == 302
    project.refresh_from_db()
    assert project.state == "approved"
    assert project.decided_by == alice
    assert project.decided_on is not None
    assert project.decision_note == "METC ok"


def test_my_projects_lists_the_researchers_projects_and_home_leads_there(
    client: Any, project: Any, researcher: Any
) -> None:
    client.force_login(researcher)
    assert client.get("/").url == reverse("research_projects")
    html = client.get(reverse("research_projects")).content.decode()
    assert "Carrièrepaden" in html
    assert "Goedgekeurd" in html


def test_the_analysis_page_costs_a_fixed_number_of_queries(
    client: Any,
    project: Any,
    org_a: Any,
    researcher: Any,
    fake_research: Any,
    django_assert_max_num_queries: Any,
) -> None:
    take_part(project, org_a)
    make_responses(org_a, 20)
    client.force_login(researcher)
    url = PROJECT + "analyse/gender-by-function/"
    with django_assert_max_num_queries(14):
        client.get(url)
    make_responses(org_a, 300)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_an_analysis_sees_only_its_own_columns_anonymised_among_themselves(
    client: Any, pooled: Any, researcher: Any, fake_research: Any
) -> None:
    seen: list[Any] = []
    real = fake_research.ANALYSES["gender-by-function"]

    def spy(frame: Any, k: int) -> Any:
        seen.append(frame)
        return real.run(frame, k)

    fake_research.ANALYSES["gender-by-function"] = type(real)(
        real.key, real.title, real.chapter, ("gender", "function_group"), spy
    )
    client.force_login(researcher)
    assert client.get(PROJECT + "analyse/gender-by-function/").status_code == 200
    frame = seen[0]
    assert frame["gender"].notna().all()
    assert frame["function_group"].notna().all()
    assert frame["age"].isna().all()
    assert frame["organisation"].isna().all()
    assert frame["identification"].isna().all()


def test_an_analysis_that_raises_is_an_error_of_koers_not_a_refusal(
    client: Any, pooled: Any, researcher: Any, fake_research: Any, caplog: Any
) -> None:
    real = fake_research.ANALYSES["gender-by-function"]

    def broken(frame: Any, k: int) -> Any:
        raise ArithmeticError("singular matrix")

    fake_research.ANALYSES["gender-by-function"] = type(real)(
        real.key, real.title, real.chapter, real.columns, broken
    )
    client.force_login(researcher)
    with caplog.at_level("ERROR", logger="koers.research.views"):
        page = client.get(PROJECT + "analyse/gender-by-function/")
    assert page.status_code == 500
    assert "Er ging iets mis in deze analyse" in page.content.decode()
    assert "De fout is vastgelegd" in page.content.decode()
    assert page.context.get("result") is None
    logged = [r for r in caplog.records if r.name == "koers.research.views"]
    assert logged
    assert logged[0].exc_info is not None


def test_koers_staff_create_projects_and_add_researchers_in_the_admin(
    client: Any, project: Any, org_a: Any, alice: Any
) -> None:
    take_part(project, org_a)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    device = TOTPDevice.objects.create(user=alice, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # the admin asks a verified session
    session.save()
    page = client.get(f"/admin/research/researchproject/{project.pk}/change/")
    assert page.status_code == 200
    assert "sanne@uni.example" in page.content.decode()
    assert client.get("/admin/research/researchproject/add/").status_code == 200


def test_the_project_page_costs_a_fixed_number_of_queries(
    client: Any,
    project: Any,
    org_a: Any,
    org_b: Any,
    researcher: Any,
    fake_research: Any,
    django_assert_max_num_queries: Any,
) -> None:
    take_part(project, org_a)
    take_part(project, org_b)
    make_responses(org_a, 20)
    client.force_login(researcher)
    with django_assert_max_num_queries(14):
        client.get(PROJECT)
    make_responses(org_b, 300)
    with django_assert_max_num_queries(14):
        assert client.get(PROJECT).status_code == 200
