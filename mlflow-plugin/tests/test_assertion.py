"""Only an assertion exactly as the portal signs it gets through; every other token is refused
with a reason that names the problem and never repeats the token."""

from __future__ import annotations

import time
from typing import Any

import pytest
from portal_tokens import DROP, OTHER_SECRET, SECRET, claims, forge, sign

from mlflow_descope_portal.assertion import InvalidAssertion, verify_assertion

KEY = SECRET.encode()
# Times in the tables below are written against NOW, taken when the module is collected; at_now()
# moves them to when the test actually runs, which may be many seconds later (more than the leeway).
NOW = int(time.time())


def at_now(overrides: dict[str, Any]) -> dict[str, Any]:
    drift = int(time.time()) - NOW
    return {
        key: value + drift if key in ("iat", "exp") and type(value) in (int, float) else value
        for key, value in overrides.items()
    }


def refused(token: str | None) -> str:
    with pytest.raises(InvalidAssertion) as caught:
        verify_assertion(token, KEY)
    if token:
        assert token not in caught.value.reason
    return caught.value.reason


def test_accepts_the_portal_assertion() -> None:
    identity = verify_assertion(sign(), KEY)
    assert identity.username == "alice@example.com"
    assert identity.sub == "U2descope-user-id"
    assert identity.admin is False
    assert identity.roles == frozenset({"mlflow-editor"})
    assert identity.tenants == (("T1", frozenset({"mlflow-editor"})),)
    assert identity.workspace is None
    assert (identity.email, identity.name) == ("alice@example.com", "Alice")


def test_email_and_name_may_be_empty_or_absent() -> None:
    assert verify_assertion(sign(claims(email="", name="")), KEY).email == ""
    assert verify_assertion(sign(claims(email=DROP, name=DROP)), KEY).name == ""


def test_accepts_an_asserted_workspace_and_empty_roles_and_tenants() -> None:
    identity = verify_assertion(sign(claims(workspace="team-a", roles=[], tenants={})), KEY)
    assert (identity.workspace, identity.roles, identity.tenants) == ("team-a", frozenset(), ())


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_assertion(token: str | None) -> None:
    assert refused(token).startswith("missing portal assertion: requests must come through")


@pytest.mark.parametrize(
    "token", ["garbage", "a.b.c", "e30.e30.", "..", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"]
)
def test_garbage(token: str) -> None:
    assert refused(token).startswith("invalid portal assertion: ")


def test_oversized_assertion_is_refused_before_parsing() -> None:
    token = sign(claims(name="x" * 900, roles=["r" * 200] * 40))
    assert len(token) > 8192
    assert "larger than 8192 bytes" in refused(token)
    assert "larger than" in refused("x" * 10_000)  # not even a JWT: never parsed


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iat": NOW - 120, "exp": NOW - 60}, "expired"),
        ({"iat": NOW - 66, "exp": NOW - 6}, "expired"),  # past the 5 s leeway
        ({"iat": NOW + 30, "exp": NOW + 90}, "issued in the future"),
        ({"iat": NOW, "exp": NOW + 61}, "lifetime exceeds 60 seconds"),
        ({"iat": NOW - 3600, "exp": NOW + 3600}, "lifetime exceeds 60 seconds"),
        ({"iat": NOW, "exp": NOW}, "'exp' is not after 'iat'"),
        ({"exp": float(NOW + 30)}, "must be integers"),
        ({"iat": True}, "must be integers"),
        ({"exp": DROP}, "missing claim 'exp'"),
        ({"iat": DROP}, "missing claim 'iat'"),
    ],
)
def test_times(overrides: dict[str, Any], reason: str) -> None:
    assert reason in refused(sign(claims(**at_now(overrides))))


