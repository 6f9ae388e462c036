"""Check in a page that a field's error is linked to it (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, tuple[str, dict[str, str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.by_id.setdefault(values["id"], (tag, values))


def assert_error_linked(html: str, field_id: str) -> None:
    """The control ``field_id`` is marked invalid and described by its error message, which
    exists; the error summary (when there is one) links to the control."""
    parser = _Ids()
    parser.feed(html)
    assert field_id in parser.by_id, f"no element with id {field_id!r}"
    tag, attrs = parser.by_id[field_id]
    error_id = f"{field_id}-error"
    assert error_id in attrs.get("aria-describedby", "").split(), (tag, attrs)
    if tag != "fieldset":
        assert attrs.get("aria-invalid") == "true", (tag, attrs)
    assert error_id in parser.by_id, f"no error message with id {error_id!r}"
    if "data-error-summary" in html:
        assert f'href="#{field_id}"' in html, "the error summary does not link to the field"
