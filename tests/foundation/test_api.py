"""The JSON API: token authentication, tenant scoping, OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from koers.api.models import ApiToken
from koers.jobs.models import Job
from koers.organisations.models import Role


@pytest.fixture
def token_a(org_a: Any) -> str:
    return ApiToken.issue(org_a, "HR-systeem")[1]


@pytest.fixture
def token_b(org_b: Any) -> str:
    return ApiToken.issue(org_b, "BI")[1]


def _get(client: Any, path: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", headers=headers)


def test_the_api_refuses_calls_without_a_token(client: Any, org_a: Any) -> None:
    assert _get(client, "/organisation", None).status_code == 401
    assert _get(client, "/organisation", "koers_wrong").status_code == 401


def test_a_token_reads_its_own_organisation(client: Any, token_a: str) -> None:
    response = _get(client, "/organisation", token_a)
    assert response.status_code == 200
    assert response.json() == {"slug": "alpha", "name": "Alpha Engineering", "role": "hr_analyst"}


def test_a_token_of_b_cannot_read_a_job_of_a(client: Any, org_a: Any, token_b: str) -> None:
    job = Job.objects.create(organisation=org_a, kind="selfcheck", result={"x": 1})
    assert _get(client, f"/jobs/{job.pk}", token_b).status_code == 404


def test_a_token_reads_a_job_of_its_organisation(client: Any, org_a: Any, token_a: str) -> None:
    job = Job.objects.create(organisation=org_a, kind="selfcheck", result={"x": 1})
    body = _get(client, f"/jobs/{job.pk}", token_a).json()
    assert body["result"] == {"x": 1}
    assert body["status"] == "queued"


def test_a_manager_token_cannot_read_jobs(client: Any, org_a: Any) -> None:
    raw = ApiToken.issue(org_a, "dashboard", role=Role.MANAGER)[1]
    job = Job.objects.create(organisation=org_a, kind="selfcheck")
    response = _get(client, f"/jobs/{job.pk}", raw)
    assert response.status_code == 403
    assert response.json() == {"detail": "This token's role cannot read jobs."}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_its_organisation_and_only_hr_roles_read_jobs(
    client: Any, org_a: Any, role: Role
) -> None:
    raw = ApiToken.issue(org_a, "any", role=role)[1]
    job = Job.objects.create(organisation=org_a, kind="selfcheck")
    assert _get(client, "/organisation", raw).json()["role"] == role.value
    reads = _get(client, f"/jobs/{job.pk}", raw).status_code
    assert reads == (200 if role in (Role.ADMIN, Role.HR_ANALYST) else 403)


def test_a_revoked_token_stops_working(client: Any, org_a: Any) -> None:
    token, raw = ApiToken.issue(org_a, "old")
    token.revoked = True
    token.save()
    assert _get(client, "/organisation", raw).status_code == 401


def test_only_the_hash_of_a_token_is_stored(org_a: Any) -> None:
    token, raw = ApiToken.issue(org_a, "x")
    assert raw not in token.token_hash
    assert len(token.token_hash) == 64


def test_the_openapi_schema_lists_the_endpoints(client: Any, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/organisation", "/api/v1/jobs/{job_id}"} <= set(schema["paths"])
    assert (
        "BearerAuth" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )
