"""Rule 6 of :mod:`koers.stats.orgdisclosure`: differencing over time (published figures).

A figure shown once can be subtracted from the same figure shown later. When one
organisation joins or stops between two views, the difference describes that one
organisation, however well each figure passes rules 1–4 on its own. Statistical agencies
answer with a release policy: once a figure is published it stays as published, and a
new value is published only when its difference with every earlier publication of the
same figure is itself a publishable group of organisations (:func:`check_release`).
(Hundepool et al. 2012 treat this as disclosure by differencing of related tables;
:func:`koers.stats.release.plan_release` does the same for people.)

Pure, no Django, like rules 1–5; :mod:`koers.programme.release` keeps the publications.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from koers.stats.orgdisclosure import Decision, Policy, Refusal, Summary, check_summary


@dataclass(frozen=True)
class Contribution:
    """One organisation's contribution to one figure, as published or as it is now.

    ``base`` decides the threshold and dominance of a difference (headcount, hires, … or
    1 for a count of organisations); ``amounts`` are amounts under the p % rule (the pay
    sums of women and of men); ``detail`` holds the other numbers the figure is computed
    from (the numerator), only to notice a corrected contribution; ``group`` is the side
    of a split figure ("chose the measure" or not) whose difference must pass on its own.
    """

    base: float
    amounts: tuple[float, ...] = ()
    detail: tuple[float, ...] = ()
    group: str = ""


Contributions = Mapping[Any, Contribution]


def difference_group(
    current: Contributions, earlier: Contributions
) -> dict[Hashable, Contribution]:
    """The organisations by which two versions of a figure differ.

    Those that joined (with their contribution now), those that left (with their
    contribution as published) and those whose contribution changed (a correction, another
    side of a split: counted with their contribution now, as if they had joined; a
    conservative choice, since the difference holds their whole change).
    """
    out: dict[Any, Contribution] = {}
    for org in set(current) | set(earlier):
        now, then = current.get(org), earlier.get(org)
        if now is None:
            assert then is not None
            out[org] = then
        elif then is None or now != then:
            out[org] = now
    return out


def check_difference(
    current: Contributions, earlier: Contributions, policy: Policy = Policy()
) -> Decision:
    """Rules 1–3 for the difference of two versions of one figure.

    The difference group must be empty or pass: at least ``min_organisations``
    organisations, none above ``max_share`` of the group's base, each amount series under
    the p % rule; for a split figure each side of the difference as well.
    """
    diff = difference_group(current, earlier)
    if not diff:
        return Decision(True, 0)
    groups: list[list[Contribution]] = [list(diff.values())]
    sides = sorted({c.group for c in diff.values()})
    if sides != [""]:
        groups += [[c for c in diff.values() if c.group == side] for side in sides]
    for members in groups:
        counts = Summary.of(c.base for c in members)
        width = max((len(c.amounts) for c in members), default=0)
        decision = check_summary(counts, policy)
        for i in range(width):
            if not decision.allowed:
                break
            amounts = Summary.of(c.amounts[i] if i < len(c.amounts) else 0.0 for c in members)
            decision = check_summary(counts, policy, amounts=amounts)
        if not decision.allowed:
            return Decision(False, len(diff), decision.refusals)
    return Decision(True, len(diff))


@dataclass(frozen=True)
class ReleaseDecision:
    """What to show for a figure given its publication history.

    ``action`` is "publish" (show the value computed now and store it as a new
    publication), "frozen" (show the latest publication's value again) or "withheld"
    (show nothing; ``decision`` says why).
    """

    action: str
    decision: Decision

    @property
    def shown(self) -> bool:
        return self.action != "withheld"


def _difference_refusal(diff: Decision, policy: Policy, *, withdrawn: bool) -> tuple[Refusal, ...]:
    why = diff.refusal.code if diff.refusal else "threshold"
    n, m = diff.n_organisations, policy.min_organisations
    pct = f"{policy.max_share * 100:g}"
    nl_why, en_why = {
        "dominance": (
            f"één organisatie meer dan {pct} % van het verschil met een eerder getoond "
            "cijfer zou uitmaken",
            f"one organisation would make up more than {pct} % of the difference with a "
            "figure shown earlier",
        ),
        "p_percent": (
            "de bedragen in het verschil met een eerder getoond cijfer de p%-regel niet doorstaan",
            "the amounts in the difference with a figure shown earlier fail the p % rule",
        ),
    }.get(
        why,
        (
            f"het met een eerder getoond cijfer maar {n} organisatie(s) verschilt "
            f"(minstens {m} nodig)",
            f"it would differ from a figure shown earlier by only {n} organisation(s) "
            f"(at least {m} needed)",
        ),
    )
    if withdrawn:
        head = Refusal(
            "withdrawn",
            "Ingetrokken: een organisatie die aan dit cijfer bijdroeg is gestopt met "
            f"delen. Een nieuw cijfer wordt nog niet getoond omdat {nl_why}; uit het "
            "verschil zou af te leiden zijn wat die organisatie bijdroeg. Het cijfer "
            "komt terug zodra genoeg deelnemers zijn bijgekomen, gestopt of veranderd.",
            "Withdrawn: an organisation that contributed to this figure stopped "
            f"sharing. A new figure is not shown yet because {en_why}; the difference "
            "would reveal what that organisation contributed. The figure returns once "
            "enough members have joined, stopped or changed.",
        )
    else:
        head = Refusal(
            "difference",
            f"Dit cijfer wordt niet getoond omdat {nl_why} (van dit jaar, met of zonder "
            "filter); uit het verschil zou af te leiden zijn wat die organisaties "
            "bijdroegen. Het komt zodra genoeg deelnemers zijn bijgekomen, gestopt of "
            "veranderd.",
            f"This figure is not shown because {en_why} (of this year, with or without a "
            "filter); the difference would reveal what those organisations contributed. It "
            "appears once enough members have joined, stopped or changed.",
        )
    return (head, *diff.refusals)


def implied_differences(history: Sequence[Contributions]) -> list[dict[Any, Contribution]]:
    """The groups two publications give away together: a publication minus another one
    whose organisations it all contains (the whole programme minus a filter's subset shown
    earlier is that subset's complement as it was then). One level deep: a combination of
    three or more publications is not followed (see docs/programme.md)."""
    sets = [set(h) for h in history]
    out: list[dict[Any, Contribution]] = []
    for i, bigger in enumerate(history):
        for j, smaller in enumerate(sets):
            if i != j and smaller < sets[i]:
                out.append({org: c for org, c in bigger.items() if org not in smaller})
    return out


def check_release(
    current: Contributions,
    now: Decision,
    *,
    shown: Contributions | None,
    history: Sequence[Contributions],
    policy: Policy = Policy(),
) -> ReleaseDecision:
    """Rule 6 (differencing over time) for one figure.

    ``current`` are the contributions now and ``now`` the decision of rules 1–5 on the
    figure as computed now; ``shown`` the contributions of this figure's latest
    publication (None if it was never shown); ``history`` those of every earlier
    publication that can be subtracted from it: the figure's own and those of related
    figures (the same year and figure under another filter), ``shown`` among them.

    - ``shown`` exists and every organisation of it still contributes: show it again
      (frozen) unless something changed and a new value passes rules 1–5 *and* its
      difference with every publication in ``history`` passes
      (:func:`check_difference`); then publish the new value.
    - Otherwise (never shown, or an organisation of it no longer contributes: it stopped,
      or withdrew this item; the old value is not shown any more): publish a new value if
      it passes as above, else withhold it ("withdrawn" when it had been shown).
    """
    still_there = shown is not None and set(shown) <= set(current)
    if shown is not None and still_there and dict(current) == dict(shown):
        return ReleaseDecision("frozen", Decision(True, len(shown)))
    frozen = ReleaseDecision("frozen", Decision(True, len(shown or ())))
    if not now.allowed:
        if still_there:
            return frozen
        if shown is None:
            return ReleaseDecision("withheld", now)
        withdrawn = Refusal(
            "withdrawn",
            "Ingetrokken: een organisatie die aan dit cijfer bijdroeg is gestopt met delen, "
            "en zonder haar voldoet het cijfer niet aan de regels.",
            "Withdrawn: an organisation that contributed to this figure stopped sharing, and "
            "without it the figure does not pass the rules.",
        )
        return ReleaseDecision(
            "withheld", Decision(False, now.n_organisations, (withdrawn, *now.refusals))
        )
    for earlier in [*history, *implied_differences(history)]:
        diff = check_difference(current, earlier, policy)
        if not diff.allowed:
            if still_there:
                return frozen
            refusals = _difference_refusal(diff, policy, withdrawn=shown is not None)
            return ReleaseDecision("withheld", Decision(False, now.n_organisations, refusals))
    return ReleaseDecision("publish", now)
