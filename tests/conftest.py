"""Shared fixtures: the three personas of STYLE.md (alice admin of A, bob member of A,
charlie of organisation B) and helpers to log them in."""

from __future__ import annotations

from typing import Any

import pytest

PASSWORD = "correct-horse-battery-9"


def require_redis() -> None:
    """Skip the test when Redis is not on 127.0.0.1:6379; on CI, where it must be, fail."""
    import os
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return
    except OSError as exc:
        reason = str(exc)
    if os.environ.get("CI") == "true":
        pytest.fail(f"Redis is not reachable on 127.0.0.1:6379 ({reason}); CI needs it")
    pytest.skip(f"Redis is not running on 127.0.0.1:6379 ({reason})")


@pytest.fixture(autouse=True)
def _no_2fa_unless_asked(request: Any) -> Any:
    """Most tests log in with force_login and test other things; the 2FA tests (marked
    ``twofactor``) and the browser tests keep the production setting on."""
    if request.node.get_closest_marker("twofactor") or request.node.get_closest_marker("e2e"):
        yield
        return
    from django.conf import settings

    old = getattr(settings, "KOERS_REQUIRE_2FA", True)
    settings.KOERS_REQUIRE_2FA = False
    yield
    settings.KOERS_REQUIRE_2FA = old


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Throttling counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


@pytest.fixture
def org_a(db: Any) -> Any:
    from koers.organisations.models import Organisation

    return Organisation.objects.create(name="Alpha Engineering", slug="alpha")


@pytest.fixture
def org_b(db: Any) -> Any:
    from koers.organisations.models import Organisation

    return Organisation.objects.create(name="Beta Bouw", slug="beta")


@pytest.fixture
def alice(org_a: Any) -> Any:
    from koers.organisations.models import Membership, Role

    user = _user("alice@alpha.example")
    Membership.objects.create(user=user, organisation=org_a, role=Role.ADMIN)
    return user


@pytest.fixture
def bob(org_a: Any) -> Any:
    from koers.organisations.models import Membership, Role

    user = _user("bob@alpha.example")
    Membership.objects.create(user=user, organisation=org_a, role=Role.MANAGER)
    return user


@pytest.fixture
def charlie(org_b: Any) -> Any:
    from koers.organisations.models import Membership, Role

    user = _user("charlie@beta.example")
    Membership.objects.create(user=user, organisation=org_b, role=Role.ADMIN)
    return user


@pytest.fixture
def member_of(org_a: Any) -> Any:
    """Factory: a user of organisation A with the given role."""
    from koers.organisations.models import Membership

    def make(role: str) -> Any:
        user = _user(f"{role}@alpha.example")
        Membership.objects.create(user=user, organisation=org_a, role=role)
        return user

    return make
