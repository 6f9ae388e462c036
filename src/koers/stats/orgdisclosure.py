"""Confidentiality of figures across organisations (a sector programme's dashboard).

:mod:`koers.stats.disclosure` protects *people* inside one organisation. A figure
across organisations (the share of women over the members of a programme, their
pooled pay gap) must also protect each *organisation*: a member must not be able
to read a competitor's headcount or pay bill from the programme's figures. The
rules are those of statistical agencies and benchmark providers:

1. **Threshold.** A figure needs at least ``min_organisations`` contributing
   organisations (``KOERS_MIN_ORGANISATIONS``, default 5, configurable upward
   only). Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley,
   §5.2 (the minimum frequency rule for business data).
2. **Dominance ((n, k) rule with n = 1).** No organisation contributes more
   than ``max_share`` (25 %) of the figure's total, measured on the figure's
   base (headcount: of the workforce for shares and pay, of the movers for
   inflow and outflow).
   Hundepool et al. (2012) §4.2.2 (the (n,k)-dominance rule).
3. **p % rule for amounts.** For pay amounts, the second-largest contributor
   subtracting its own amount from the total must not come within p % of the
   largest contributor's amount: ``total − x₁ − x₂ ≥ p/100 · x₁`` with x₁ ≥ x₂
   the two largest contributions (p = 10 by default). Hundepool et al. (2012)
   §4.2.3 (the p % rule); also Cox (1981), "Linear sensitivity measures in
   statistical disclosure control", *J. Statistical Planning and Inference* 5.
4. **Complements and filters.** A subset of the organisations (a size class, a
   sub-sector) is shown only if the subset and its complement within the
   programme both pass rules 1–3, or the complement is empty (DESIGN.md's rule 3
   for people, applied to organisations). At most two filters combine; for two
   filters A and B, "A and not B" and "B and not A" must be empty or pass too, so
   the difference of two shown figures never describes a protected group.
   Parts of one whole (the six shares of a profile mix) are shown all or not at all
   (:func:`check_parts`): one part withheld would follow from the others.
5. **Publication lag.** Figures come only from snapshots whose reference date
   lies at least ``lag_months`` (3) months in the past, so a figure cannot be
   tied to a recent, still-recognisable event in one member.

Every refusal carries its reason in Dutch and English (:class:`Refusal`). The
functions work on per-organisation contributions (lists, for tests and small
callers) or on the summary a database aggregate returns (:class:`Summary`: count,
total, largest, second largest), so the dashboard computes sums and maxima in
PostgreSQL and only the decision happens here.

Rule 6, differencing over time (a figure once shown stays as shown), is in
:mod:`koers.stats.orgrelease`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

MIN_ORGANISATIONS = 5
MAX_SHARE = 0.25
P_PERCENT = 10.0
LAG_MONTHS = 3
MAX_FILTERS = 2


@dataclass(frozen=True)
class Policy:
    """The rule's parameters; each can only be made stricter than the defaults."""

    min_organisations: int = MIN_ORGANISATIONS
    max_share: float = MAX_SHARE
    p_percent: float = P_PERCENT
    lag_months: int = LAG_MONTHS

    def __post_init__(self) -> None:
        if int(self.min_organisations) < MIN_ORGANISATIONS:
            raise ValueError(
                f"a figure needs at least {MIN_ORGANISATIONS} organisations, "
                f"got {self.min_organisations}"
            )
        if not 0 < float(self.max_share) <= MAX_SHARE:
            raise ValueError(f"the dominance share is at most {MAX_SHARE}, got {self.max_share}")
        if float(self.p_percent) < P_PERCENT:
            raise ValueError(f"p is at least {P_PERCENT} %, got {self.p_percent}")
        if int(self.lag_months) < LAG_MONTHS:
            raise ValueError(f"the lag is at least {LAG_MONTHS} months, got {self.lag_months}")


