"""Read many answers at once: (response, item, value) with the JSON decoded in one call.

Measured at 5,000 responses (820,000 answers, bench/export_bench.py): two thirds of the
research export was Django decoding one JSON value per answer (``JSONField.from_db_value``
runs ``json.loads`` and the converters once per row). Here the database hands over each
value's JSON text (a cast to text: no converter runs) and one ``json.loads`` decodes all of
them (the same decoder, so the same values). Used wherever a page or download reads a whole
campaign's answers: the research export, the inclusion survey's rounds, the Compass team
scan and scores.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from koers.surveys.models import Answer


def answer_values(answers: QuerySet[Answer]) -> list[tuple[int, str, Any]]:
    """``(response_id, item_id, value)`` of every answer in ``answers`` that has a value
    (a cleared answer, SQL NULL, is left out), in the queryset's order."""
    rows = [
        row
        for row in answers.annotate(koers_text=Cast("value", output_field=TextField()))
        .values_list("response_id", "item_id", "koers_text")
        .iterator(chunk_size=20_000)
        if row[2] is not None
    ]
    values = json.loads("[" + ",".join(row[2] for row in rows) + "]")
    return [(rid, item, value) for (rid, item, _text), value in zip(rows, values, strict=True)]
