from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.programme.models import Sector


class ShareForm(DescribedFields, forms.Form):
    sector = forms.ChoiceField(
        label=_("Subsector"),
        choices=Sector.choices,
        help_text=_(
            "Het programma kan cijfers per subsector tonen, alleen voor groepen van genoeg "
            "organisaties."
        ),
    )
    share_scan = forms.BooleanField(
        label=_("Kerncijfers van de Gender Scan"),
        required=False,
        help_text=_(
            "Aantallen en aandelen vrouwen, in- en uitstroom en de loonkloof per jaar, zoals de "
            "ondernemingsraad ze ziet (kleine groepen weggelaten)."
        ),
    )
    share_targets = forms.BooleanField(
        label=_("Streefcijfers en voortgang"),
        required=False,
        help_text=_("Hoeveel streefcijfers u heeft en hoeveel er per jaar gehaald zijn."),
    )
    share_measures = forms.BooleanField(
        label=_("Gekozen maatregelen"),
        required=False,
        help_text=_("De maatregelen in uw plan van aanpak (titels, zonder eigenaar of budget)."),
    )
    share_compass = forms.BooleanField(
        label=_("Profielverdeling van het Carrière Kompas"),
        required=False,
        help_text=_(
            "Per jaar het aantal respondenten per profiel, zoals de teamscan van uw "
            "Kompas-campagne het toont (kleine groepen weggelaten)."
        ),
    )


class InvitationForm(DescribedFields, forms.Form):
    name = forms.CharField(
        label=_("Naam van de organisatie"),
        max_length=200,
        help_text=_(
            "Zoals u de organisatie kent, bijvoorbeeld Jansen Techniek BV. Alleen u ziet deze "
            "naam; Koers zoekt er niet mee."
        ),
    )
    email = forms.EmailField(
        label=_("E-mailadres van de contactpersoon"),
        required=False,
        help_text=_(
            "Koers stuurt de uitnodiging met de code naar dit adres en bewaart het adres niet. "
            "Leeg laten: u stuurt de tekst zelf."
        ),
    )


class CodeForm(DescribedFields, forms.Form):
    code = forms.CharField(
        label=_("Uitnodigingscode"),
        max_length=40,
        help_text=_("12 tekens, bijvoorbeeld ABCD-EFGH-JKMN; streepjes en spaties mogen."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