@dataclass(frozen=True)
class Refusal:
    """Why a figure is not shown: a stable code and the reason in Dutch and English."""

    code: str  # "threshold", "dominance", "p_percent", "complement", "filters", "lag"
    nl: str
    en: str

    def text(self, language: str) -> str:
        return self.en if str(language).lower().startswith("en") else self.nl

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    n_organisations: int
    refusals: tuple[Refusal, ...] = field(default_factory=tuple)

    @property
    def refusal(self) -> Refusal | None:
        return self.refusals[0] if self.refusals else None

    def reason(self, language: str) -> str:
        return self.refusals[0].text(language) if self.refusals else ""

    def to_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed,
            "n_organisations": self.n_organisations,
            "refusals": [r.to_dict() for r in self.refusals],
        }


@dataclass(frozen=True)
class Summary:
    """What a database aggregate returns about the contributions to one figure.

    ``n`` organisations contribute (a positive contribution); ``total`` is the sum of
    their contributions, ``largest`` and ``second`` the two largest (0 when absent).
    """

    n: int
    total: float
    largest: float
    second: float = 0.0

    def __post_init__(self) -> None:
        if self.n < 0 or self.total < 0 or self.largest < 0 or self.second < 0:
            raise ValueError("contributions are counts or amounts, never negative")
        if self.second > self.largest:
            raise ValueError("the second largest contribution exceeds the largest")
        if self.largest > self.total + 1e-9 * max(1.0, self.total):
            raise ValueError("the largest contribution exceeds the total")

    @classmethod
    def of(cls, contributions: Iterable[float]) -> Summary:
        raw = [float(x) for x in contributions]
        if any(x < 0 for x in raw):
            raise ValueError("contributions are counts or amounts, never negative")
        values = sorted((x for x in raw if x > 0), reverse=True)
        return cls(
            n=len(values),
            total=float(sum(values)),
            largest=values[0] if values else 0.0,
            second=values[1] if len(values) > 1 else 0.0,
        )

    @property
    def empty(self) -> bool:
        return self.n == 0


def _threshold(n: int, policy: Policy, what: str = "", wat: str = "") -> Refusal:
    m = policy.min_organisations
    return Refusal(
        "threshold",
        f"Dit cijfer{wat} komt van {n} organisatie(s); er zijn er minstens {m} nodig.",
        f"This figure{what} comes from {n} organisation(s); at least {m} are needed.",
    )


def _dominance(policy: Policy, what: str = "", wat: str = "") -> Refusal:
    pct = f"{policy.max_share * 100:g}"
    return Refusal(
        "dominance",
        f"Eén organisatie draagt meer dan {pct} % bij aan dit cijfer{wat}; "
        "het zou vooral over die organisatie gaan.",
        f"One organisation contributes more than {pct} % of this figure{what}; "
        "it would mostly describe that organisation.",
    )


def _p_percent(policy: Policy, what: str = "", wat: str = "") -> Refusal:
    p = f"{policy.p_percent:g}"
    return Refusal(
        "p_percent",
        f"Uit dit bedrag{wat} zou de op één na grootste organisatie het bedrag van de grootste "
        f"tot op {p} % kunnen afleiden (p%-regel).",
        f"From this amount{what} the second-largest organisation could estimate the largest "
        f"one's amount to within {p} % (p % rule).",
    )


