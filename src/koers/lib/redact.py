"""Keep respondents' link secrets, resume codes and box tokens out of log files.

Koers's own pages put a personal credential in a URL only on the first visit
(``/r/<secret>/``, the invitation e-mail's link); the shared campaign link ``/s/<token>/``
and the reporting box ``/meld/<token>/`` carry tokens too. Django logs the path of every
4xx and 5xx answer (``django.request``), the development server every request
(``django.server``), CSRF failures with the path (``django.security.csrf``), and gunicorn
the request line when an access log is on. :class:`RedactCredentials` replaces the path
segment after ``/r/``, ``/s/`` and ``/meld/``, and every query string, by ``…`` before any
handler sees the record. The reverse proxy is configured separately (docs/deployment.md).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[…]"

# A credential segment: /r/<x>, /s/<x>, /meld/<x>, /loonvraag/<x> (the pay desk's link for
# workers), /uitnodiging/<x> (a member's invitation), anywhere in a message (a path, a
# full URL, a request line), up to the next slash, space, quote or query string.
_SEGMENT = re.compile(r"(?<![\w.-])/(r|s|meld|loonvraag|uitnodiging)/[^/\s?#\"'<>]+")
# A query string after a path: everything from "?" up to a space or quote.
_QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")

# Loggers that write request paths. A logger's own filter sees only what is logged on it,
# so each source is named; the handlers in settings.LOGGING carry the filter as well.
SOURCE_LOGGERS = (
    "django.request",
    "django.server",
    "django.security.csrf",
    "django.security.DisallowedHost",
    "django.security.SuspiciousOperation",
    "gunicorn.access",
    "gunicorn.error",
)


def redact(text: str) -> str:
    """``text`` with every credential path segment and query string replaced."""
    text = _SEGMENT.sub(lambda m: f"/{m.group(1)}/{REDACTED}", text)
    return _QUERY.sub(lambda m: f"{m.group(1)}?{REDACTED}", text)


class RedactCredentials(logging.Filter):
    """Rewrites a record's message (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install(names: tuple[str, ...] = SOURCE_LOGGERS) -> None:
    """Add the filter to each source logger (once).

    gunicorn sets up its loggers before it loads Koers, and configuring them through
    ``settings.LOGGING`` would remove gunicorn's own handlers, so the filter is added to
    the logger objects instead (``koers.web.apps.WebConfig.ready``).
    """
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())