def test_times_within_the_leeway_and_lifetime_are_accepted() -> None:
    verify_assertion(sign(claims(**at_now({"iat": NOW - 62, "exp": NOW - 2}))), KEY)  # leeway
    verify_assertion(sign(claims(**at_now({"iat": NOW + 3, "exp": NOW + 63}))), KEY)  # clock ahead


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (forge({"alg": "none", "typ": "JWT"}, claims(), key=None), "algorithm must be HS256"),
        (forge({"alg": "None"}, claims(), key=None), "algorithm must be HS256"),
        (sign(algorithm="HS512"), "algorithm must be HS256"),
        (sign(algorithm="HS384"), "algorithm must be HS256"),
        # An RS256 header over an HMAC signature: the classic key-confusion forgery.
        (forge({"alg": "RS256", "typ": "JWT"}, claims()), "algorithm must be HS256"),
        (forge({"alg": "HS256", "typ": "JWS"}, claims()), "unexpected token type"),
        (sign(secret=OTHER_SECRET), "bad signature"),
        (sign()[:-4] + "AAAA", "bad signature"),
        (forge({"alg": "HS256", "typ": "JWT"}, claims(), key=None), "bad signature"),
    ],
)
def test_forged(token: str, reason: str) -> None:
    assert reason in refused(token)


def test_a_payload_swapped_under_a_valid_signature_is_refused() -> None:
    header, _, signature = sign().split(".")
    _, payload, _ = sign(claims(admin=True)).split(".")
    assert "bad signature" in refused(f"{header}.{payload}.{signature}")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "mlflow-other"}, "audience must be 'mlflow'"),
        ({"aud": ["mlflow", "other"]}, "audience"),
        ({"aud": DROP}, "missing claim 'aud'"),
        ({"iss": "someone-else"}, "issuer must be 'mlflow-descope-portal'"),
        ({"iss": DROP}, "missing claim 'iss'"),
    ],
)
def test_audience_and_issuer(overrides: dict[str, Any], reason: str) -> None:
    assert reason in refused(sign(claims(**overrides)))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"sub": DROP}, "missing claim 'sub'"),
        ({"sub": 42}, "malformed"),
        ({"sub": ""}, "'sub' must not be empty"),
        ({"sub": "s" * 243}, "'sub' is longer than 242"),  # its binding role must fit 255
        ({"username": DROP}, "missing claim 'username'"),
        ({"username": ""}, "'username' must not be empty"),
        ({"username": 7}, "'username' must be a string"),
        ({"username": "u" * 256}, "'username' is longer than 255"),
        ({"username": "alice\nINFO forged log line"}, "control characters"),
        ({"email": None}, "'email' must be a string"),
        ({"name": ["Alice"]}, "'name' must be a string"),
        ({"admin": DROP}, "'admin' must be a boolean"),
        ({"admin": "true"}, "'admin' must be a boolean"),
        ({"admin": 1}, "'admin' must be a boolean"),
        ({"roles": DROP}, "'roles' must be an array"),
        ({"roles": "mlflow-editor"}, "'roles' must be an array"),
        ({"roles": [1]}, "'roles' must hold non-empty role names"),
        ({"roles": [""]}, "'roles' must hold non-empty role names"),
        ({"roles": ["r" * 256]}, "'roles' must hold non-empty role names"),
        ({"roles": [f"r{i}" for i in range(257)]}, "'roles' has more than 256 roles"),
        ({"tenants": DROP}, "'tenants' must be an object"),
        ({"tenants": []}, "'tenants' must be an object"),
        ({"tenants": {"T1": "mlflow-editor"}}, "'tenants.T1' must be an array"),
        ({"tenants": {"T1": [None]}}, "'tenants.T1' must hold non-empty role names"),
        ({"tenants": {"": []}}, "invalid tenant id"),
        ({"workspace": "Team_A"}, "'workspace' must be an MLflow workspace name"),
        ({"workspace": "a"}, "'workspace' must be an MLflow workspace name"),
        ({"workspace": 3}, "'workspace' must be an MLflow workspace name"),
        # Where binding roles live: never a workspace roles are mirrored in.
        ({"workspace": "descope-portal:bindings"}, "'workspace' must be an MLflow workspace name"),
    ],
)
def test_claim_shapes(overrides: dict[str, Any], reason: str) -> None:
    assert reason in refused(sign(claims(**overrides)))
