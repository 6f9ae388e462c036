"""The vacancy-text check pages: check a text (not stored), keep it if asked, the history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.recruitment.forms import VacancyForm
from koers.recruitment.models import SavedVacancy
from koers.recruitment.vacancy import VacancyCheck, check_vacancy, load_lists
from koers.recruitment.vacancy_texts import advice_for, lean_sentence


def result_context(check: VacancyCheck, text: str) -> dict[str, Any]:
    """What the result shows: the text with its coded words marked, the why, the advice."""
    sources = load_lists()[1]
    words: dict[tuple[str, str], dict[str, Any]] = {}
    for hit in check.hits:
        entry = words.setdefault(
            (hit.word.lower(), hit.code),
            {"word": hit.word.lower(), "code": hit.code, "n": 0, "source": sources[hit.source]},
        )
        entry["n"] += 1
    return {
        "check": check,
        "segments": check.segments(text),
        "lean": lean_sentence(check),
        "coded_words": sorted(words.values(), key=lambda w: (w["code"], w["word"])),
        "advice": [advice_for(f) for f in check.findings],
    }


@org_view("recruitment.check_vacancies")
def vacancy_check(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = VacancyForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["text"]
        check = check_vacancy(text, title=data["title"], lang=data["lang"] or None)
        if request.POST.get("action") == "save":
            saved = SavedVacancy.objects.create(
                organisation=org,
                title=data["title"],
                text=text,
                lang=check.lang,
                n_masculine=check.n_masculine,
                n_feminine=check.n_feminine,
                lean=check.lean,
                findings=[f.code for f in check.findings],
                created_by=request.user,
            )
            audit.record(org, request.user, "recruitment.vacancy_save", target=str(saved)[:100])
            messages.success(request, _("De vacaturetekst is bewaard."))
            return redirect("recruitment_vacancy", org=org.slug, pk=saved.pk)
        # The checked text stays in the form (also when it came from a file), so the
        # reader can edit it, check again or keep it.
        context["form"] = VacancyForm(
            initial={"title": data["title"], "text": text, "lang": data["lang"]}
        )
        context.update(result_context(check, text))
    return render(request, "recruitment/vacancy_check.html", context)


@org_view("recruitment.check_vacancies")
def vacancy_history(request: OrgRequest) -> HttpResponse:
    saved = SavedVacancy.objects.for_org(request.organisation).select_related("created_by")
    return render(request, "recruitment/vacancy_history.html", {"saved": saved})


@org_view("recruitment.check_vacancies")
def vacancy_detail(request: OrgRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedVacancy.objects.for_org(request.organisation), pk=pk)
    check = check_vacancy(saved.text, title=saved.title, lang=saved.lang)
    context = {"saved": saved, **result_context(check, saved.text)}
    return render(request, "recruitment/vacancy_detail.html", context)


@require_POST
@org_view("recruitment.check_vacancies")
def vacancy_delete(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.organisation
    saved = get_object_or_404(SavedVacancy.objects.for_org(org), pk=pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Vink aan dat je de tekst wilt verwijderen."))
        return redirect("recruitment_vacancy", org=org.slug, pk=pk)
    audit.record(org, request.user, "recruitment.vacancy_delete", target=str(saved)[:100])
    saved.delete()
    messages.success(request, _("De bewaarde vacaturetekst is verwijderd."))
    return redirect("recruitment_vacancies", org=org.slug)
