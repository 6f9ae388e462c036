"""Demo content: 800 generated respondents in the demo Compass campaign, scored and profiled,
with a fitted profile model and a first release of its figures, so the team scan and the
researcher check page show real output. 800 is above ``fitting.MIN_ROWS_TO_FIT`` (750, the
recovery study's rule), so the demo's own model can find and name the six planted
profiles; the check page says what the generator planted."""

from __future__ import annotations

from django.db import transaction

from koers.compass import reliability
from koers.compass.generate import generate_respondents
from koers.compass.releases import make_release
from koers.compass.services import assign_profiles, fit_campaign_model, score_responses
from koers.organisations.models import Organisation
from koers.surveys import links
from koers.surveys.demo import DEMO_CAMPAIGN
from koers.surveys.models import Answer, Campaign, Response

N_DEMO_RESPONDENTS = 800


def load_demo_respondents(org: Organisation) -> str:
    campaign = Campaign.objects.filter(organisation=org, name=DEMO_CAMPAIGN).first()
    if campaign is None:
        return ""
    existing = campaign.responses.filter(finished_on__isnull=False).count()
    if existing < N_DEMO_RESPONDENTS:
        instrument = campaign.instrument()
        generated = generate_respondents(
            instrument, N_DEMO_RESPONDENTS - existing, departments=list(campaign.departments)
        )
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                [
                    Response(
                        campaign=campaign,
                        access_hash=links.response_hash(links.new_secret()),
                        instrument_version=campaign.instrument_version,
                        finished_on=campaign.opens_on,
                        started_on=campaign.opens_on,
                    )
                    for _ in generated
                ]
            )
            Answer.objects.bulk_create(
                [
                    Answer(response=response, item_id=item_id, value=value)
                    for response, person in zip(responses, generated, strict=True)
                    for item_id, value in person.answers.items()
                ],
                batch_size=5000,
            )
        all_finished = list(campaign.responses.filter(finished_on__isnull=False))
        score_responses(all_finished)
        assign_profiles(all_finished)
    if not campaign.profile_models.exists():
        fit_campaign_model(campaign, n_starts=5)
    # The demo campaign is an open link, whose figures are released only at fixed moments
    # (docs/privacy.md); loading the demo is one, so the team scan has figures at once.
    if not campaign.releases.exists():
        make_release(campaign)
    reliability.precompute(campaign)  # the profile check page opens at once
    return f"Career Compass demo: {campaign.responses.count()} respondents, profiles fitted"


def load_demo_shared_report(org: Organisation) -> str:
    """One respondent who finished with most questions skipped and shared the report with
    the demo HR analyst: shows the partial report and the third-person HR view
    (/o/<org>/rapporten/)."""
    from django.contrib.auth import get_user_model

    from koers.compass.models import ReportShare
    from koers.surveys import services

    campaign = Campaign.objects.filter(organisation=org, name=DEMO_CAMPAIGN).first()
    hr = get_user_model().objects.filter(username="hr@voorbeeld.nl").first()
    if campaign is None or hr is None or ReportShare.objects.filter(user=hr).exists():
        return ""
    instrument = campaign.instrument()
    person = generate_respondents(instrument, 1, seed=13)[0]
    started = services.start_open_response(campaign, "nl")
    kept = {i.id for i in instrument.items if i.section in ("start", "interests_1", "values")}
    for item_id, value in person.answers.items():
        if item_id in kept:
            services.save_answer(started.response, instrument, item_id, value, 0)
    services.finish_response(started.response, started.secret)  # scores and profiles it
    ReportShare.objects.create(response=started.response, user=hr)
    return "Career Compass demo: a report with questions skipped, shared with hr@voorbeeld.nl"