def check_summary(
    counts: Summary, policy: Policy = Policy(), *, amounts: Summary | None = None
) -> Decision:
    """Rules 1–3 for one figure given database aggregates.

    ``counts`` summarises the figure's base per organisation (e.g. headcount) and
    decides rules 1 and 2; ``amounts`` (pay sums per organisation), when given, must
    pass rules 1 and 3 as well. Dominance is judged on the base, not on the amounts:
    with n ≥ 5 and no organisation above 25 % of the amounts, the rest is at least
    half the total, so a p % rule with p ≤ 200 could never bite.
    """
    refusals: list[Refusal] = []
    if counts.n < policy.min_organisations:
        refusals.append(_threshold(counts.n, policy))
    elif counts.total <= 0 or counts.largest > policy.max_share * counts.total:
        refusals.append(_dominance(policy))
    if amounts is not None and not refusals:
        if amounts.n < policy.min_organisations:
            refusals.append(_threshold(amounts.n, policy))
        elif amounts.total - amounts.largest - amounts.second < (
            policy.p_percent / 100.0 * amounts.largest
        ):
            refusals.append(_p_percent(policy))
    return Decision(not refusals, counts.n, tuple(refusals))


def check_figure(
    contributions: Iterable[float],
    policy: Policy = Policy(),
    *,
    amounts: Iterable[float] | None = None,
) -> Decision:
    """Rules 1–3 for one figure from per-organisation contributions."""
    return check_summary(
        Summary.of(contributions),
        policy,
        amounts=None if amounts is None else Summary.of(amounts),
    )


def dominance_share(contributions: Sequence[float]) -> float:
    """The largest organisation's share of the total (0 for an empty figure)."""
    s = Summary.of(contributions)
    return s.largest / s.total if s.total > 0 else 0.0


def check_subset(
    subset: Summary,
    complement: Summary,
    policy: Policy = Policy(),
    *,
    subset_amounts: Summary | None = None,
    complement_amounts: Summary | None = None,
    label: str = "",
) -> Decision:
    """Rule 4 for one subset: the subset passes, and its complement passes or is empty."""
    inside = check_summary(subset, policy, amounts=subset_amounts)
    if not inside.allowed:
        return inside
    if complement.empty:
        return inside
    outside = check_summary(complement, policy, amounts=complement_amounts)
    if outside.allowed:
        return inside
    name = f" ({label})" if label else ""
    return Decision(
        False,
        subset.n,
        (
            Refusal(
                "complement",
                f"De overige organisaties buiten deze selectie{name} voldoen niet aan de "
                "regels; hun cijfer zou volgen uit het totaal min deze selectie. "
                "Kies een andere indeling.",
                f"The other organisations outside this selection{name} do not pass the rules; "
                "their figure would follow from the total minus this selection. "
                "Choose another grouping.",
            ),
            *outside.refusals,
        ),
    )


Attributes = Mapping[str, object]
K = TypeVar("K", bound=Hashable)


def check_filters(
    organisations: Mapping[Hashable, Attributes],
    contributions: Mapping[Hashable, float],
    filters: Sequence[tuple[str, object]],
    policy: Policy = Policy(),
    *,
    amounts: Mapping[Hashable, float] | None = None,
) -> Decision:
    """Rule 4 for up to two filters ``(attribute, value)`` over the programme's organisations.

    ``organisations`` maps each organisation to its attributes (size class, sub-sector);
    ``contributions`` (and ``amounts``) give each one's contribution to the figure.
    Each filter, their combination and both differences are checked.
    """
    if len(filters) > MAX_FILTERS:
        return Decision(
            False,
            0,
            (
                Refusal(
                    "filters",
                    f"Er kunnen hoogstens {MAX_FILTERS} filters tegelijk; haal er een weg.",
                    f"At most {MAX_FILTERS} filters can be combined; remove one.",
                ),
            ),
        )
    everyone = set(organisations)

    def members(attr: str, value: object) -> set[Hashable]:
        return {o for o, a in organisations.items() if a.get(attr) == value}

    def summaries(group: set[Hashable]) -> tuple[Summary, Summary | None]:
        c = Summary.of(contributions.get(o, 0.0) for o in group)
        a = None if amounts is None else Summary.of(amounts.get(o, 0.0) for o in group)
        return c, a

    sets = [(f"{attr}={value}", members(attr, value)) for attr, value in filters]
    combos = list(sets)
    if len(sets) == 2:
        combos.append((f"{sets[0][0]} & {sets[1][0]}", sets[0][1] & sets[1][1]))
    result = Decision(True, len(everyone))
    for label, group in combos:
        c, a = summaries(group)
        rest_c, rest_a = summaries(everyone - group)
        decision = check_subset(
            c, rest_c, policy, subset_amounts=a, complement_amounts=rest_a, label=label
        )
        if not decision.allowed:
            return decision
        result = decision
    if len(sets) == 2:
        (label_a, a_set), (label_b, b_set) = sets
        for label, diff in (
            (f"{label_a} & not {label_b}", a_set - b_set),
            (f"{label_b} & not {label_a}", b_set - a_set),
        ):
            c, a = summaries(diff)
            if c.empty:
                continue
            decision = check_summary(c, policy, amounts=a)
            if not decision.allowed:
                return Decision(
                    False,
                    result.n_organisations,
                    (
                        Refusal(
                            "filters",
                            "Samen met de losse filters zou deze combinatie een groep "
                            f"organisaties tonen die niet aan de regels voldoet ({label}); "
                            "kies andere filters.",
                            "Together with the single filters this combination would show a "
                            f"group of organisations that does not pass the rules ({label}); "
                            "choose other filters.",
                        ),
                        *decision.refusals,
                    ),
                )
    return result


