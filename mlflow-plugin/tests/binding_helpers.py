"""Reading bindings back out of MLflow's real auth store, and syncing one identity."""

from __future__ import annotations

from typing import Any

from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
from portal_tokens import claims

from mlflow_descope_portal.binding_rules import BindingPolicy
from mlflow_descope_portal.binding_sql import BINDING_WORKSPACE
from mlflow_descope_portal.identity import PortalIdentity, parse_identity
from mlflow_descope_portal.sync import SyncResult, sync_identity

WORKSPACE = "default"
NONE: frozenset[str] = frozenset()
ADOPT = BindingPolicy(adopt_existing_users=True, admin_username="mlflow-bootstrap-admin")


def identity(username: str, sub: str, **overrides: Any) -> PortalIdentity:
    return parse_identity(claims(username=username, sub=sub, **{"roles": [], **overrides}))


def sync(
    store: Any, username: str, sub: str, policy: BindingPolicy = ADOPT, **overrides: Any
) -> SyncResult:
    return sync_identity(store, identity(username, sub, **overrides), WORKSPACE, NONE, policy)


def bindings(store: SqlAlchemyStore) -> dict[str, list[str]]:
    """Binding role name -> the usernames holding it (sorted); roles nobody holds included."""
    names = {user.id: user.username for user in store.list_users()}
    return {
        role.name: sorted(names[a.user_id] for a in store.list_role_users(role.id))
        for role in store.list_roles([BINDING_WORKSPACE])
    }


def usernames(store: SqlAlchemyStore) -> set[str]:
    return {user.username for user in store.list_users()}
