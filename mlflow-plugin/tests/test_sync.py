"""Role mirroring against MLflow's real auth store: Descope decides membership of managed roles,
and nothing else in MLflow is touched (binding roles included; test_binding.py has the rules)."""

from __future__ import annotations

from typing import Any

import pytest
from mlflow.exceptions import MlflowException
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
from portal_tokens import claims
from store_spy import CountingStore

from mlflow_descope_portal.binding_sql import BINDING_WORKSPACE
from mlflow_descope_portal.identity import PortalIdentity, parse_identity
from mlflow_descope_portal.sync import sync_identity

WORKSPACE = "default"
NONE: frozenset[str] = frozenset()


def identity(**overrides: Any) -> PortalIdentity:
    return parse_identity(claims(**overrides))


def held_roles(store: SqlAlchemyStore, username: str, workspace: str = WORKSPACE) -> set[str]:
    user = store.get_user(username)
    return {role.name for role in store.list_user_roles_for_workspace(user.id, workspace)}


def test_creates_the_user_on_first_sight_with_no_usable_password(
    auth_store: SqlAlchemyStore,
) -> None:
    result = sync_identity(auth_store, identity(username="new@example.com"), WORKSPACE, NONE)
    user = auth_store.get_user("new@example.com")
    assert result.created
    assert user.is_admin is False
    for guess in ("", "password", "new@example.com", "U2descope-user-id"):
        assert not auth_store.authenticate_user("new@example.com", guess)


def test_creates_an_admin_as_admin(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(username="boss", admin=True), WORKSPACE, NONE)
    assert auth_store.get_user("boss").is_admin is True


def test_keeps_is_admin_equal_to_the_assertion(auth_store: SqlAlchemyStore) -> None:
    auth_store.create_user("carol", "carol-password-123", is_admin=True)
    demoted = sync_identity(auth_store, identity(username="carol", admin=False), WORKSPACE, NONE)
    assert (demoted.created, demoted.admin_changed) == (False, True)
    assert auth_store.get_user("carol").is_admin is False
    promoted = sync_identity(auth_store, identity(username="carol", admin=True), WORKSPACE, NONE)
    assert promoted.admin_changed and auth_store.get_user("carol").is_admin is True
    unchanged = sync_identity(auth_store, identity(username="carol", admin=True), WORKSPACE, NONE)
    assert not unchanged.changed


def test_an_existing_user_keeps_its_password(auth_store: SqlAlchemyStore) -> None:
    auth_store.create_user("dave", "dave-password-123")
    sync_identity(auth_store, identity(username="dave"), WORKSPACE, NONE)
    assert auth_store.authenticate_user("dave", "dave-password-123")


def test_assigns_asserted_roles_that_exist_in_mlflow_and_ignores_the_rest(
    auth_store: SqlAlchemyStore,
) -> None:
    auth_store.create_role("mlflow-editor", WORKSPACE)
    auth_store.create_role("mlflow-viewer", WORKSPACE)
    auth_store.create_role("unrelated", WORKSPACE)
    asserted = identity(roles=["mlflow-editor", "mlflow-viewer", "descope-only-role"])
    result = sync_identity(auth_store, asserted, WORKSPACE, NONE)
    assert result.assigned == ["mlflow-editor", "mlflow-viewer"]
    assert held_roles(auth_store, asserted.username) == {"mlflow-editor", "mlflow-viewer"}
    assert not sync_identity(auth_store, asserted, WORKSPACE, NONE).changed


def test_unassigns_managed_roles_no_longer_asserted(auth_store: SqlAlchemyStore) -> None:
    auth_store.create_role("mlflow-editor", WORKSPACE)
    auth_store.create_role("mlflow-viewer", WORKSPACE)
    sync_identity(auth_store, identity(roles=["mlflow-editor", "mlflow-viewer"]), WORKSPACE, NONE)
    result = sync_identity(auth_store, identity(roles=["mlflow-viewer"]), WORKSPACE, NONE)
    assert result.unassigned == ["mlflow-editor"]
    assert held_roles(auth_store, "alice@example.com") == {"mlflow-viewer"}
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    assert held_roles(auth_store, "alice@example.com") == set()


