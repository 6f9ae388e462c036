"""koers.stats.flows: the definitions of the `koers flows` contract, on generated data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from koers.stats.flows import compute_flows

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def generate(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hire = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3900, n), unit="D")
    leaves = rng.random(n) < 0.3
    exit_date = hire + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
    promoted = rng.random(n) < 0.4
    promotion = hire + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
    # Put some dates exactly on the period's edges.
    hire = hire.where(rng.random(n) > 0.03, pd.Timestamp(START))
    exit_date = exit_date.where(rng.random(n) > 0.03, pd.Timestamp(END))
    return pd.DataFrame(
        {
            "employee_id": [f"E{i}" for i in range(n)],
            "gender": rng.choice(["female", "male", "other"], n, p=[0.4, 0.55, 0.05]),
            "hire_date": hire,
            "exit_date": exit_date.where(leaves, pd.NaT),
            "last_promotion_date": promotion.where(promoted, pd.NaT),
            "job_level": rng.choice(["1", "2", "3", "10"], n),
            "management_layer": rng.choice(["none", "subtop", "supervisory_board"], n,
                                           p=[0.9, 0.07, 0.03]),
        }
    )  # fmt: skip


def naive(df: pd.DataFrame, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for g in ("female", "male", "other"):
        counts = dict.fromkeys(("start", "end", "hires", "leavers", "promotions"), 0)
        for row in df.itertuples():
            if row.gender != g or row.management_layer == "supervisory_board":
                continue
            hire = row.hire_date.date()
            last = None if pd.isna(row.exit_date) else row.exit_date.date()
            promo = None if pd.isna(row.last_promotion_date) else row.last_promotion_date.date()
            counts["start"] += hire <= start and (last is None or start <= last)
            counts["end"] += hire <= end and (last is None or end <= last)
            counts["hires"] += start < hire <= end
            counts["leavers"] += last is not None and start <= last < end
            counts["promotions"] += promo is not None and start < promo <= end
        out[g] = counts
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_end_equals_start_plus_hires_minus_leavers(seed: int) -> None:
    df = generate(3000, seed)
    result = compute_flows(df, START, END)
    for flows in result.by_gender.values():
        assert flows.headcount_end == flows.headcount_start + flows.hires - flows.leavers
        assert flows.hires > 0
        assert flows.leavers > 0


@pytest.mark.parametrize("seed", [0, 1])
def test_flows_match_a_row_by_row_reading_of_the_definitions(seed: int) -> None:
    df = generate(1500, seed)
    result = compute_flows(df, START, END)
    expected = naive(df, START, END)
    for g, flows in result.by_gender.items():
        e = expected[g]
        assert (flows.headcount_start, flows.headcount_end, flows.hires, flows.leavers,
                flows.promotions) == (e["start"], e["end"], e["hires"], e["leavers"],
                                      e["promotions"])  # fmt: skip
        assert flows.outflow_rate == pytest.approx(e["leavers"] / ((e["start"] + e["end"]) / 2))
        assert flows.promotion_rate == pytest.approx(e["promotions"] / e["start"])


def test_levels_count_staff_on_the_end_date_in_level_order() -> None:
    df = generate(2000, 5)
    result = compute_flows(df, START, END)
    assert [lv.job_level for lv in result.levels] == ["1", "2", "3", "10"]
    staff = df[df["management_layer"] != "supervisory_board"]
    on_end = staff[
        (staff["hire_date"] <= pd.Timestamp(END))
        & (staff["exit_date"].isna() | (staff["exit_date"] >= pd.Timestamp(END)))
    ]
    for level in result.levels:
        rows = on_end[on_end["job_level"] == level.job_level]
        assert level.n_female == int((rows["gender"] == "female").sum())
        assert level.n_other == int((rows["gender"] == "other").sum())
        assert level.female_share == pytest.approx(level.n_female / len(rows))
    assert sum(lv.n_female + lv.n_male + lv.n_other for lv in result.levels) == sum(
        f.headcount_end for f in result.by_gender.values()
    )


def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": ["1", "2", "3"],
            "gender": ["female", "female", "male"],
            "hire_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-01"]),
            "exit_date": pd.to_datetime([None, None, None]),
            "job_level": ["A", "B", "A"],
        }
    )


def test_promotions_are_null_when_there_is_neither_a_column_nor_events() -> None:
    result = compute_flows(small(), START, END)
    assert result.by_gender["female"].promotions is None
    assert result.to_dict()["by_gender"]["female"]["promotion_rate"] is None


def test_every_promotion_event_in_the_period_counts() -> None:
    events = pd.DataFrame(
        {
            "employee_id": ["1", "1", "2", "3", "3", "99"],
            "event": ["promotion", "promotion", "level_change", "promotion", "promotion",
                      "promotion"],
            "date": pd.to_datetime(["2024-03-01", "2024-09-01", "2024-03-01", "2024-01-01",
                                    "2024-12-31", "2024-05-05"]),
        }
    )  # fmt: skip
    result = compute_flows(small(), START, END, events=events)
    # 2024-01-01 is the start date itself: not after it, so not in the period.
    assert result.by_gender["female"].promotions == 2
    assert result.by_gender["male"].promotions == 1
    assert result.by_gender["female"].promotion_rate == pytest.approx(1.0)
    assert result.n_unmatched_events == 1
    assert result.female_share_of_promotions == pytest.approx(2 / 3)


def test_rates_are_null_when_the_denominator_is_zero() -> None:
    result = compute_flows(small(), START, END)
    other = result.by_gender["other"]
    assert (other.headcount_start, other.outflow_rate, other.promotion_rate) == (0, None, None)
    assert result.female_share_of_hires is None


def test_the_contract_keys_are_exactly_as_documented() -> None:
    data = compute_flows(small(), START, END).to_dict()
    assert list(data) == ["from", "to", "by_gender", "levels"]
    assert list(data["by_gender"]) == ["female", "male", "other"]
    assert set(data["by_gender"]["male"]) == {
        "headcount_start", "headcount_end", "hires", "leavers", "promotions", "outflow_rate",
        "promotion_rate",
    }  # fmt: skip
    assert set(data["levels"][0]) == {"job_level", "n_female", "n_male", "n_other", "female_share"}


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="after it ends"):
        compute_flows(small(), END, START)
