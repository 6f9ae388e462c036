"""Rule 6 of stats/orgdisclosure (stats/orgrelease): differencing over time, by hand-worked
histories."""

from __future__ import annotations

from koers.stats.orgdisclosure import Decision
from koers.stats.orgrelease import (
    Contribution,
    check_difference,
    check_release,
    difference_group,
    implied_differences,
)

OK = Decision(True, 0)


def orgs(*names: str, base: float = 100.0, women: float = 30.0) -> dict[str, Contribution]:
    return {n: Contribution(base, (), (women,)) for n in names}


FIVE = orgs("a", "b", "c", "d", "e")
SIX = FIVE | orgs("f")


def test_nothing_published_yet_is_published_when_the_rules_allow_it() -> None:
    assert check_release(SIX, OK, shown=None, history=[]).action == "publish"
    refused = Decision(False, 4)
    assert check_release(FIVE, refused, shown=None, history=[]).action == "withheld"


def test_the_same_contributors_show_the_published_value_again() -> None:
    assert check_release(dict(SIX), OK, shown=SIX, history=[SIX]).action == "frozen"


def test_one_member_joining_keeps_the_published_value() -> None:
    # Publishing over seven would make the seventh the difference with the six shown.
    seven = SIX | orgs("g")
    decision = check_release(seven, OK, shown=SIX, history=[SIX])
    assert decision.action == "frozen"
    assert decision.shown


def test_one_member_stopping_withdraws_the_figure() -> None:
    five = {k: v for k, v in SIX.items() if k != "f"}
    decision = check_release(five, OK, shown=SIX, history=[SIX])
    assert decision.action == "withheld"
    refusal = decision.decision.refusal
    assert refusal is not None
    assert refusal.code == "withdrawn"
    assert refusal.nl.startswith("Ingetrokken: een organisatie")
    assert "stopped sharing" in refusal.en
    assert "only 1 organisation(s)" in refusal.en


def test_a_stop_that_also_breaks_the_rules_now_is_withdrawn_with_that_reason() -> None:
    four = orgs("a", "b", "c", "d")
    decision = check_release(four, Decision(False, 4), shown=FIVE, history=[FIVE])
    assert decision.action == "withheld"
    assert [r.code for r in decision.decision.refusals][:1] == ["withdrawn"]


def test_five_balanced_changes_republish() -> None:
    # One stopped, four joined: five organisations differ, none dominant.
    current = {k: v for k, v in SIX.items() if k != "f"} | orgs("g", "h", "i", "j")
    decision = check_release(current, OK, shown=SIX, history=[SIX])
    assert decision.action == "publish"


def test_a_difference_one_member_dominates_is_withheld() -> None:
    # Five changed, but one of them has 1,000 of the 1,400 employees in the difference.
    current = {k: v for k, v in SIX.items() if k != "f"} | orgs("g", "h", "i")
    current |= orgs("big", base=1000.0)
    decision = check_release(current, OK, shown=SIX, history=[SIX])
    assert decision.action == "withheld"
    codes = [r.code for r in decision.decision.refusals]
    assert codes[:2] == ["withdrawn", "dominance"]
    assert "more than 25 %" in decision.decision.reason("en")


def test_a_new_value_must_pass_against_every_earlier_publication() -> None:
    # Published over A (6), then over B = A + 5 joined. Now one of A stops and one new
    # member joins: against B the difference is 2 (refused) though against A it is 6.
    first = SIX
    second = SIX | orgs("g", "h", "i", "j", "k")
    now = {k: v for k, v in second.items() if k != "a"} | orgs("z")
    assert check_difference(now, first).allowed
    assert not check_difference(now, second).allowed
    decision = check_release(now, OK, shown=second, history=[first, second])
    assert decision.action == "withheld"
    # With four more joined the difference with B is six and the value returns.
    later = now | orgs("w", "x", "y", "v")
    assert check_release(later, OK, shown=second, history=[first, second]).action == "publish"


def test_a_pay_difference_is_held_to_the_p_percent_rule() -> None:
    def pay(name: str, amount: float) -> dict[str, Contribution]:
        return {name: Contribution(100.0, (amount, amount), (40.0, 60.0))}

    shown = {k: v for name in "abcdef" for k, v in pay(name, 3000.0).items()}
    joined: dict[str, Contribution] = dict(shown)
    for name, amount in [("g", 90_000.0), ("h", 85_000.0), ("i", 10.0), ("j", 10.0), ("k", 10.0)]:
        joined |= pay(name, amount)
    # Headcount is balanced in the difference, the two largest pay bills are not.
    decision = check_release(joined, OK, shown=shown, history=[shown])
    assert decision.action == "frozen"
    diff = check_difference(joined, shown)
    assert diff.refusal is not None
    assert diff.refusal.code == "p_percent"


def test_a_correction_counts_as_a_change() -> None:
    corrected = dict(SIX) | {"a": Contribution(100.0, (), (31.0,))}
    assert set(difference_group(corrected, SIX)) == {"a"}
    # Published values stay frozen when members correct their data.
    assert check_release(corrected, OK, shown=SIX, history=[SIX]).action == "frozen"


def test_each_side_of_a_split_figure_must_pass_in_the_difference() -> None:
    # A count "k of n chose the measure": five joined, but only one of them chose it.
    def side(names: str, group: str) -> dict[str, Contribution]:
        return {n: Contribution(1.0, group=group) for n in names}

    shown = side("abcde", "with") | side("fghij", "without")
    now = shown | side("k", "with") | side("lmno", "without")
    diff = check_difference(now, shown)
    assert not diff.allowed
    assert check_release(now, OK, shown=shown, history=[shown]).action == "frozen"
    more = now | side("pqrs", "with") | side("t", "without")
    assert check_release(more, OK, shown=shown, history=[shown]).action == "publish"


def test_a_new_figure_is_checked_against_related_publications() -> None:
    # The whole programme (ten) and the small members (five) were shown; one large member
    # joins. The large members now (six) minus the whole-minus-small then (five) would be
    # the newcomer: the first large figure is refused although it never was shown.
    small = orgs("a", "b", "c", "d", "e")
    large_then = orgs("f", "g", "h", "i", "j")
    whole = small | large_then
    large_now = large_then | orgs("k")
    (implied,) = implied_differences([whole, small])
    assert set(implied) == set(large_then)
    decision = check_release(large_now, OK, shown=None, history=[whole, small])
    assert decision.action == "withheld"
    refusal = decision.decision.refusal
    assert refusal is not None
    assert refusal.code == "difference"
    assert "eerder getoond" in refusal.nl