# --- parts of a whole ---------------------------------------------------------------------


def check_parts(
    decisions: Mapping[K, Decision], labels: Mapping[K, str] | None = None
) -> dict[K, Decision]:
    """Rule 4 for figures that are parts of one whole (the shares of a profile mix).

    Parts add up to the whole (the six profile shares to about 100 %), so one part withheld
    among shown ones would follow from the others by subtraction. Complementary suppression
    would withhold a second part; then their sum is still known, and for counts of people per
    organisation whether that sum may be shown is a figure of its own. This rule takes the
    simple, safe way: when any part is refused, every part is refused, each with the reason
    that names the refused part (Hundepool et al. 2012, §4.4 on secondary suppression).
    """
    refused = [key for key, d in decisions.items() if not d.allowed]
    if not refused:
        return dict(decisions)
    first = refused[0]
    name = (labels or {}).get(first, str(first))
    complement = Refusal(
        "complement",
        f"Het cijfer voor {name} voldoet niet aan de regels; omdat de delen samen het "
        "geheel vormen, zou het uit de andere volgen. Daarom wordt geen enkel deel getoond.",
        f"The figure for {name} does not pass the rules; because the parts add up to the "
        "whole, it would follow from the others. So no part is shown.",
    )
    return {
        key: d
        if not d.allowed
        else Decision(False, d.n_organisations, (complement, *decisions[first].refusals))
        for key, d in decisions.items()
    }


# --- publication lag ----------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` minus whole calendar months, clamped to the month's end (31 May − 3 = 28 Feb)."""
    index = day.year * 12 + (day.month - 1) - int(months)
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def latest_publishable(today: dt.date, policy: Policy = Policy()) -> dt.date:
    """The newest reference date a figure may come from today."""
    return months_before(today, policy.lag_months)


def check_lag(reference_date: dt.date, today: dt.date, policy: Policy = Policy()) -> Decision:
    """Rule 5: a snapshot is published only ``lag_months`` after its reference date."""
    cutoff = latest_publishable(today, policy)
    if reference_date <= cutoff:
        return Decision(True, 0)
    m = policy.lag_months
    return Decision(
        False,
        0,
        (
            Refusal(
                "lag",
                f"Cijfers met peildatum {reference_date:%d-%m-%Y} worden pas {m} maanden na die "
                f"datum getoond (vanaf {_plus_months(reference_date, m):%d-%m-%Y}).",
                f"Figures with reference date {reference_date:%Y-%m-%d} are shown only {m} "
                f"months after it (from {_plus_months(reference_date, m):%Y-%m-%d}).",
            ),
        ),
    )


def _plus_months(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)
