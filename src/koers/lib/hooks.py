"""Every extension point of Koers, declared in this one module.

An app plugs into the rest of Koers only here: its ``extensions.py`` registers its
implementations (``hooks.demo_loaders.register(load_demo_scan)``), and
:func:`discover` imports every installed app's ``extensions`` module once, at start-up
(``koers.web`` calls it from ``ready()``). The built-in apps register exactly like a new
app would; no module registers anything as a side effect of being imported, and no app
finds out whether another is installed by trying it.

A hook is either a list (:class:`Hook`: every implementation is called, in the order of
``INSTALLED_APPS``) or a table of named implementations (:class:`NamedHook`: exactly one
per name). Registering the same implementation twice is harmless; a second, different
implementation under a taken name is a mistake and raises.

The hooks:

``job_handlers``        kind → ``handler(job) -> dict`` run in the background
                        (:func:`koers.jobs.services.start_job`).
``retention_rules``     data kind → :class:`RetentionRule` (``koers.organisations.retention``).
``demo_loaders``        ``loader(organisation) -> str``: demo content for ``load_demo``,
                        returns a line for the console (or "").
``response_finished``   ``hook(response)`` after a survey response is finished.
``respondent_data``     ``hook(response) -> dict`` merged into the respondent's own data
                        download (GDPR Art. 15/20).
``respondent_report``   ``hook(response, slot) -> str | None``: the URL a respondent
                        goes to after finishing, or None when the app has no report for
                        this response's questionnaire; the first URL wins, without one
                        the thank-you page.
``download_builders``   name → :class:`DownloadBuilder`: a file (a PDF, a research export)
                        made as a background job with progress and a download for the
                        member who asked (:mod:`koers.jobs.downloads`).
``plan_actions``        ``hook(organisation) -> list[PlanLine]``: the actions of the
                        organisation's action plan, for the monitor and the yearly
                        diversity report (``koers.targets``) without importing the plan app.
``flexibility_grants``  ``hook(organisation, on) -> FlexibilityGrants | None``: the fair-
                        flexibility register's disclosed grant rates for the calendar year
                        of ``on`` once it has ended (``koers.dialogue``; for the open
                        year only the day they appear), for the inclusion results page
                        without importing the dialogue app; the first answer wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import datetime as dt

    from koers.jobs.models import Job
    from koers.organisations.access import OrgRequest
    from koers.organisations.models import Organisation
    from koers.surveys.models import Response

T = TypeVar("T")

_discovered = False


def discover() -> None:
    """Import ``<app>.extensions`` of every installed app, once (idempotent)."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    _discovered = True
    try:
        autodiscover_modules("extensions")
    except BaseException:
        _discovered = False
        raise


class Hook(Generic[T]):
    """An extension point every registered implementation takes part in, in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def register(self, impl: T) -> T:
        """Add ``impl`` (once); returns it, so this also works as a decorator."""
        if impl not in self._items:
            self._items.append(impl)
        return impl

    def implementations(self) -> tuple[T, ...]:
        discover()
        return tuple(self._items)

    @contextmanager
    def replaced(self, *impls: T) -> Iterator[None]:
        """Tests: only ``impls`` take part inside the block."""
        discover()
        saved, self._items = self._items, list(impls)
        try:
            yield
        finally:
            self._items = saved

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._items)}>"


class NamedHook(Generic[T]):
    """An extension point with exactly one implementation per name (a job kind, a data kind)."""

    def __init__(self, name: str, missing: str = "nothing registered for {key!r}") -> None:
        self.name = name
        self.missing = missing  # the LookupError's message, with {key}
        self._items: dict[str, T] = {}

    def register(self, key: str, impl: T) -> T:
        if key in self._items and self._items[key] != impl:
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        self._items[key] = impl
        return impl

    def get(self, key: str) -> T:
        discover()
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(self.missing.format(key=key)) from None

    def items(self) -> list[tuple[str, T]]:
        discover()
        return list(self._items.items())

    def __repr__(self) -> str:
        return f"<NamedHook {self.name}: {sorted(self._items)}>"


@dataclass(frozen=True)
class RetentionRule:
    """``setting`` names the settings attribute with the period in months (or in days with
    ``unit="days"``); ``delete_before(cutoff)`` deletes what is older and returns how many
    records went."""

    setting: str
    delete_before: Callable[[dt.date], int]
    unit: str = "months"


JobHandler = Callable[["Job"], dict[str, Any]]

job_handlers: NamedHook[JobHandler] = NamedHook(
    "job_handlers", missing="no handler registered for job kind {key!r}"
)
retention_rules: NamedHook[RetentionRule] = NamedHook(
    "retention_rules", missing="no retention rule registered for data kind {key!r}"
)


@dataclass(frozen=True)
class DownloadBuilder:
    """A file that :mod:`koers.jobs.downloads` makes in the background (a PDF, an export).

    ``build(request, args, progress)`` returns ``(file bytes, file name)``; ``request`` is
    the asking member's request as rebuilt in the job (organisation, membership, user, the
    query string and the language of the page it was asked from), ``args`` what the
    starting view passed, ``progress(percent, message)`` reports to the progress page.
    ``permission`` is checked when the file is asked for and again at its download;
    ``content_type`` is sent with the download (a PDF unless said otherwise).
    """

    permission: str
    build: Callable[[OrgRequest, dict[str, Any], Callable[[int, str], None]], tuple[bytes, str]]
    content_type: str = "application/pdf"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


download_builders: NamedHook[DownloadBuilder] = NamedHook(
    "download_builders", missing="no download builder registered under {key!r}"
)
demo_loaders: Hook[Callable[[Organisation], str]] = Hook("demo_loaders")
response_finished: Hook[Callable[[Response], None]] = Hook("response_finished")
respondent_data: Hook[Callable[[Response], dict[str, Any]]] = Hook("respondent_data")
respondent_report: Hook[Callable[[Response, str], str | None]] = Hook("respondent_report")


@dataclass(frozen=True)
class PlanLine:
    """One action of an organisation's action plan, as other apps show it."""

    measure: str  # the measure's title in the active language
    owner: str  # who carries it out ("" when nobody is named yet)
    start: dt.date | None
    due: dt.date | None
    status: str  # "planned" | "in_progress" | "done" | "stopped"
    status_label: str  # the status in the active language
    indicator: str  # the indicator that should move ("" when none is named)
    late: bool  # the due date has passed and the action is not done or stopped
    url: str = ""  # the action's page, for a link


plan_actions: Hook[Callable[[Organisation], list[PlanLine]]] = Hook("plan_actions")


@dataclass(frozen=True)
class FlexibilityGrants:
    """The fair-flexibility register's grant rates for one calendar year, as disclosed to
    every viewer (``None`` = withheld: a group or a cell is too small)."""

    year: int
    n: int | None  # requests decided in the year (None below k)
    rate_all: float | None
    rate_female: float | None
    rate_male: float | None
    difference: bool  # a difference women vs men may be stated (Fisher's exact test)
    url: str = ""  # the register's page
    # The year is still open: no figures yet, they appear on this day (n and rates None).
    appears_on: dt.date | None = None


flexibility_grants: Hook[Callable[[Organisation, dt.date], FlexibilityGrants | None]] = Hook(
    "flexibility_grants"
)
