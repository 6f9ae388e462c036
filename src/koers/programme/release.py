"""The release register: a figure once shown stays as shown, against differencing over time.

Every figure the office (or a member, on its benchmark) sees has a key. The first time it is
shown it is *published* (:class:`~koers.programme.models.PublishedFigure`: the value and each
contributor's numbers). Later views show the published value again while all of its
contributors still share; a new value is published only when its difference with every
earlier publication of the key is itself a publishable group of organisations, and a figure
one of whose contributors stopped is withdrawn until then
(:func:`koers.stats.orgrelease.check_release`, the pure rule).

Cost: the figures' aggregates carry a *fingerprint* of their contributors (their number, the
sum and the sum of squares of their participation ids, the sums the figure is made of). When
it equals the latest publication's fingerprint the figure is unchanged and no member row is
loaded; only figures that changed load their contributors' rows (one query per kind of figure,
whatever the number of members), then one query for the changed keys' history and one insert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q

from koers.programme.models import Programme, PublishedFigure
from koers.stats import orgdisclosure as od
from koers.stats.orgrelease import Contribution, check_release


def fingerprint(*parts: Any) -> str:
    """A stable text for numbers from an aggregate (None and 0 alike; floats to 9 digits)."""
    out = []
    for x in parts:
        if x is None:
            x = 0
        if isinstance(x, float) and not x.is_integer():
            out.append(f"{x:.9g}")
        else:
            out.append(str(int(x)) if isinstance(x, (int, float)) else str(x))
    return ":".join(out)


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def encode(contributions: dict[str, Contribution]) -> dict[str, list[Any]]:
    """Contributions as columns (participation ids, bases, amounts, details, sides): a few
    long lists rather than one small list per organisation, to store and read fast."""
    orgs = sorted(contributions, key=lambda o: (len(o), o))
    cs = [contributions[o] for o in orgs]
    return {
        "org": orgs,
        "base": [_num(c.base) for c in cs],
        "amounts": [[_num(x) for x in c.amounts] for c in cs] if any(c.amounts for c in cs) else [],
        "detail": [[_num(x) for x in c.detail] for c in cs] if any(c.detail for c in cs) else [],
        "side": [c.group for c in cs] if any(c.group for c in cs) else [],
    }


def decode(raw: dict[str, list[Any]]) -> dict[str, Contribution]:
    orgs = raw.get("org", [])
    amounts = raw.get("amounts") or [()] * len(orgs)
    detail = raw.get("detail") or [()] * len(orgs)
    side = raw.get("side") or [""] * len(orgs)
    return {
        org: Contribution(
            float(base), tuple(float(x) for x in a), tuple(float(x) for x in d), str(g)
        )
        for org, base, a, d, g in zip(orgs, raw.get("base", []), amounts, detail, side, strict=True)
    }


@dataclass(frozen=True)
class Candidate:
    """One figure as computed now: its key, rules 1–5, value and fingerprint."""

    key: str
    now: od.Decision
    value: list[float | None]
    fingerprint: str
    # Figures that can be subtracted from this one share the prefix of their keys (the same
    # year and figure under any filter); "" for a figure related only to itself.
    family: str = ""


@dataclass(frozen=True)
class Shown:
    """What to show for one figure."""

    value: list[float | None] | None  # None: withheld
    n: int
    decision: od.Decision
    # When the value shown is an earlier publication although the figure has changed since
    # (new members, corrections): the date it was published ("frozen").
    published: dt.datetime | None = None
    withdrawn: bool = False

    def reason(self, lang: str) -> str:
        return self.decision.reason(lang)

    def first(self) -> float | None:
        return self.value[0] if self.value else None


@dataclass
class Register:
    programme: Programme
    latest: dict[str, PublishedFigure]
    policy: od.Policy
    pending: list[PublishedFigure] = field(default_factory=list)

    @classmethod
    def load(cls, programme: Programme, keys: Q, policy: od.Policy) -> Register:
        """One query: the latest row (a publication or a memo) of every key ``keys`` selects,
        without the contributions."""
        later = PublishedFigure.objects.filter(
            programme=OuterRef("programme"),
            key=OuterRef("key"),
            pk__gt=OuterRef("pk"),
        )
        rows = (
            PublishedFigure.objects.filter(keys, programme=programme)
            .filter(~Exists(later))
            .defer("contributions")
            .order_by("key", "pk")
        )
        return cls(programme, {row.key: row for row in rows}, policy)

    def names(self, prefix: str) -> list[str]:
        """The rest of every published key starting with ``prefix`` (e.g. measure titles)."""
        return sorted(k[len(prefix) :] for k in self.latest if k.startswith(prefix))

    def unchanged(self, candidate: Candidate) -> Shown | None:
        """What was decided for the figure when its fingerprint was the same as now."""
        row = self.latest.get(candidate.key)
        if row is None or row.fingerprint != candidate.fingerprint:
            return None
        if row.status == PublishedFigure.Status.WITHHELD:
            refusals = tuple(od.Refusal(**r) for r in row.refusals)
            return Shown(
                None,
                row.n,
                od.Decision(False, row.n, refusals),
                withdrawn=any(r.code == "withdrawn" for r in refusals),
            )
        frozen = row.published if row.status == PublishedFigure.Status.FROZEN else None
        return Shown(list(row.value), row.n, od.Decision(True, row.n), frozen)

    def resolve(
        self, changed: Sequence[tuple[Candidate, dict[str, Contribution]]]
    ) -> dict[str, Shown]:
        """Rule 6 for the figures that changed; one query for their history."""
        if not changed:
            return {}
        exact = [c.key for c, _ in changed if not c.family]
        wanted = Q(key__in=exact) if exact else Q(pk__in=[])
        for family in sorted({c.family for c, _ in changed if c.family}):
            wanted |= Q(key__startswith=family)
        rows = (
            PublishedFigure.objects.filter(
                wanted, programme=self.programme, status=PublishedFigure.Status.PUBLISHED
            )
            .order_by("pk")
            .values_list("key", "contributions", "value", "n")
        )
        published = [(key, decode(raw), value, n) for key, raw, value, n in rows]
        out: dict[str, Shown] = {}
        now = dt.datetime.now(dt.UTC)
        for candidate, current in changed:
            family = candidate.family or candidate.key
            own = [(c, value, n) for key, c, value, n in published if key == candidate.key]
            decision = check_release(
                current,
                candidate.now,
                shown=own[-1][0] if own else None,
                history=[
                    c
                    for key, c, _value, _n in published
                    if key == candidate.key or (candidate.family and key.startswith(family))
                ],
                policy=self.policy,
            )
            if decision.action == "publish":
                row = PublishedFigure(
                    programme=self.programme,
                    key=candidate.key,
                    published=now,
                    value=candidate.value,
                    n=candidate.now.n_organisations,
                    fingerprint=candidate.fingerprint,
                    contributions=encode(current),
                )
                self.pending.append(row)
                out[candidate.key] = Shown(candidate.value, row.n, candidate.now)
            elif decision.action == "frozen":
                _c, value, n = own[-1]
                shown = Shown(list(value), n, decision.decision, now)
                out[candidate.key] = shown
                self._memo(candidate, PublishedFigure.Status.FROZEN, shown, now)
            else:
                shown = Shown(
                    None, candidate.now.n_organisations, decision.decision, withdrawn=bool(own)
                )
                out[candidate.key] = shown
                self._memo(candidate, PublishedFigure.Status.WITHHELD, shown, now)
        return out

    def _memo(self, candidate: Candidate, status: str, shown: Shown, now: dt.datetime) -> None:
        """Remember the decision for this fingerprint: the next view with the same data
        shows the same without loading any row (nothing of it is history)."""
        self.pending.append(
            PublishedFigure(
                programme=self.programme,
                key=candidate.key,
                status=status,
                published=now,
                value=shown.value or [],
                n=shown.n,
                fingerprint=candidate.fingerprint,
                refusals=[r.to_dict() for r in shown.decision.refusals],
                contributions={},
            )
        )

    def save(self) -> None:
        if self.pending:
            PublishedFigure.objects.bulk_create(self.pending)
            self.pending = []


def split(
    register: Register, candidates: Iterable[Candidate]
) -> tuple[dict[str, Shown], list[Candidate]]:
    """The unchanged figures (shown as published) and those that need their rows."""
    shown: dict[str, Shown] = {}
    changed: list[Candidate] = []
    for c in candidates:
        if c.key not in register.latest and not c.now.allowed:
            shown[c.key] = Shown(None, c.now.n_organisations, c.now)  # never shown: no rows
            continue
        same = register.unchanged(c)
        if same is None:
            changed.append(c)
        else:
            shown[c.key] = same
    return shown, changed
