"""The JSON API (``/api/v1/``), with an OpenAPI schema at ``/api/v1/openapi.json``.

Integrations authenticate with ``Authorization: Bearer koers_…``; every
endpoint works inside the token's organisation only. Each endpoint starts with
``token = token_with(request, "<permission>")``: the token, if its role holds that
permission of :mod:`koers.organisations.permissions` (the table organisation pages use),
else 403.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema, Swagger
from ninja.errors import HttpError
from ninja.security import HttpBearer

from koers.api.models import ApiToken, hash_token
from koers.jobs.models import Job
from koers.organisations.permissions import allows, describe, known
from koers.recruitment.vacancy import check_vacancy


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # Lookup by the SHA-256 of the token: a unique-index hit, no timing leak on the secret.
        found = (
            ApiToken.objects.select_related("organisation")
            .filter(token_hash=hash_token(token), revoked=False)
            .first()
        )
        if found is not None:
            ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        return found


api = NinjaAPI(
    title="Koers API",
    version="1",
    description="Koers organisation API. Every call is scoped to the token's organisation.",
    auth=TokenAuth(),
    urls_namespace="api",
    # Swagger UI from django-ninja's static files ("ninja" in INSTALLED_APPS), under the
    # site's strict CSP; no online validator badge (it would load an image from elsewhere).
    docs=Swagger(settings={"validatorUrl": None}),
)


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    message: str
    result: dict[str, Any]


class ApiRequest(HttpRequest):
    """A request that :class:`TokenAuth` let through: ``auth`` is the caller's token."""

    auth: ApiToken


def token_with(request: ApiRequest, permission: str) -> ApiToken:
    """The request's token if its role holds ``permission``; otherwise a 403 that says why."""
    token = request.auth
    if not allows(token.role, known(permission)):
        raise HttpError(403, f"This token's role cannot {describe(permission)}.")
    return token


@api.get("/organisation", response=OrganisationOut, summary="The token's organisation")
def organisation(request: ApiRequest) -> dict[str, str]:
    token = token_with(request, "organisation.view")
    return {"slug": token.organisation.slug, "name": token.organisation.name, "role": token.role}


@api.get("/jobs/{job_id}", response={200: JobOut, 403: dict[str, str]}, summary="A background job")
def job(request: ApiRequest, job_id: int) -> Any:
    token = token_with(request, "jobs.view")
    return get_object_or_404(Job.objects.for_org(token.organisation), pk=job_id)


class VacancyIn(Schema):
    text: str = Field(..., min_length=1, max_length=30_000)
    title: str = Field("", max_length=200)
    lang: Literal["nl", "en"] | None = None


class VacancyHitOut(Schema):
    start: int
    end: int
    word: str
    code: str
    source: str


class VacancyFindingOut(Schema):
    code: str
    detail: dict[str, Any]


class VacancyCheckOut(Schema):
    lang: str
    n_masculine: int
    n_feminine: int
    lean: str
    hits: list[VacancyHitOut]
    findings: list[VacancyFindingOut]


@api.post(
    "/recruitment/vacancy-check",
    response={200: VacancyCheckOut, 403: dict[str, str]},
    summary="Check a vacancy text (not stored)",
)
def vacancy_check(request: ApiRequest, body: VacancyIn) -> Any:
    """Gender-coded words with their offsets, the lean (``too_few`` under four coded
    words), and the findings beyond words. The text is analysed and not kept."""
    token_with(request, "recruitment.check_vacancies")
    return check_vacancy(body.text, title=body.title, lang=body.lang).to_dict()
