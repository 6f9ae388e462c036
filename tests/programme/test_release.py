"""Differencing over time: the release register on the office's dashboard, end to end."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest
from django.urls import reverse

from koers.programme import figures, measure_figures, services
from koers.programme.models import Participation, PublishedFigure, SharedYear
from koers.programme.release import decode

# The dashboard's page uses today's date; 2024 lies well past the three months' lag.
TODAY = dt.date(2026, 12, 7)


def _value(context: Any, key: str, year: int = 2024) -> Any:
    row = next(r for r in context["d"]["rows"] if r["key"] == key)
    return next(c for c in row["cells"] if c["year"] == year)


def test_the_office_cannot_subtract_a_member_that_stopped(
    client: Any, office: Any, member: Any, org_a: Any, alice: Any, programme: Any
) -> None:
    url = reverse("programme_dashboard", kwargs={"slug": "pilot"})
    others = [member(100 + 10 * i, 20 + i, pay=(30.0, 33.0)) for i in range(6)]
    mine = member(120, 70, organisation=org_a, pay=(25.0, 40.0))
    client.force_login(office)
    before = client.get(url).context
    shown = _value(before, "female_share")["value"]
    assert shown == pytest.approx(
        (sum(20 + i for i in range(6)) + 70) / (sum(100 + 10 * i for i in range(6)) + 120)
    )
    assert _value(before, "pay")["value"] is not None

    client.force_login(alice)
    client.post(reverse("programme_stop", kwargs={"org": "alpha", "pk": mine.pk}))
    client.force_login(office)
    after = client.get(url)
    # Every figure Alpha contributed to is withdrawn, with the reason on the page; no cell
    # shows a value that differs from before (the difference would be Alpha's).
    for row_before, row_after in zip(before["d"]["rows"], after.context["d"]["rows"], strict=True):
        for c_before, c_after in zip(row_before["cells"], row_after["cells"], strict=True):
            if c_before["value"] is not None:
                assert c_after["value"] is None, row_after["key"]
                assert c_after["reason"].startswith("Ingetrokken"), row_after["key"]
    page = after.content.decode()
    assert "Ingetrokken: een organisatie die aan dit cijfer bijdroeg is gestopt" in page
    assert f"{shown * 100:.1f}".replace(".", ",") not in page
    # The members that still share: six; all of them are needed for the rules.
    assert Participation.objects.filter(status="active").count() == len(others)

    # One member joining is not enough (the difference with the six of before would be it,
    # and Alpha), five are.
    member(110, 30)
    assert _value(client.get(url).context, "female_share")["value"] is None
    for _ in range(4):
        member(110, 30)
    back = client.get(url).context
    value = _value(back, "female_share")["value"]
    rows = SharedYear.objects.filter(participation__status="active", year=2024)
    assert value == pytest.approx(sum(r.women for r in rows) / sum(r.headcount for r in rows))
    assert not SharedYear.objects.filter(organisation=org_a).exists()


def test_a_joining_member_leaves_the_published_figure_as_it_was(
    client: Any, office: Any, member: Any, programme: Any
) -> None:
    for i in range(6):
        member(100, 20 + i)
    first = figures.dashboard(programme, today=TODAY)
    member(100, 90)
    second = figures.dashboard(programme, today=TODAY)
    cell = second["rows"][0]["cells"][0]
    assert cell["value"] == first["rows"][0]["cells"][0]["value"]
    assert cell["frozen"] is not None  # the page says the figure is as published then
    assert second["frozen"]
    published = PublishedFigure.objects.filter(key="y|2024|female_share|alle")
    assert published.filter(status="published").count() == 1
    # The decision is remembered for these data: the next view loads no member row.
    assert published.filter(status="frozen").count() == 1
    third = figures.dashboard(programme, today=TODAY)
    assert third["rows"][0]["cells"][0] == cell
    assert published.count() == 2


def test_the_benchmark_of_one_member_is_frozen_and_withdrawn_too(
    member: Any, org_a: Any, programme: Any
) -> None:
    others = [member(100, 20 + i) for i in range(6)]
    mine = member(100, 50, organisation=org_a)
    seen = figures.benchmark(mine, today=TODAY)["rows"][0]["others"]
    assert seen == pytest.approx(sum(20 + i for i in range(6)) / 600)
    member(100, 90)  # one joins: the comparison stays as it was
    assert figures.benchmark(mine, today=TODAY)["rows"][0]["others"] == seen
    services.stop(others[0], None)  # one stops: Alpha could subtract it, so it is withdrawn
    row = figures.benchmark(mine, today=TODAY, lang="en")["rows"][0]
    assert row["others"] is None
    assert row["reason"].startswith("Withdrawn")


def test_plan_counts_are_withdrawn_when_a_member_stops(member: Any, programme: Any) -> None:
    parts = [member(measures=["Mentoring"] if i < 5 else []) for i in range(10)]
    plans = measure_figures.plans(programme, figures.policy())
    assert plans["with_plan"] == 5
    assert [m["n"] for m in plans["measures"]] == [5]
    services.stop(parts[0], None)
    plans = measure_figures.plans(programme, figures.policy(), lang="en")
    # "4 of 9" would say that the member that stopped had chosen mentoring.
    assert plans["with_plan"] is None
    assert plans["with_plan_reason"].startswith("Withdrawn")
    assert plans["measures"] == [
        {"measure": "Mentoring", "n": None, "reason": plans["measures"][0]["reason"]}
    ]
    assert plans["measures"][0]["reason"].startswith("Withdrawn")


# --- simulation ------------------------------------------------------------------------------


def _simulate(programme: Any, member: Any, start: int, seed: int) -> dict[str, int]:
    """Eight quarterly views with random joins and stops; asserts after each view that no
    published value can be subtracted from another of the same figure to single out fewer
    than five organisations, and that no value is shown whose contributors stopped."""
    rng = random.Random(seed)
    sizes = ("small", "large")
    sectors = ("ict", "industry")

    def join() -> Any:
        headcount = rng.choice([40, 80, 120, 200, 400, 900])
        return member(
            headcount,
            int(headcount * rng.uniform(0.1, 0.5)),
            years=(2023, 2024),
            size=rng.choice(sizes),
            sector=rng.choice(sectors),
            pay=(rng.uniform(25, 35), rng.uniform(28, 40)),
            measures=rng.sample(["Mentoring", "Werving", "Flexibel werk"], k=rng.randint(0, 2)),
        )

    active = [join() for _ in range(start)]
    counts = {"cells": 0, "shown": 0, "withheld": 0, "withdrawn": 0, "difference": 0}
    for _quarter in range(8):
        for _ in range(rng.randint(0, max(1, start // 10))):
            active.append(join())
        for _ in range(rng.randint(0, max(1, start // 15))):
            if active:
                services.stop(active.pop(rng.randrange(len(active))), None)
        views = [[], [("grootte", rng.choice(sizes))], [("sector", rng.choice(sectors))]]
        for filters in views:
            board = figures.dashboard(programme, filters, today=TODAY)
            sharing = {str(p.pk) for p in active}
            for row in board["rows"]:
                if row["key"] == "targets_met":
                    continue  # the generated members share no targets
                for cell in row["cells"]:
                    counts["cells"] += 1
                    if cell["value"] is None:
                        counts["withheld"] += 1
                        if cell["code"] in counts:
                            counts[cell["code"]] += 1
                    else:
                        counts["shown"] += 1
        # No two publications of the same year and figure differ by one to four members,
        # or by a group one member dominates.
        for key, group in itertools.groupby(
            PublishedFigure.objects.filter(programme=programme, status="published").order_by(
                "key", "pk"
            ),
            key=lambda f: f.key,
        ):
            latest = list(group)[-1]
            # Pairs of publications of the same year and figure (any filter, any time).
            family = "|".join(key.split("|")[:3]) + "|" if key.startswith("y|") else key
            related = PublishedFigure.objects.filter(
                programme=programme, key__startswith=family, status="published"
            )
            for a, b in itertools.combinations(list(related), 2):
                ca, cb = decode(a.contributions), decode(b.contributions)
                diff = set(ca) ^ set(cb)
                assert len(diff) == 0 or len(diff) >= 5, (a.key, b.key, len(diff))
                if diff and set(ca) != set(cb):
                    bases = [(ca.get(o) or cb[o]).base for o in diff]
                    assert max(bases) <= 0.25 * sum(bases) + 1e-9, (a.key, b.key)
            if key.startswith("y|"):
                assert latest.n == len(latest.contributions["org"])
        # Every value on show comes from organisations that all still share.
        shown_now = figures.dashboard(programme, today=TODAY)
        latest_of = {
            f.key: f
            for f in PublishedFigure.objects.filter(
                programme=programme, key__endswith="|alle", status="published"
            ).order_by("pk")
        }
        for row in shown_now["rows"]:
            for cell in row["cells"]:
                if cell["value"] is None:
                    continue
                pub = latest_of[f"y|{cell['year']}|{row['key']}|alle"]
                assert pub.value[0] == pytest.approx(cell["value"])
                assert set(pub.contributions["org"]) <= sharing
    return counts


@pytest.mark.parametrize(("start", "seed"), [(12, 1), (30, 2), (200, 3)])
def test_simulated_joins_and_stops_never_single_out_a_member(
    programme: Any, member: Any, start: int, seed: int, capsys: Any
) -> None:
    counts = _simulate(programme, member, start, seed)
    assert counts["cells"] > 0
    with capsys.disabled():
        share = counts["withheld"] / counts["cells"]
        rule6 = counts["withdrawn"] + counts["difference"]
        print(
            f"\n{start} members: {counts['cells']} cells, {counts['withheld']} withheld "
            f"({share:.0%}), by rule 6 {rule6} ({rule6 / counts['cells']:.0%}: "
            f"{counts['withdrawn']} withdrawn after a stop, {counts['difference']} "
            "never shown because of an earlier figure)"
        )
