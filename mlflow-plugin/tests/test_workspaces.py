"""Workspace membership from asserted workspaces, against MLflow's real auth store: each asserted
workspace gets exactly one membership role and its own roles; every other workspace is left."""

from __future__ import annotations

from typing import Any

import pytest
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.workspace_context import WorkspaceContext
from portal_tokens import DROP, claims

from mlflow_descope_portal.auth import mirrored_workspaces
from mlflow_descope_portal.binding_sql import BINDING_WORKSPACE
from mlflow_descope_portal.identity import MalformedClaims, PortalIdentity, parse_identity
from mlflow_descope_portal.sync import sync_identity
from mlflow_descope_portal.workspaces import MANAGER_ROLE, MEMBER_ROLE, WorkspaceTarget

NONE: frozenset[str] = frozenset()
USER = "alice@example.com"


def identity(**overrides: Any) -> PortalIdentity:
    return parse_identity(claims(**overrides))


def targets(**workspaces: tuple[str, list[str]]) -> tuple[WorkspaceTarget, ...]:
    return tuple(
        WorkspaceTarget(name=name.replace("_", "-"), access=access, roles=frozenset(roles))
        for name, (access, roles) in workspaces.items()
    )


def held(store: SqlAlchemyStore, workspace: str) -> set[str]:
    user = store.get_user(USER)
    return {role.name for role in store.list_user_roles_for_workspace(user.id, workspace)}


def visible(store: SqlAlchemyStore) -> set[str]:
    # The binding "workspace" is not one (its name is no valid workspace name): MLflow lists none.
    return store.list_accessible_workspace_names(USER) - {BINDING_WORKSPACE}


def grant_of(store: SqlAlchemyStore, workspace: str, role_name: str) -> set[tuple[str, str, str]]:
    role = next(r for r in store.list_roles([workspace]) if r.name == role_name)
    return {
        (p.resource_type, p.resource_pattern, p.permission)
        for p in store.list_role_permissions(role.id)
    }


def test_members_get_use_and_tenant_admins_manage_on_the_whole_workspace(
    auth_store: SqlAlchemyStore,
) -> None:
    result = sync_identity(
        auth_store, identity(), targets(acme=("USE", []), globex=("MANAGE", [])), NONE
    )
    assert held(auth_store, "acme") == {MEMBER_ROLE}
    assert held(auth_store, "globex") == {MANAGER_ROLE}
    assert grant_of(auth_store, "acme", MEMBER_ROLE) == {("workspace", "*", "USE")}
    assert grant_of(auth_store, "globex", MANAGER_ROLE) == {("workspace", "*", "MANAGE")}
    assert visible(auth_store) == {"acme", "globex"}
    assert set(result.assigned) == {f"{MEMBER_ROLE}@acme", f"{MANAGER_ROLE}@globex"}


def test_roles_are_mirrored_per_workspace_from_that_workspace_s_roles(
    auth_store: SqlAlchemyStore,
) -> None:
    for workspace in ("acme", "globex"):
        auth_store.create_role("mlflow-editor", workspace)
    sync_identity(
        auth_store,
        identity(),
        targets(acme=("USE", ["mlflow-editor"]), globex=("USE", ["mlflow-reader"])),
        NONE,
    )
    assert held(auth_store, "acme") == {MEMBER_ROLE, "mlflow-editor"}
    assert held(auth_store, "globex") == {MEMBER_ROLE}


def test_a_changed_access_swaps_the_membership_role(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(), targets(acme=("USE", [])), NONE)
    promoted = sync_identity(auth_store, identity(), targets(acme=("MANAGE", [])), NONE)
    assert held(auth_store, "acme") == {MANAGER_ROLE}
    assert promoted.unassigned == [f"{MEMBER_ROLE}@acme"]
    unchanged = sync_identity(auth_store, identity(), targets(acme=("MANAGE", [])), NONE)
    assert not unchanged.changed