def test_a_managed_role_assigned_inside_mlflow_follows_descope(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    user = auth_store.get_user("alice@example.com")
    role = auth_store.create_role("mlflow-editor", WORKSPACE)
    auth_store.assign_role_to_user(user.id, role.id)
    result = sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    assert result.unassigned == ["mlflow-editor"]


def test_per_user_grant_roles_are_never_touched(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    # users/permissions/grant writes into the user's synthetic __user_<id>__ role.
    auth_store.grant_user_resource_permission("alice@example.com", "experiment", "7", "READ")
    user = auth_store.get_user("alice@example.com")
    before = held_roles(auth_store, "alice@example.com")
    assert before == {f"__user_{user.id}__"}
    result = sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    assert not result.changed
    assert held_roles(auth_store, "alice@example.com") == before


def test_unmanaged_roles_are_neither_assigned_nor_removed(auth_store: SqlAlchemyStore) -> None:
    unmanaged = frozenset({"handed-out-in-mlflow", "also-unmanaged"})
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, unmanaged)
    user = auth_store.get_user("alice@example.com")
    kept = auth_store.create_role("handed-out-in-mlflow", WORKSPACE)
    auth_store.create_role("also-unmanaged", WORKSPACE)
    auth_store.assign_role_to_user(user.id, kept.id)
    result = sync_identity(auth_store, identity(roles=["also-unmanaged"]), WORKSPACE, unmanaged)
    assert not result.changed
    assert held_roles(auth_store, "alice@example.com") == {"handed-out-in-mlflow"}


def test_only_the_request_workspace_is_mirrored(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    user = auth_store.get_user("alice@example.com")
    elsewhere = auth_store.create_role("mlflow-editor", "team-b")
    auth_store.assign_role_to_user(user.id, elsewhere.id)
    auth_store.create_role("mlflow-viewer", "team-b")
    result = sync_identity(auth_store, identity(roles=["mlflow-viewer"]), WORKSPACE, NONE)
    assert not result.changed
    assert held_roles(auth_store, "alice@example.com", "team-b") == {"mlflow-editor"}
    in_team_b = sync_identity(auth_store, identity(roles=["mlflow-viewer"]), "team-b", NONE)
    assert (in_team_b.assigned, in_team_b.unassigned) == (["mlflow-viewer"], ["mlflow-editor"])


def test_a_steady_state_sync_only_reads(counting_store: CountingStore) -> None:
    counting_store.create_role("mlflow-editor", WORKSPACE)
    asserted = identity(roles=["mlflow-editor"])
    sync_identity(counting_store, asserted, WORKSPACE, NONE)
    counting_store.calls.clear()
    sync_identity(counting_store, asserted, WORKSPACE, NONE)
    # One session for the binding (two indexed reads, no lock), one read of the roles.
    assert counting_store.calls == ["ManagedSessionMaker", "list_user_roles_for_workspace"]


def test_binding_roles_are_never_removed_as_no_longer_asserted(
    auth_store: SqlAlchemyStore,
) -> None:
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    user = auth_store.get_user("alice@example.com")
    for workspace in (WORKSPACE, BINDING_WORKSPACE):
        assert not sync_identity(auth_store, identity(roles=[]), workspace, NONE).changed
    assert [role.name for role in auth_store.list_user_roles(user.id)] == [
        "descope-user:U2descope-user-id"
    ]


def test_roles_named_like_bindings_are_never_mirrored_in_any_workspace(
    auth_store: SqlAlchemyStore,
) -> None:
    sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE)
    user = auth_store.get_user("alice@example.com")
    # An admin may create such roles in a real workspace; they still mean nothing to mirroring.
    lookalike = auth_store.create_role("descope-user:U2descope-user-id", WORKSPACE)
    auth_store.create_role("descope-user:someone-else", WORKSPACE)
    auth_store.create_role("descope-user:someone-else", BINDING_WORKSPACE)
    asserted = identity(roles=["descope-user:U2descope-user-id", "descope-user:someone-else"])
    for workspace in (WORKSPACE, BINDING_WORKSPACE):
        assert not sync_identity(auth_store, asserted, workspace, NONE).changed
    auth_store.assign_role_to_user(user.id, lookalike.id)
    assert not sync_identity(auth_store, identity(roles=[]), WORKSPACE, NONE).changed
    assert held_roles(auth_store, "alice@example.com") == {"descope-user:U2descope-user-id"}
    assert held_roles(auth_store, "alice@example.com", BINDING_WORKSPACE) == {
        "descope-user:U2descope-user-id"
    }


def test_store_failures_propagate(auth_store: SqlAlchemyStore) -> None:
    class BrokenStore(CountingStore):
        def list_user_roles_for_workspace(self, user_id: int, workspace: str) -> Any:
            raise MlflowException("database is locked")

    with pytest.raises(MlflowException, match="database is locked"):
        sync_identity(BrokenStore(auth_store), identity(), WORKSPACE, NONE)
