from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koers.accounts import throttle
from koers.lib.forms import DescribedFields


class ThrottledAuthenticationForm(DescribedFields, AuthenticationForm):
    """Django's login form, refusing to even check a password while the account is locked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mailadres")
        self.fields["password"].label = _("Wachtwoord")
        # Django focuses the e-mail field on load; then the first Tab skips the "Naar de
        # inhoud" link and a screen reader starts mid-page (tests/e2e/test_foundation_e2e.py).
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        address = throttle.client_address(self.request)
        known = self.request is not None and throttle.is_known_browser(self.request, username)
        if not throttle.begin_login(username, address, known):
            raise ValidationError(
                _(
                    "Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw, of "
                    "vraag een nieuw wachtwoord aan."
                ),
                code="locked",
            )
        cleaned = super().clean()  # a wrong password stays counted
        throttle.login_succeeded(username, address, known)
        return cleaned


class TokenForm(DescribedFields, forms.Form):
    token = forms.CharField(
        label=_("Code uit je authenticator-app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise ValidationError(_("Vul de 6 cijfers uit je authenticator-app in."))
        return token
