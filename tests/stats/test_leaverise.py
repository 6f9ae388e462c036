"""The pay rise after return from leave (Art. 10 workbook) against a hand computation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from tests.subtraction import smallest_isolated

from koers.paytransparency.workbook import leave_rise, leave_rise_rows
from koers.stats.disclosure import Discloser
from koers.stats.leaverise import (
    LeaveRise,
    RiseShare,
    comparison_date,
    leave_pay_rise,
    window_start,
)

R = dt.date(2026, 6, 30)
P = dt.date(2025, 6, 30)
D = pd.Timestamp


def frame(rows: list[tuple]) -> pd.DataFrame:  # type: ignore[type-arg]
    columns = [
        "employee_id",
        "gender",
        "hire_date",
        "exit_date",
        "category",
        "hours_per_week",
        "annual_base_salary",
        "leave_type",
        "leave_return_date",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for name in ("hire_date", "exit_date", "leave_return_date"):
        out[name] = pd.to_datetime(out[name]).astype("datetime64[s]")
    out["job_family"] = "Engineer"
    out["job_level"] = "8"
    return out


H = "2015-01-01"  # hired long ago
# The earlier snapshot (30 June 2025): everyone at 52,000 for 40 hours (25.00 an hour).
PREVIOUS = frame(
    [
        (f"w{i}", g, H, None, "A", 40.0, 52000.0, None, None)
        for i, g in [
            (1, "female"), (2, "female"), (3, "male"), (4, "female"), (5, "male"),
            (7, "female"), (8, "female"), (9, "male"), (10, "male"), (11, "male"),
            (12, "female"), (13, "female"),
        ]
    ]
    + [("w14", "male", H, None, "B", 40.0, 50000.0, None, None)]
)  # fmt: skip
# The current snapshot (30 June 2026).
CURRENT = frame(
    [
        # returners from leave in the window (30-6-2025, 30-6-2026]
        ("w1", "female", H, None, "A", 40.0, 54080.0, "maternity", "2026-01-15"),  # 26.00: rise
        ("w2", "female", H, None, "A", 32.0, 41600.0, "parental", "2025-12-01"),  # 25.00: none
        ("w3", "male", H, None, "A", 40.0, 53040.0, "paternity", "2026-03-01"),  # 25.50: rise
        ("w4", "female", H, None, "A", 40.0, 52000.0, "carer", "2026-06-30"),  # 25.00: none
        ("w6", "female", "2025-09-01", None, "A", 40.0, 52000.0, "maternity", "2026-02-01"),
        # back on the window's first day itself: not in the window, one of the others
        ("w5", "male", H, None, "A", 40.0, 54080.0, "paternity", "2025-06-30"),  # rise
        ("w7", "female", H, None, "A", 40.0, 53560.0, None, None),  # rise
        ("w8", "female", H, None, "A", 40.0, 52000.0, None, None),  # none
        ("w9", "male", H, None, "A", 40.0, 51000.0, None, None),  # cut
        ("w10", "male", H, None, "A", 40.0, 55000.0, None, None),  # rise
        ("w11", "male", H, None, "A", 32.0, 45760.0, None, None),  # 27.50 an hour: rise
        ("w14", "male", H, None, "A", 40.0, 52000.0, None, None),  # was in B, now A: rise
        # left before the reference date / in another category: not counted
        ("w12", "female", H, "2026-05-01", "A", 40.0, 54000.0, "maternity", "2026-01-01"),
        ("w13", "female", H, None, "B", 40.0, 54000.0, "maternity", "2026-01-01"),
    ]
)


def test_the_shares_match_the_hand_computation_on_a_worked_example() -> None:
    result = leave_pay_rise(CURRENT, R, (P, PREVIOUS), "A")
    # Hand computation (see the comments above):
    # returners in the window, in service in A on R: w1, w2, w3, w4, w6 (5); w6 was hired
    # after P and has no earlier pay; of w1-w4, w1 and w3 had a rise: 2 of 4.
    assert result.n_returned == 5
    assert result.n_without_earlier_pay == 1
    assert result.returners == RiseShare(4, 2)
    assert result.returners.share == pytest.approx(0.5)
    assert result.returners_female == RiseShare(3, 1)  # w1 rise; w2, w4 none
    assert result.returners_male == RiseShare(1, 1)  # w3
    # others in A: w5, w7, w8, w9, w10, w11, w14; rises: w5, w7, w10, w11, w14
    assert result.others == RiseShare(7, 5)
    assert result.others_female == RiseShare(2, 1)
    assert result.others_male == RiseShare(5, 4)
    assert result.returned_by_type == {"maternity": 2, "paternity": 1, "parental": 1, "carer": 1}
    assert result.previous_date == P
    assert result.window_start == P
    assert result.computable
    # in service in A on R: w1-w11 without w12 and w13, with w14; women w1 w2 w4 w6 w7 w8
    assert (result.staff, result.staff_female, result.staff_male) == (12, 6, 6)
    assert result.to_dict()["returners"] == {"n": 4, "n_rise": 2, "share": 0.5}


def test_the_earlier_snapshot_is_the_latest_on_or_before_the_windows_start() -> None:
    dates = [dt.date(2024, 6, 30), P, dt.date(2025, 12, 31)]
    assert comparison_date(dates, R) == P
    assert comparison_date([dt.date(2025, 12, 31)], R) is None
    assert window_start(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    # Through the workbook: the December snapshot is passed over, June 2025 is used.
    history = [(dt.date(2025, 12, 31), CURRENT), (P, PREVIOUS)]
    assert leave_rise((R, CURRENT), history, "A", None).returners == RiseShare(4, 2)


def test_without_an_earlier_snapshot_or_leave_columns_nothing_is_computed() -> None:
    alone = leave_pay_rise(CURRENT, R, None, "A")
    assert alone.previous_date is None
    assert not alone.computable
    assert alone.n_returned == 5
    assert alone.returners == RiseShare(0, 0)
    plain = CURRENT.drop(columns=["leave_type", "leave_return_date"])
    without = leave_pay_rise(plain, R, (P, PREVIOUS), "A")
    assert not without.has_leave_data
    assert not without.computable
    assert without.n_returned == 0


def _result(
    returners: tuple[int, int], others: tuple[int, int], rest: tuple[int, int] = (0, 0)
) -> LeaveRise:
    """Women and men among the returners, the others and (``rest``) the category's
    workers without pay on the earlier snapshot."""

    def share(n: int) -> RiseShare:
        return RiseShare(n, n // 2)

    return LeaveRise(
        category="A",
        reference_date=R,
        window_start=P,
        previous_date=P,
        has_leave_data=True,
        n_returned=sum(returners),
        n_without_earlier_pay=0,
        returners=share(sum(returners)),
        returners_female=share(returners[0]),
        returners_male=share(returners[1]),
        others=share(sum(others)),
        others_female=share(others[0]),
        others_male=share(others[1]),
        returned_by_type={},
        staff=sum(returners) + sum(others) + sum(rest),
        staff_female=returners[0] + others[0] + rest[0],
        staff_male=returners[1] + others[1] + rest[1],
    )


def test_hr_sees_every_figure_with_its_n_and_others_only_groups_of_at_least_k() -> None:
    worked = leave_pay_rise(CURRENT, R, (P, PREVIOUS), "A")
    hr = leave_rise_rows(worked, Discloser(True, 5))
    assert all(row[g]["shown"] for row in hr for g in ("all", "female", "male"))
    assert hr[0]["female"] == {"n": 3, "n_rise": 1, "share": pytest.approx(1 / 3), "shown": True}
    council = leave_rise_rows(worked, Discloser(False, 5))
    # returners: 4 in all (< 5), women 3, men 1: nothing shown
    assert [council[0][g]["shown"] for g in ("all", "female", "male")] == [False] * 3
    assert council[0]["all"]["n"] is None
    assert council[0]["female"]["share"] is None
    # others: women 2 (< 5) hidden; men 5, but the category's 6 men are on the page, so
    # 6 - 5 = 1 man back from leave: hidden; the row's 7 too (7 - 6 men = 2 women - 1 man)
    assert [council[1][g]["shown"] for g in ("all", "female", "male")] == [False] * 3
    # women and men each at least k: both shown
    both = leave_rise_rows(_result((6, 7), (40, 50)), Discloser(False, 5))
    assert [both[0][g]["shown"] for g in ("all", "female", "male")] == [True, True, True]
    assert both[0]["male"]["n"] == 7


def test_one_woman_back_from_leave_is_not_found_by_subtracting_the_others_from_the_category() -> (
    None
):
    # Review finding: the category's 21 women are on the same page; the others row showed
    # its 20 women, so 21 - 20 = 1 woman back from maternity leave (and with the row's
    # "all" her rise could follow). The others' women are withheld with her.
    rows = leave_rise_rows(_result((1, 6), (20, 25)), Discloser(False, 5))
    returners, others = rows
    assert not returners["female"]["shown"]
    assert not others["female"]["shown"]
    assert others["female"]["n"] is None
    # the men back from leave (6) are shown only where the women's hidden count would not
    # follow from the row's total: the row total is withheld with them or they are.
    assert not (returners["male"]["shown"] and returners["all"]["shown"])
    # HR sees it all
    hr = leave_rise_rows(_result((1, 6), (20, 25)), Discloser(True, 5))
    assert hr[1]["female"]["n"] == 20


def test_the_others_row_is_withheld_with_a_small_group_without_earlier_pay() -> None:
    # 2 women hired after the earlier snapshot: category 27 women - 20 - 5 = 2 would show.
    rows = leave_rise_rows(_result((5, 6), (20, 25), rest=(2, 0)), Discloser(False, 5))
    assert [rows[0]["female"]["shown"], rows[1]["female"]["shown"]].count(True) <= 1


def _people(rng: np.random.Generator) -> pd.DataFrame:
    """A small category as the desk shows it: at least 5 women and 5 men."""
    while True:
        n = int(rng.integers(10, 60))
        people = pd.DataFrame(
            {
                "gender": rng.choice(["female", "male", "x"], n, p=[0.3, 0.65, 0.05]),
                "group": rng.choice(["returners", "others", "rest"], n, p=[0.12, 0.8, 0.08]),
            }
        )
        if people["gender"].value_counts().reindex(["female", "male"]).min() >= 5:
            return people


@pytest.mark.parametrize("seed", range(60))
def test_no_combination_of_the_shown_counts_and_the_category_totals_singles_out_a_few(
    seed: int,
) -> None:
    """Seeded small categories: the subtraction attacker (tests/subtraction.py) adds and
    subtracts every count the council sees (the category's women and men, and
    each shown cell of the two rows) and finds no set of 1-4 people. A few have another
    gender: their total is not on the page and must not follow from the rows."""
    people = _people(np.random.default_rng(seed))

    def size(group: str, gender: str | None = None) -> RiseShare:
        mask = people["group"] == group
        if gender:
            mask &= people["gender"] == gender
        return RiseShare(int(mask.sum()), 0)

    result = LeaveRise(
        category="A",
        reference_date=R,
        window_start=P,
        previous_date=P,
        has_leave_data=True,
        n_returned=size("returners").n,
        n_without_earlier_pay=0,
        returners=size("returners"),
        returners_female=size("returners", "female"),
        returners_male=size("returners", "male"),
        others=size("others"),
        others_female=size("others", "female"),
        others_male=size("others", "male"),
        returned_by_type={},
        staff=len(people),
        staff_female=int((people["gender"] == "female").sum()),
        staff_male=int((people["gender"] == "male").sum()),
    )
    rows = leave_rise_rows(result, Discloser(False, 5))
    gender, group = people["gender"].to_numpy(), people["group"].to_numpy()
    sets = [gender == "female", gender == "male"]  # the category's row on the page
    for row in rows:
        in_row = group == row["group"]
        if row["all"]["shown"]:
            sets.append(in_row)
        for g in ("female", "male"):
            if row[g]["shown"]:
                sets.append(in_row & (gender == g))
                assert row[g]["n"] == int((in_row & (gender == g)).sum())
    assert smallest_isolated(sets, 5) is None
