"""What a failed job may say to the people who look at it.

A job's message is shown on the job page and in its JSON status, to everyone with
access to that page, and kept in the database. The text of an arbitrary exception
can hold personal data (a row's values from an HR file, an e-mail address, a
salary), so it is never stored: a handler that fails for a reason the user can act
on raises :class:`JobError` with a message written for the user; anything else gets
a generic message with an error reference, and the traceback goes to the log only,
under that reference, so an administrator can find it.
"""

from __future__ import annotations

import logging
import re
import secrets
import traceback

from django.utils.translation import gettext as _

log = logging.getLogger("koers.jobs")

# Addresses are the personal data most often found in exception texts (invitation
# e-mail, member lists); they are masked in the log too (docs/operations.md).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class JobError(Exception):
    """A failure the user can understand and act on; ``str(exc)`` is shown as is.

    Raise it with a translated, user-facing text that names no person and no data
    value (for example ``JobError(_("Te weinig afgeronde antwoorden voor een model."))``).
    """


def mask_addresses(text: str) -> str:
    return _EMAIL.sub("<e-mailadres>", text)


def new_reference() -> str:
    """A short reference that links the message shown to the log entry (8 hex digits)."""
    return secrets.token_hex(4).upper()


def failure_message(exc: BaseException, *, job_id: int, kind: str) -> str:
    """The message stored for a failed job; logs the traceback under a reference."""
    if isinstance(exc, JobError):
        log.info("job %s (%s) stopped: %s", job_id, kind, exc.__class__.__name__)
        return str(exc)[:300]
    reference = new_reference()
    trace = "".join(traceback.format_exception(exc))
    log.error(
        "job %s (%s) failed, error reference %s\n%s", job_id, kind, reference, mask_addresses(trace)
    )
    return _(
        "De taak is mislukt door een fout in Koers. Probeer het opnieuw; lukt het weer niet, "
        "geef dan foutnummer %(reference)s door aan de beheerder."
    ) % {"reference": reference}
