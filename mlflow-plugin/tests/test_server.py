"""End to end: a real ``mlflow server --app-name basic-auth`` with the plugin as its
authorization_function, driven over HTTP exactly as the portal drives it."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from portal_tokens import OTHER_SECRET, SECRET, claims, sign

PLUGIN_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 120


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Server:
    url: str

    def call(
        self, method: str, path: str, token: str | None = None, body: dict[str, Any] | None = None
    ) -> Answer:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["X-Descope-Assertion"] = token
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return _answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return _answer(error.code, dict(error.headers), error.read())

    def as_user(self, username: str, **overrides: Any) -> Caller:
        return Caller(self, username, overrides)


@dataclass
class Caller:
    server: Server
    username: str
    overrides: dict[str, Any]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Answer:
        # A fresh assertion per request, as the portal signs them. One Descope user per
        # username unless a test says otherwise (sub=...).
        asserted = {"username": self.username, "sub": f"sub-{self.username}", **self.overrides}
        return self.server.call(method, path, sign(claims(**asserted)), body)


def _answer(status: int, headers: dict[str, str], raw: bytes) -> Answer:
    try:
        body: Any = json.loads(raw)
    except ValueError:
        body = raw.decode(errors="replace")
    return Answer(status, {key.lower(): value for key, value in headers.items()}, body)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("mlflow-server")
    ini = data / "auth.ini"
    ini.write_text(
        "[mlflow]\n"
        "default_permission = NO_PERMISSIONS\n"
        f"database_uri = sqlite:///{data}/basic_auth.db\n"
        "admin_username = mlflow-bootstrap-admin\n"
        "authorization_function = mlflow_descope_portal.auth:authenticate\n"
        "descope_unmanaged_roles = reviewers\n"
    )
    port = _free_port()
    env = {
        **os.environ,
        # The sources under test, ahead of whatever copy the venv has installed.
        "PYTHONPATH": os.pathsep.join([str(PLUGIN_ROOT), os.environ.get("PYTHONPATH", "")]),
        "MLFLOW_AUTH_CONFIG_PATH": str(ini),
        "PORTAL_ASSERTION_SECRET": SECRET,
        "MLFLOW_FLASK_SERVER_SECRET_KEY": secrets.token_urlsafe(32),
        "MLFLOW_AUTH_ADMIN_PASSWORD": secrets.token_urlsafe(32),
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "PYTHONWARNINGS": "ignore",
    }
    command = [
        str(Path(sys.executable).parent / "mlflow"),
        "server",
        "--app-name", "basic-auth",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", "1",
        "--backend-store-uri", f"sqlite:///{data}/mlflow.db",
        "--artifacts-destination", str(data / "artifacts"),
    ]  # fmt: skip
    log_path = data / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=data, env=env, stdout=log, stderr=log)
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}", process, log_path)
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"mlflow server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"mlflow server did not answer /health in {START_TIMEOUT_SECONDS} s")


def experiment_ids(answer: Answer) -> set[str]:
    assert answer.status == 200, answer.body
    return {experiment["experiment_id"] for experiment in answer.body.get("experiments", [])}


SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1000"


def role_names(answer: Answer, workspace: str = "default") -> list[str]:
    """The roles in one workspace; every portal user also holds its binding role elsewhere."""
    assert answer.status == 200, answer.body
    return [role["name"] for role in answer.body["roles"] if role["workspace"] == workspace]


def test_requests_without_a_valid_assertion_get_nothing(server: Server) -> None:
    for token in (None, sign(claims(admin=True), secret=OTHER_SECRET)):
        answer = server.call("GET", SEARCH, token)
        assert answer.status == 401
        assert answer.headers["content-type"] == "application/json"
        assert answer.body["error_code"] == "UNAUTHENTICATED"
        assert "www-authenticate" not in answer.headers
    assert "requests must come through the portal" in server.call("GET", SEARCH).body["message"]
    # A route FastAPI serves itself goes through MLflow's bridge to the same function.
    traces = server.call("POST", "/v1/traces", None, {})
    assert (traces.status, traces.body["error_code"]) == (401, "UNAUTHENTICATED")


def test_mlflow_decides_per_resource_for_portal_identities(server: Server) -> None:
    alice, bob = server.as_user("alice@example.com"), server.as_user("bob@example.com")

    current = alice.call("GET", "/api/2.0/mlflow/users/current")
    assert current.status == 200
    assert current.body["is_basic_auth"] is False
    assert current.body["user"]["username"] == "alice@example.com"
    assert current.body["user"]["is_admin"] is False

    created = alice.call("POST", "/api/2.0/mlflow/experiments/create", {"name": "alice-only"})
    assert created.status == 200, created.body
    experiment_id = created.body["experiment_id"]
    assert experiment_id in experiment_ids(alice.call("GET", SEARCH))
    assert experiment_id not in experiment_ids(bob.call("GET", SEARCH))

    grant = {
        "username": "bob@example.com",
        "resource_type": "experiment",
        "resource_id": experiment_id,
        "permission": "READ",
    }
    assert bob.call("POST", "/api/3.0/mlflow/users/permissions/grant", grant).status == 403
    granted = alice.call("POST", "/api/3.0/mlflow/users/permissions/grant", grant)
    assert granted.status == 200, granted.body

    assert experiment_id in experiment_ids(bob.call("GET", SEARCH))
    rename = {"experiment_id": experiment_id, "new_name": "taken-over"}
    assert bob.call("POST", "/api/2.0/mlflow/experiments/update", rename).status == 403
    listed = bob.call("GET", "/api/3.0/mlflow/users/permissions/list?username=bob%40example.com")
    assert listed.status == 200
    assert [(row["resource_pattern"], row["permission"]) for row in listed.body["permissions"]] == [
        (experiment_id, "READ")
    ]


def test_descope_roles_grant_what_the_same_named_mlflow_role_grants(server: Server) -> None:
    admin = server.as_user("root@example.com", admin=True)
    owner = server.as_user("owner@example.com")
    experiment_id = owner.call(
        "POST", "/api/2.0/mlflow/experiments/create", {"name": "team-experiment"}
    ).body["experiment_id"]
    role = admin.call(
        "POST", "/api/3.0/mlflow/roles/create", {"name": "mlflow-editor", "workspace": "default"}
    )
    assert role.status == 200, role.body
    added = admin.call(
        "POST",
        "/api/3.0/mlflow/roles/permissions/add",
        {
            "role_id": role.body["role"]["id"],
            "resource_type": "experiment",
            "resource_pattern": experiment_id,
            "permission": "EDIT",
        },
    )
    assert added.status == 200, added.body

    editor = server.as_user("carol@example.com", roles=["mlflow-editor"])
    rename = {"experiment_id": experiment_id, "new_name": "renamed-by-carol"}
    assert editor.call("POST", "/api/2.0/mlflow/experiments/update", rename).status == 200
    roles_of_carol = "/api/3.0/mlflow/users/roles/list?username=carol%40example.com"
    assert role_names(editor.call("GET", roles_of_carol)) == ["mlflow-editor"]

    # A role handed out inside MLflow, listed in descope_unmanaged_roles: mirroring leaves it.
    reviewers = admin.call(
        "POST", "/api/3.0/mlflow/roles/create", {"name": "reviewers", "workspace": "default"}
    ).body["role"]["id"]
    assignment = {"username": "carol@example.com", "role_id": reviewers}
    assert admin.call("POST", "/api/3.0/mlflow/roles/assign", assignment).status == 200

    removed_in_descope = server.as_user("carol@example.com", roles=[])
    rename["new_name"] = "renamed-again"
    assert (
        removed_in_descope.call("POST", "/api/2.0/mlflow/experiments/update", rename).status == 403
    )
    assert role_names(admin.call("GET", roles_of_carol)) == ["reviewers"]
    assert admin.call("DELETE", "/api/3.0/mlflow/roles/unassign", assignment).status == 200
    listed = admin.call("GET", "/api/2.0/mlflow/users/list")
    carol = next(u for u in listed.body["users"] if u["username"] == "carol@example.com")
    assert carol["is_admin"] is False
    assert [(r["name"], r["workspace"]) for r in carol["roles"]] == [
        ("descope-user:sub-carol@example.com", "descope-portal:bindings")
    ]


def test_a_changed_login_id_keeps_the_grants_and_the_old_name_is_nobody_elses(
    server: Server,
) -> None:
    owner = server.as_user("lab-owner@example.com")
    experiment_id = owner.call(
        "POST", "/api/2.0/mlflow/experiments/create", {"name": "shared-with-dana"}
    ).body["experiment_id"]
    dana = server.as_user("dana@old.example.com", sub="U2dana", roles=[])
    before = dana.call("GET", "/api/2.0/mlflow/users/current").body["user"]
    grant = {
        "username": "dana@old.example.com",
        "resource_type": "experiment",
        "resource_id": experiment_id,
        "permission": "READ",
    }
    granted = owner.call("POST", "/api/3.0/mlflow/users/permissions/grant", grant)
    assert granted.status == 200, granted.body
    assert experiment_id in experiment_ids(dana.call("GET", SEARCH))

    # Descope gave the old address to someone else before Dana logged in again: refused.
    stranger = server.as_user("dana@old.example.com", sub="U2stranger", roles=[])
    refused = stranger.call("GET", SEARCH)
    assert (refused.status, refused.headers["content-type"]) == (403, "application/json")
    assert refused.body == {
        "error_code": "PERMISSION_DENIED",
        "message": "the MLflow user dana@old.example.com belongs to another Descope user; an "
        "MLflow admin must rename or remove it",
    }

    # Dana logs in under her new login id: the same MLflow user, renamed, with her grant.
    renamed = server.as_user("dana@new.example.com", sub="U2dana", roles=[])
    current = renamed.call("GET", "/api/2.0/mlflow/users/current").body["user"]
    assert (current["id"], current["username"]) == (before["id"], "dana@new.example.com")
    assert experiment_id in experiment_ids(renamed.call("GET", SEARCH))
    listed = renamed.call(
        "GET", "/api/3.0/mlflow/users/permissions/list?username=dana%40new.example.com"
    )
    assert [(r["resource_pattern"], r["permission"]) for r in listed.body["permissions"]] == [
        (experiment_id, "READ")
    ]

    # The stranger now gets a user of their own under the old name, without Dana's grant.
    fresh = stranger.call("GET", "/api/2.0/mlflow/users/current").body["user"]
    assert (fresh["username"], fresh["id"] != before["id"]) == ("dana@old.example.com", True)
    assert experiment_id not in experiment_ids(stranger.call("GET", SEARCH))


def test_nobody_becomes_the_bootstrap_admin_through_the_portal(server: Server) -> None:
    for admin in (True, False):
        answer = server.as_user("mlflow-bootstrap-admin", admin=admin).call("GET", SEARCH)
        assert (answer.status, answer.body["error_code"]) == (403, "PERMISSION_DENIED")
        assert "bootstrap admin" in answer.body["message"]
