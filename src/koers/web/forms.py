from __future__ import annotations

from django import forms

from koers.organisations.models import Membership


class RoleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ["role"]
