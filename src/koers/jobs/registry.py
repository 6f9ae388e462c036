"""Registry of job handlers: each app registers the work it runs in the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from koers.jobs.models import Job

Handler = Callable[[Job], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not func:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _HANDLERS[kind] = func
        return func

    return register


def get_handler(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler registered for job kind {kind!r}") from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
