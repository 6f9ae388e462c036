"""Issue 13 point 9 in a real browser, in Dutch and in English: a respondent skips most
questions, is told before finishing what her report will lack, goes back, finishes anyway
and reads a report written for what there is; she shares it with HR by name and role,
HR reads it in the third person, and she withdraws it after a confirmation."""

from __future__ import annotations

from typing import Any

import pytest

from koers.surveys.models import Campaign, Response
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_compass_e2e import fill

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-rapport-2026"

WORDS = {
    "nl": {
        "start": "Start",
        "begin": "Begin met de vragen",
        "next": "Volgende",
        "will_lack": "Wat er in je rapport zal ontbreken",
        "go_back": "Terug om vragen aan te vullen",
        "finish_anyway": "Toch afronden",
        "lacks": "Wat er in je rapport ontbreekt",
        "too_few": "te weinig antwoorden",
        "norm": "Vergelijken met anderen kan zodra minstens 104 anderen meededen; "
        "nu zijn dat er 0.",
        "people_with": "Mensen met het profiel",
        "share_with": "Deel met",
        "share": "Deel mijn rapport",
        "shared": "Je rapport is gedeeld met Fatima Zahra (HR-analist).",
        "your_profile": "Je profiel",
        "hr_list": "Rapporten die met jou zijn gedeeld",
        "hr_lacks": "Wat er in dit rapport ontbreekt",
        "option": "Fatima Zahra (HR-analist)",
        "second_person": ("Je profiel", "Jouw scores", "jij scoort", "Jij en je loopbaan"),
        "withdraw": "Intrekken",
        "confirm": "Ja, intrekken",
        "withdrawn": "Je rapport is niet meer gedeeld met Fatima Zahra (HR-analist).",
    },
    "en": {
        "start": "Start",
        "begin": "Start the questions",
        "next": "Next",
        "will_lack": "What your report will lack",
        "go_back": "Go back to answer more questions",
        "finish_anyway": "Finish anyway",
        "lacks": "What your report lacks",
        "too_few": "too few answers",
        "norm": "Comparing with others is possible once at least 104 others have taken part; "
        "so far 0 have.",
        "people_with": "People with the profile",
        "share_with": "Share with",
        "share": "Share my report",
        "shared": "Your report is shared with Fatima Zahra (HR analyst).",
        "your_profile": "Your profile",
        "hr_list": "Reports shared with you",
        "hr_lacks": "What this report lacks",
        "option": "Fatima Zahra (HR analyst)",
        "second_person": ("Your profile", "Your scores", "you score", "You and your career"),
        "withdraw": "Withdraw",
        "confirm": "Yes, withdraw",
        "withdrawn": "Your report is no longer shared with Fatima Zahra (HR analyst).",
    },
}


@pytest.fixture
def setup(db: Any) -> Campaign:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from koers.instruments import get_instrument
    from koers.organisations.models import Membership, Organisation, Role

    org = Organisation.objects.create(name="Alumni NL", slug="alumni")
    hr = get_user_model().objects.create_user(
        username="fatima@alumni.nl",
        email="fatima@alumni.nl",
        password=PASSWORD,
        first_name="Fatima",
        last_name="Zahra",
    )
    Membership.objects.create(organisation=org, user=hr, role=Role.HR_ANALYST)
    TOTPDevice.objects.create(user=hr, name="e2e", confirmed=True)
    compass = get_instrument("career_compass")
    return Campaign.objects.create(
        organisation=org,
        name="Carrière Kompas alumni",
        instrument_key=compass.key,
        instrument_version=compass.version,
        public_token="e2e-rapport",
    )


def _language(page: Any, language: str) -> None:
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_partial_finish_and_the_report_hr_reads(
    page: Any, browser: Any, live_server: Any, setup: Campaign, language: str
) -> None:
    w = WORDS[language]
    base = live_server.url
    page.goto(f"{base}/s/e2e-rapport/")
    _language(page, language)
    page.get_by_role("button", name=w["start"], exact=True).click()
    page.get_by_role("link", name=w["begin"]).click()
    page.wait_for_url("**/deel/**")
    slot_base = page.url.split("/deel/")[0]
    # Two pages answered (the start questions and the first interests), the rest skipped.
    for _ in range(2):
        fill(page)
        with page.expect_navigation():
            page.get_by_role("button", name=w["next"]).click()
    page.goto(f"{slot_base}/afronden/")
    lack = page.locator(".review-missing")
    assert w["will_lack"] in lack.inner_text()
    screenshot(page, f"compass-review-partial-{language}")
    # She can go back: the button opens the first page with a skipped question.
    page.get_by_role("link", name=w["go_back"]).click()
    page.wait_for_url("**/deel/**")
    page.goto(f"{slot_base}/afronden/")
    page.get_by_role("button", name=w["finish_anyway"]).click()
    page.wait_for_url("**/rapport/")
    assert Response.objects.get().is_finished
    text = page.locator("main").inner_text()
    assert text.count(w["lacks"]) == 1  # one summary ...
    assert w["too_few"] not in text  # ... not a line per missing scale
    assert w["norm"] in text
    assert w["people_with"] in text
    screenshot(page, f"compass-report-partial-{language}")

    # Sharing offers HR by name and role, never an address.
    options = page.get_by_label(w["share_with"]).locator("option").all_inner_texts()
    assert options == [w["option"]]
    assert "@" not in page.content()
    page.get_by_role("button", name=w["share"]).click()
    page.wait_for_url("**/rapport/")
    assert w["shared"] in page.locator(".messages").inner_text()

    # HR reads the report about the employee, not addressed to them.
    hr_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    hr = hr_context.new_page()
    login(hr, base, "fatima@alumni.nl", PASSWORD)
    hr.goto(f"{base}/o/alumni/rapporten/")
    _language(hr, language)
    assert w["hr_list"] in hr.locator("h1").inner_text()
    hr.locator("main a[href*='/rapporten/']").first.click()
    hr.wait_for_load_state()
    hr_text = hr.locator("main").inner_text()
    for second_person in w["second_person"]:
        assert second_person not in hr_text, second_person
    assert w["hr_lacks"] in hr_text
    assert w["people_with"] in hr_text
    screenshot(hr, f"compass-report-hr-{language}")
    shared_url = hr.url

    # She withdraws, after a confirmation; HR can no longer open it.
    page.get_by_role("button", name=w["withdraw"]).click()
    page.get_by_role("button", name=w["confirm"]).click()
    page.wait_for_url("**/rapport/")
    assert w["withdrawn"] in page.locator(".messages").inner_text()
    assert hr.goto(shared_url).status == 404
    hr_context.close()
