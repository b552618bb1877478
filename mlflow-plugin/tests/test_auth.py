"""The authorization_function as MLflow calls it, inside Flask request contexts, on a real store."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Response
from portal_tokens import DROP, OTHER_SECRET, SECRET, claims, sign
from store_spy import CountingStore
from werkzeug.datastructures import Authorization

from mlflow_descope_portal.assertion import verify_assertion
from mlflow_descope_portal.auth import PortalAuthenticator, mirrored_workspaces
from mlflow_descope_portal.identity import parse_identity
from mlflow_descope_portal.memo import SyncMemo

app = Flask(__name__)
ENV = {"PORTAL_ASSERTION_SECRET": SECRET}
WRITES = {"create_user", "update_user", "assign_role_to_user", "unassign_role_from_user"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def authenticator(counting_store: CountingStore, clock: Clock) -> PortalAuthenticator:
    return PortalAuthenticator(
        store=lambda: counting_store,
        environ=ENV,
        memo=SyncMemo(ttl_seconds=60, clock=clock),
        workspace=lambda identity: "default",
    )


def call(authenticator: PortalAuthenticator, token: str | None) -> Authorization | Response:
    headers = {} if token is None else {"X-Descope-Assertion": token}
    with app.test_request_context("/api/2.0/mlflow/experiments/search", headers=headers):
        return authenticator.authenticate()


def error_of(response: Authorization | Response) -> tuple[int, dict[str, Any]]:
    assert isinstance(response, Response)
    assert response.mimetype == "application/json"
    assert "WWW-Authenticate" not in response.headers
    return response.status_code, json.loads(response.get_data())


def test_a_request_without_assertion_gets_mlflow_error_json(
    authenticator: PortalAuthenticator, counting_store: CountingStore
) -> None:
    status, body = error_of(call(authenticator, None))
    assert status == 401
    assert body == {
        "error_code": "UNAUTHENTICATED",
        "message": "missing portal assertion: requests must come through the portal "
        "(X-Descope-Assertion)",
    }
    assert counting_store.calls == []


def test_a_forged_assertion_is_refused_and_logged_without_the_token(
    authenticator: PortalAuthenticator, caplog: pytest.LogCaptureFixture
) -> None:
    forged = sign(claims(admin=True), secret=OTHER_SECRET)
    with caplog.at_level(logging.WARNING, logger="mlflow.descope_portal"):
        status, body = error_of(call(authenticator, forged))
    assert (status, body["error_code"]) == (401, "UNAUTHENTICATED")
    assert "bad signature" in body["message"]
    assert "bad signature" in caplog.text and "/api/2.0/mlflow/experiments/search" in caplog.text
    assert forged not in caplog.text and forged.split(".")[2] not in caplog.text


def test_a_valid_assertion_names_the_mlflow_user(
    authenticator: PortalAuthenticator, counting_store: CountingStore
) -> None:
    result = call(authenticator, sign())
    assert isinstance(result, Authorization)
    assert result.type == "basic"
    assert result.username == "alice@example.com"
    assert counting_store.get_user("alice@example.com").is_admin is False


def test_the_steady_state_touches_no_store(
    authenticator: PortalAuthenticator, counting_store: CountingStore
) -> None:
    counting_store.create_role("mlflow-editor", "default")
    call(authenticator, sign())
    assert WRITES & set(counting_store.calls)
    counting_store.calls.clear()
    for _ in range(3):  # the portal signs a new assertion for every request
        assert isinstance(call(authenticator, sign()), Authorization)
    assert counting_store.calls == []


def test_a_changed_assertion_syncs_at_once_and_so_does_a_change_back(
    authenticator: PortalAuthenticator, counting_store: CountingStore
) -> None:
    counting_store.create_role("mlflow-editor", "default")
    call(authenticator, sign(claims(roles=["mlflow-editor"])))
    call(authenticator, sign(claims(roles=[])))
    assert counting_store.calls.count("unassign_role_from_user") == 1
    call(authenticator, sign(claims(roles=["mlflow-editor"])))
    assert counting_store.calls.count("assign_role_to_user") == 2
    call(authenticator, sign(claims(roles=["mlflow-editor"], admin=True)))
    assert counting_store.get_user("alice@example.com").is_admin is True


def test_a_memoised_identity_is_checked_again_after_the_ttl(
    authenticator: PortalAuthenticator, counting_store: CountingStore, clock: Clock
) -> None:
    call(authenticator, sign())
    counting_store.calls.clear()
    clock.now += 59
    call(authenticator, sign())
    assert counting_store.calls == []
    clock.now += 1
    call(authenticator, sign())
    assert "ManagedSessionMaker" in counting_store.calls


def test_one_request_verifies_once(
    authenticator: PortalAuthenticator, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str | None] = []

    def counting_verify(token: str | None, secret: bytes) -> Any:
        verified.append(token)
        return verify_assertion(token, secret)

    monkeypatch.setattr("mlflow_descope_portal.auth.verify_assertion", counting_verify)
    headers = {"X-Descope-Assertion": sign()}
    with app.test_request_context("/api/2.0/mlflow/experiments/create", headers=headers):
        # before_request, the validator and the after-request owner grant all ask.
        first = authenticator.authenticate()
        assert authenticator.authenticate() is first
        assert authenticator.authenticate() is first
    assert len(verified) == 1


def test_concurrent_first_requests_sync_once(
    authenticator: PortalAuthenticator, counting_store: CountingStore
) -> None:
    start = threading.Barrier(8)
    results: list[Authorization | Response] = []

    def request() -> None:
        token = sign()
        start.wait()
        results.append(call(authenticator, token))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(result, Authorization) for result in results)
    assert [user.username for user in counting_store.list_users()] == ["alice@example.com"]
    assert counting_store.calls.count("list_user_roles_for_workspace") == 1  # one sync


@pytest.mark.parametrize(
    ("environ", "state"),
    [({}, "is not set"), ({"PORTAL_ASSERTION_SECRET": "s" * 31}, "is 31 bytes")],
)
def test_without_a_usable_secret_every_request_fails_closed(
    counting_store: CountingStore,
    caplog: pytest.LogCaptureFixture,
    environ: dict[str, str],
    state: str,
) -> None:
    authenticator = PortalAuthenticator(store=lambda: counting_store, environ=environ)
    with caplog.at_level(logging.ERROR, logger="mlflow.descope_portal"):
        status, body = error_of(call(authenticator, sign(secret="s" * 31)))
    assert (status, body["error_code"]) == (500, "INTERNAL_ERROR")
    assert "PORTAL_ASSERTION_SECRET" in body["message"]
    assert f"PORTAL_ASSERTION_SECRET {state}" in caplog.text
    assert counting_store.calls == []


class FailingStore(CountingStore):
    def assign_role_to_user(self, user_id: int, role_id: int) -> Any:
        self.calls.append("assign_role_to_user")
        raise RuntimeError("database is locked")


@pytest.fixture
def failing_store(auth_store: Any) -> Iterator[FailingStore]:
    auth_store.create_role("mlflow-editor", "default")
    yield FailingStore(auth_store)


def test_a_failed_sync_fails_closed_and_is_retried(
    failing_store: FailingStore, caplog: pytest.LogCaptureFixture
) -> None:
    authenticator = PortalAuthenticator(store=lambda: failing_store, environ=ENV)
    with caplog.at_level(logging.ERROR, logger="mlflow.descope_portal"):
        status, body = error_of(call(authenticator, sign()))
    assert (status, body["error_code"]) == (500, "INTERNAL_ERROR")
    assert "database is locked" in caplog.text
    failing_store.calls.clear()
    error_of(call(authenticator, sign()))
    assert "assign_role_to_user" in failing_store.calls


@pytest.mark.parametrize(
    ("enabled", "asserted", "mirrored_in"),
    [("false", "team-a", "default"), ("true", "team-a", "team-a"), ("true", DROP, "default")],
)
def test_roles_are_mirrored_in_the_asserted_workspace_only_when_workspaces_are_on(
    monkeypatch: pytest.MonkeyPatch, enabled: str, asserted: Any, mirrored_in: str
) -> None:
    monkeypatch.setenv("MLFLOW_ENABLE_WORKSPACES", enabled)
    assert mirrored_workspaces(parse_identity(claims(workspace=asserted))) == mirrored_in


def authenticator_with(store: CountingStore, clock: Clock, **environ: str) -> PortalAuthenticator:
    return PortalAuthenticator(
        store=lambda: store,
        environ={**ENV, **environ},
        memo=SyncMemo(ttl_seconds=60, clock=clock),
        workspace=lambda identity: "default",
    )


def test_an_mlflow_user_of_another_descope_user_is_refused_with_403_json(
    authenticator: PortalAuthenticator,
    counting_store: CountingStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert isinstance(call(authenticator, sign(claims(sub="S-alice"))), Authorization)
    token = sign(claims(sub="S-mallory"))
    with caplog.at_level(logging.WARNING, logger="mlflow.descope_portal"):
        status, body = error_of(call(authenticator, token))
    assert (status, body) == (
        403,
        {
            "error_code": "PERMISSION_DENIED",
            "message": "the MLflow user alice@example.com belongs to another Descope user; an "
            "MLflow admin must rename or remove it",
        },
    )
    assert "S-mallory" in caplog.text and "/api/2.0/mlflow/experiments/search" in caplog.text
    assert token not in caplog.text and token.split(".")[2] not in caplog.text
    # A refusal is not memoised: once an admin fixes the user, the next request gets in.
    counting_store.calls.clear()
    error_of(call(authenticator, sign(claims(sub="S-mallory"))))
    assert "ManagedSessionMaker" in counting_store.calls


def test_a_rename_is_logged_with_both_names_and_the_old_name_is_forgotten(
    authenticator: PortalAuthenticator,
    counting_store: CountingStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    call(authenticator, sign(claims(username="old@example.com", sub="S-person")))
    user_id = counting_store.get_user("old@example.com").id
    token = sign(claims(username="new@example.com", sub="S-person"))
    with caplog.at_level(logging.WARNING, logger="mlflow.descope_portal"):
        result = call(authenticator, token)
    assert isinstance(result, Authorization) and result.username == "new@example.com"
    assert counting_store.get_user("new@example.com").id == user_id
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "'old@example.com' to 'new@example.com'" in warning.getMessage()
    assert token not in caplog.text

    counting_store.calls.clear()
    for _ in range(3):
        call(authenticator, sign(claims(username="new@example.com", sub="S-person")))
    assert counting_store.calls == []
    # The old name is not vouched for by the memo any more: a stranger gets a user of their own.
    stranger = call(authenticator, sign(claims(username="old@example.com", sub="S-stranger")))
    assert isinstance(stranger, Authorization)
    assert counting_store.get_user("old@example.com").id != user_id


def test_a_rename_on_an_unverified_schema_fails_closed_with_500(
    authenticator: PortalAuthenticator,
    counting_store: CountingStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlflow_descope_portal import binding_sql

    call(authenticator, sign(claims(username="old@example.com", sub="S-person")))
    monkeypatch.setattr(binding_sql, "VERIFIED_SCHEMA_REVISIONS", frozenset({"0123456789ab"}))
    with caplog.at_level(logging.ERROR, logger="mlflow.descope_portal"):
        status, body = error_of(
            call(authenticator, sign(claims(username="new@example.com", sub="S-person")))
        )
    assert (status, body["error_code"]) == (500, "INTERNAL_ERROR")
    assert "not renaming MLflow user 'old@example.com' to 'new@example.com'" in caplog.text
    assert "revision ['f1a2b3c4d5e6']" in caplog.text
    assert counting_store.get_user("old@example.com")


def test_the_bootstrap_admin_is_refused_before_any_query(
    counting_store: CountingStore, clock: Clock
) -> None:
    authenticator = authenticator_with(
        counting_store, clock, MLFLOW_AUTH_ADMIN_USERNAME="mlflow-bootstrap-admin"
    )
    counting_store.create_user("mlflow-bootstrap-admin", "bootstrap-password-123", is_admin=True)
    counting_store.calls.clear()
    token = sign(claims(username="mlflow-bootstrap-admin", admin=True))
    status, body = error_of(call(authenticator, token))
    assert (status, body["error_code"]) == (403, "PERMISSION_DENIED")
    assert body["message"] == (
        "the MLflow user mlflow-bootstrap-admin is MLflow's bootstrap admin (admin_username), "
        "which no portal user can become; the portal must assert another username"
    )
    assert counting_store.calls == []


@pytest.mark.parametrize(("switch", "adopted"), [("true", True), ("false", False)])
def test_adoption_follows_the_ini(
    counting_store: CountingStore, clock: Clock, tmp_path: Any, switch: str, adopted: bool
) -> None:
    ini = tmp_path / "auth.ini"
    ini.write_text(f"[mlflow]\nadopt_existing_users = {switch}\n")
    authenticator = authenticator_with(counting_store, clock, MLFLOW_AUTH_CONFIG_PATH=str(ini))
    counting_store.create_user("alice@example.com", "made-before-the-portal")
    result = call(authenticator, sign())
    if adopted:
        assert isinstance(result, Authorization)
    else:
        status, body = error_of(result)
        assert status == 403 and "adopt_existing_users is off" in body["message"]
