"""Demo content: an evaluated job structure (version 1, agreed by the works council), three
information requests (one answered, one open, one filed by the worker through the link), a
joint pay assessment with its factors, the yearly notice due, and two vacancy pay ranges."""

from __future__ import annotations

import datetime as dt

from koers.organisations.models import Organisation
from koers.paytransparency import services
from koers.paytransparency.models import (
    CategoryScheme,
    InformationRequest,
    PayAssessment,
    PayRange,
    PersonalLink,
)

# Art. 5: gross monthly ranges at 40 hours, as HR would put them in a vacancy text.
RANGES = (
    ("C. Specialistisch", "Software engineer", 3900, 5600),
    ("B. Vakkundig", "Monteur (v/m/x)", 2900, 3800),
)

WEIGHTS = {"skills": 35, "effort": 20, "responsibility": 30, "conditions": 15}
# Scores 1-5 on skills, effort, responsibility, working conditions, and the category HR chose:
# jobs of (about) equal weighted score share a category, technical or not (Art. 4(4)).
JOBS = {
    "Monteur": ((2, 4, 2, 5), "B. Vakkundig"),
    "Servicedesk": ((2, 3, 2, 2), "A. Ondersteunend"),
    "Administratief medewerker": ((2, 2, 2, 1), "A. Ondersteunend"),
    "Elektrotechnicus": ((3, 3, 3, 4), "B. Vakkundig"),
    "Werkvoorbereider": ((3, 3, 3, 2), "B. Vakkundig"),
    "Inkoper": ((3, 3, 3, 1), "B. Vakkundig"),
    "Marketingmedewerker": ((3, 3, 3, 1), "B. Vakkundig"),
    "Constructeur": ((4, 3, 3, 2), "C. Specialistisch"),
    "Software engineer": ((4, 3, 3, 1), "C. Specialistisch"),
    "HR-adviseur": ((4, 3, 3, 1), "C. Specialistisch"),
    "Engineer": ((4, 3, 4, 2), "C. Specialistisch"),
    "Controller": ((4, 3, 4, 1), "C. Specialistisch"),
    "Projectleider techniek": ((4, 4, 4, 2), "D. Leidinggevend"),
    "Technisch manager": ((5, 4, 5, 2), "D. Leidinggevend"),
    "Manager bedrijfsvoering": ((5, 4, 5, 1), "D. Leidinggevend"),
}
NOTE = (
    "Wegingen uit het functiewaarderingssysteem van de cao, besproken met de OR op 12-11-2026: "
    "vaardigheden en verantwoordelijkheid wegen het zwaarst."
)


def load_demo_paytransparency(org: Organisation) -> str:
    """Categories with recorded weights, one answered and one open request (idempotent)."""
    snapshot = services.current_snapshot(org)
    if snapshot is None:
        return "Loontransparantie demo: geen nulmeting, overgeslagen"
    if not CategoryScheme.objects.for_org(org).exists():
        frame = snapshot.frame()
        jobs = {
            job: {
                "scores": dict(zip(WEIGHTS, JOBS[job][0], strict=True)),
                "category": JOBS[job][1],
            }
            for job in services.jobs_in(frame, snapshot.reference_date)
            if job in JOBS
        }
        scheme = services.save_scheme(org, WEIGHTS, jobs, weights_note=NOTE)
        services.record_agreement(scheme, dt.date(2026, 11, 26), "OR-besluit 2026-14")
    if not InformationRequest.objects.for_org(org).exists():
        frame = snapshot.frame()
        staff = frame[frame["exit_date"].isna()]
        women = staff[(staff["gender"] == "female") & (staff["job_family"] == "Software engineer")]
        men = staff[(staff["gender"] == "male") & (staff["job_family"] == "Monteur")]
        answered = InformationRequest.objects.create(
            organisation=org,
            worker=str(women["employee_id"].iloc[0]),
            received_on=dt.date(2026, 10, 5),
            language="nl",
        )
        services.answer(org, answered, dt.date(2026, 11, 2))
        InformationRequest.objects.create(
            organisation=org,
            worker=str(men["employee_id"].iloc[0]),
            received_on=dt.date(2026, 11, 20),
            language="en",
        )
    if not PayAssessment.objects.for_org(org).exists():
        PayAssessment.objects.create(
            organisation=org,
            category="C. Specialistisch",
            report_date=dt.date(2026, 9, 1),
            scheme_version=1,
            justification=(
                "Concept: een deel van het verschil komt door diensttijd; de rest is nog niet "
                "verklaard. Te bespreken met de OR."
            ),
            measures="Salarisschalen Software engineer herzien (HR, 1-3-2027).",
            factors=["tenure", "age", "hours", "education"],
        )
    desk = services.desk_settings(org)
    if desk.notice_given_on is None:
        # A year and some weeks ago: the desk shows the reminder that the notice is due.
        desk.notice_given_on = dt.date(2025, 11, 3)
        desk.save(update_fields=["notice_given_on"])
        services.open_link(desk, True)
    if not InformationRequest.objects.for_org(org).filter(source="worker").exists():
        frame = snapshot.frame()
        staff = frame[frame["exit_date"].isna() & (frame["gender"] == "female")]
        InformationRequest.objects.create(
            organisation=org,
            worker=str(staff["employee_id"].iloc[-1]),
            received_on=dt.date(2026, 12, 1),
            language="nl",
            source="worker",
        )
    if not PersonalLink.objects.for_org(org).exists():
        # A few personal links, as HR makes them for the yearly notice; the demo keeps no
        # download (the secrets are gone, only their hashes stay).
        matched, _unknown = services.match_employee_numbers(
            org, [str(10000 + n) for n in range(1, 6)]
        )
        services.generate_personal_links(org, matched)
    if not PayRange.objects.for_org(org).exists():
        for category, vacancy, low, high in RANGES:
            PayRange.objects.create(
                organisation=org, category=category, vacancy=vacancy, minimum=low, maximum=high
            )
    return (
        "Loontransparantie demo: functiecategorieën (versie 1), drie informatieverzoeken, "
        "een beloningsbeoordeling en twee loonschalen voor vacatures geladen"
    )
