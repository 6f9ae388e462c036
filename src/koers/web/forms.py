from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.organisations.models import Membership, Role


class RoleForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ["role"]


class InviteMemberForm(DescribedFields, forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class NewAccountForm(DescribedFields, SetPasswordForm):  # type: ignore[type-arg]
    """Name and password of an invited person's new account (validators of settings)."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def save(self, commit: bool = True) -> Any:
        self.user.first_name = self.cleaned_data["first_name"].strip()
        self.user.last_name = self.cleaned_data["last_name"].strip()
        return super().save(commit=commit)
