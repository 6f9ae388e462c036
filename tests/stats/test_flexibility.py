"""The fair-flexibility register's aggregates: suppression with margins and the
women-versus-men statement (a seeded simulation)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from koers.stats.disclosure import suppress_with_margins
from koers.stats.flexibility import (
    Request,
    outcome_margin,
    register_figures,
)

K = 5


def _lines(hidden: np.ndarray) -> list[np.ndarray]:
    rows, cols = hidden.shape
    return [hidden[r, :] for r in range(rows)] + [hidden[:, c] for c in range(cols)]


def test_a_hand_worked_table_hides_the_small_cell_and_its_complements() -> None:
    # Cells [[10, 2], [8, 9]]; margins 12, 17 | 18, 11 | 29. The 2 is below k; its row,
    # then the columns, each need a second hidden entry: the smallest other non-empty one.
    hidden = suppress_with_margins(np.array([[10, 2], [8, 9]]), K)
    assert hidden.astype(int).tolist() == [[1, 1, 0], [1, 1, 0], [0, 0, 0]]


def test_no_line_of_a_suppressed_table_has_exactly_one_hidden_entry() -> None:
    rng = np.random.default_rng(7)
    for _ in range(500):
        rows = int(rng.integers(1, 5))
        cells = rng.integers(0, 12, size=(rows, 2))
        hidden = suppress_with_margins(cells, K)
        full = np.zeros((rows + 1, 3), dtype=int)
        full[:rows, :2] = cells
        full[:rows, 2] = cells.sum(axis=1)
        full[rows, :2] = cells.sum(axis=0)
        full[rows, 2] = cells.sum()
        assert hidden[(full > 0) & (full < K)].all()
        for line, values in zip(
            _lines(hidden),
            [full[r, :] for r in range(rows + 1)] + [full[:, c] for c in range(3)],
            strict=True,
        ):
            if line.sum() == 1:
                # Allowed only when nothing else in the line could be hidden (all zero).
                assert not ((values > 0) & ~line).any(), (cells.tolist(), hidden.astype(int))


def test_a_fixed_margin_is_kept_and_protected_in_every_table() -> None:
    rng = np.random.default_rng(11)
    for _ in range(300):
        cells = rng.integers(0, 9, size=(3, 2))
        granted, refused = cells.sum(axis=0)
        margin = outcome_margin(int(granted), int(refused), K)
        hidden = suppress_with_margins(cells, K, fixed_margin=margin)
        assert (hidden[3, :] == margin).all()
        for c in range(3):
            column = hidden[:, c]
            assert (
                column.sum() != 1
                or not ((cells.sum(axis=1) if c == 2 else cells[:, c]) > 0)[~column[:3]].any()
            )


def _register(
    rng: np.random.Generator, n_f: int, n_m: int, p_f: float, p_m: float
) -> list[Request]:
    out = [Request("hours", "A", "female", bool(rng.random() < p_f)) for _ in range(n_f)]
    out += [Request("place", "B", "male", bool(rng.random() < p_m)) for _ in range(n_m)]
    return out


def test_the_comparison_agrees_with_scipys_fisher_test() -> None:
    rng = np.random.default_rng(3)
    figures = register_figures(_register(rng, 40, 50, 0.6, 0.8), K)
    rows = {r.key: r for r in figures.by_gender.rows}
    f, m = rows["female"], rows["male"]
    expected = stats.fisher_exact([[f.granted, f.refused], [m.granted, m.refused]]).pvalue
    assert figures.comparison.shown
    assert figures.comparison.p_value == pytest.approx(expected)
    assert figures.comparison.rate_female == pytest.approx(f.granted / 40)


def test_a_difference_is_stated_only_when_it_holds() -> None:
    """Seeded simulation, 400 registers per scenario."""
    rng = np.random.default_rng(20)
    runs = 400

    def rate(n_f: int, n_m: int, p_f: float, p_m: float) -> tuple[float, float]:
        stated = shown = 0
        for _ in range(runs):
            c = register_figures(_register(rng, n_f, n_m, p_f, p_m), K).comparison
            shown += c.shown
            stated += c.difference
        return stated / runs, shown / runs

    # No structure: the same grant rate for women and men. Fisher's test is conservative,
    # so the statement is made in at most about 5 % of the registers (measured: 1.0 %,
    # compared in 96 %).
    stated, shown = rate(40, 40, 0.75, 0.75)
    assert shown > 0.9
    assert stated <= 0.05
    # A planted difference (50 % vs 80 %, 60 requests each) is found (measured: 89 %).
    stated, shown = rate(60, 60, 0.5, 0.8)
    assert shown > 0.95
    assert stated >= 0.8
    # At 60 % vs 90 % men's refusals are often fewer than k: then the comparison is
    # withheld rather than made on a hidden cell (measured: compared in 75 %).
    stated, shown = rate(60, 60, 0.6, 0.9)
    assert stated <= shown < 0.9
    # Small groups: 4 women asked. Nothing is compared, whatever the rates.
    stated, shown = rate(4, 40, 0.1, 0.95)
    assert shown == 0
    assert stated == 0


def test_few_refusals_among_women_withhold_the_comparison() -> None:
    requests = [Request("hours", "A", "female", True) for _ in range(20)]
    requests += [Request("hours", "A", "female", False) for _ in range(2)]
    requests += [Request("hours", "A", "male", i % 3 != 0) for i in range(30)]
    figures = register_figures(requests, K)
    rows = {r.key: r for r in figures.by_gender.rows}
    assert rows["female"].refused is None
    assert rows["female"].rate is None
    assert not figures.comparison.shown


def test_a_lone_other_gender_hides_a_second_cell_so_it_cannot_be_derived() -> None:
    requests = [Request("hours", "A", "female", i % 4 != 0) for i in range(24)]
    requests += [Request("hours", "A", "male", i % 4 != 0) for i in range(28)]
    requests += [Request("hours", "A", "other", True)]
    figures = register_figures(requests, K)
    rows = {r.key: r for r in figures.by_gender.rows}
    assert rows["other"].n is None
    assert rows["other"].granted is None
    # The total is shown, so one more granted count among women or men must be hidden.
    assert figures.by_gender.total.granted is not None
    assert rows["female"].granted is None or rows["male"].granted is None


def test_unknown_categories_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        register_figures([Request("salary", "A", "female", True)], K)
    with pytest.raises(ValueError, match="at least 5"):
        register_figures([], 3)