def test_leaving_a_tenant_leaves_its_workspace_and_keeps_grants_and_unmanaged_roles(
    auth_store: SqlAlchemyStore,
) -> None:
    auth_store.create_role("mlflow-editor", "globex")
    auth_store.create_role("curated", "globex")
    both = targets(acme=("USE", []), globex=("USE", ["mlflow-editor"]))
    sync_identity(auth_store, identity(), both, NONE)
    user = auth_store.get_user(USER)
    curated = next(r for r in auth_store.list_roles(["globex"]) if r.name == "curated")
    auth_store.assign_role_to_user(user.id, curated.id)
    with WorkspaceContext("globex"):
        auth_store.grant_user_resource_permission(USER, "experiment", "7", "READ")
    grant_roles = {
        (r.name, r.workspace)
        for r in auth_store.list_user_roles(user.id)
        if r.name.startswith("__user_")
    }
    assert grant_roles

    result = sync_identity(
        auth_store, identity(), targets(acme=("USE", [])), frozenset({"curated"})
    )

    assert held(auth_store, "globex") == {"curated"}
    assert grant_roles <= {(r.name, r.workspace) for r in auth_store.list_user_roles(user.id)}
    assert sorted(result.unassigned) == [f"{MEMBER_ROLE}@globex", "mlflow-editor@globex"]
    # Only the unmanaged role keeps the workspace visible; drop it and the workspace is gone.
    auth_store.unassign_role_from_user(user.id, curated.id)
    assert visible(auth_store) == {"acme"}


def test_no_workspaces_leaves_every_workspace_but_the_binding(auth_store: SqlAlchemyStore) -> None:
    sync_identity(auth_store, identity(), targets(acme=("USE", [])), NONE)
    sync_identity(auth_store, identity(), (), NONE)
    assert visible(auth_store) == set()
    # The binding role (another workspace) still ties the MLflow user to its Descope user.
    again = sync_identity(auth_store, identity(), (), NONE)
    assert not again.changed


def test_a_membership_role_made_by_hand_without_its_grant_is_reused(
    auth_store: SqlAlchemyStore,
) -> None:
    # Another worker won the race to create it: the sync uses the existing role.
    auth_store.create_role(MEMBER_ROLE, "acme")
    sync_identity(auth_store, identity(), targets(acme=("USE", [])), NONE)
    assert held(auth_store, "acme") == {MEMBER_ROLE}


def test_workspaces_claim_is_parsed_sorted_and_switching_the_active_one_needs_no_sync() -> None:
    asserted = {
        "globex": {"access": "MANAGE", "roles": []},
        "acme": {"access": "USE", "roles": ["r"]},
    }
    one = identity(workspaces=asserted, workspace="acme")
    other = identity(workspaces=asserted, workspace="globex")
    assert one.workspaces == (("acme", "USE", frozenset({"r"})), ("globex", "MANAGE", NONE))
    assert one.sync_key == other.sync_key
    assert identity(workspace="acme").sync_key != identity(workspace="globex").sync_key


@pytest.mark.parametrize(
    "bad",
    [
        [],
        "acme",
        {"Acme": {"access": "USE", "roles": []}},
        {"a": {"access": "USE", "roles": []}},
        {"acme": {"access": "EDIT", "roles": []}},
        {"acme": {"roles": []}},
        {"acme": "USE"},
        {"acme": {"access": "USE", "roles": "mlflow-editor"}},
        {"acme": {"access": "USE", "roles": ["ok", "bad\n"]}},
        {f"ws-{i}": {"access": "USE", "roles": []} for i in range(257)},
    ],
)
def test_malformed_workspaces_claims_are_refused(bad: object) -> None:
    with pytest.raises(MalformedClaims):
        identity(workspaces=bad)


@pytest.mark.parametrize("enabled", ["true", "false"])
def test_asserted_workspaces_are_synced_only_when_mlflow_runs_workspaces(
    monkeypatch: pytest.MonkeyPatch, enabled: str
) -> None:
    monkeypatch.setenv("MLFLOW_ENABLE_WORKSPACES", enabled)
    asserted = identity(workspaces={"acme": {"access": "USE", "roles": ["r"]}}, workspace="acme")
    expected: object = (
        (WorkspaceTarget("acme", "USE", frozenset({"r"})),) if enabled == "true" else "default"
    )
    assert mirrored_workspaces(asserted) == expected
    assert mirrored_workspaces(identity(workspaces=DROP)) == "default"
