"""Mirrors an asserted identity onto MLflow's auth store.

Descope says who is in a group; MLflow roles say what a group may do on which resource. After a
sync, in the workspace the request runs in:

* the MLflow user named ``username`` exists and belongs to the asserted ``sub`` (binding.py: it
  was created, adopted or renamed for this Descope user, or the sync was refused);
* its ``is_admin`` equals the asserted ``admin``;
* it holds exactly those *managed* roles whose names are asserted in ``roles``.

A role is managed unless it is a per-user grant role (MLflow's reserved ``__user_<id>__``
namespace, where ``users/permissions/grant`` writes), a binding role (``descope-user:<sub>``,
whatever its workspace) or is listed in ``descope_unmanaged_roles``. Managed roles follow Descope
both ways, so a role removed in Descope is removed in MLflow at the next sync: holding on to it
would leave access behind. An assignment of a managed role made inside MLflow is therefore undone
too; roles MLflow admins hand out themselves belong in ``descope_unmanaged_roles``. Descope roles
without an MLflow role of that name are ignored, and roles in other workspaces are never looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mlflow.exceptions import MlflowException

from .binding import SessionStore, bind_identity
from .binding_rules import BindingPolicy
from .binding_sql import BINDING_ROLE_PREFIX
from .identity import PortalIdentity

# Under MLflow's logger namespace, so the server's own handler and format print these lines.
_logger = logging.getLogger("mlflow.descope_portal.sync")

DEFAULT_POLICY = BindingPolicy()
# MLflow reserves the whole prefix for its synthetic per-user grant roles (create_role refuses it).
PER_USER_ROLE_PREFIX = "__user_"


class MlflowRole(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...


class AuthStore(SessionStore, Protocol):
    """The part of ``mlflow.server.auth.sqlalchemy_store.SqlAlchemyStore`` a sync uses."""

    def update_user(
        self, username: str, password: str | None = None, is_admin: bool | None = None
    ) -> object: ...
    def list_roles(self, workspaces: Iterable[str] | None = None) -> Sequence[MlflowRole]: ...
    def list_user_roles_for_workspace(
        self, user_id: int, workspace: str
    ) -> Sequence[MlflowRole]: ...
    def assign_role_to_user(self, user_id: int, role_id: int) -> object: ...
    def unassign_role_from_user(self, user_id: int, role_id: int) -> None: ...


@dataclass
class SyncResult:
    created: bool = False
    adopted: bool = False
    renamed_from: str | None = None
    admin_changed: bool = False
    assigned: list[str] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (
            self.created
            or self.adopted
            or self.renamed_from is not None
            or self.admin_changed
            or bool(self.assigned or self.unassigned)
        )


def is_managed_role(name: str, unmanaged_roles: frozenset[str]) -> bool:
    return (
        not name.startswith(PER_USER_ROLE_PREFIX)
        and not name.startswith(BINDING_ROLE_PREFIX)
        and name not in unmanaged_roles
    )


def sync_identity(
    store: AuthStore,
    identity: PortalIdentity,
    workspace: str,
    unmanaged_roles: frozenset[str],
    policy: BindingPolicy = DEFAULT_POLICY,
) -> SyncResult:
    """Raises ``binding.IdentityRefused`` when the MLflow user is not this person's."""
    user = bind_identity(store, identity, policy)
    result = SyncResult(created=user.created, adopted=user.adopted, renamed_from=user.renamed_from)
    if user.is_admin != identity.admin:
        store.update_user(identity.username, is_admin=identity.admin)
        result.admin_changed = True

    held = {role.name: role for role in store.list_user_roles_for_workspace(user.id, workspace)}
    wanted = {name for name in identity.roles if is_managed_role(name, unmanaged_roles)}
    missing = wanted - held.keys()
    if missing:
        existing = {role.name: role for role in store.list_roles([workspace])}
        for name in sorted(missing):
            if name not in existing:
                _logger.debug("Descope role %r has no MLflow role in workspace %r", name, workspace)
                continue
            _tolerate(
                "RESOURCE_ALREADY_EXISTS", store.assign_role_to_user, user.id, existing[name].id
            )
            result.assigned.append(name)
    for name, role in sorted(held.items()):
        if name not in wanted and is_managed_role(name, unmanaged_roles):
            _tolerate("RESOURCE_DOES_NOT_EXIST", store.unassign_role_from_user, user.id, role.id)
            result.unassigned.append(name)
    return result


def _tolerate(
    error_code: str, action: Callable[[int, int], object], user_id: int, role_id: int
) -> None:
    """Runs an idempotent store call; a concurrent sync may already have done it."""
    try:
        action(user_id, role_id)
    except MlflowException as error:
        if error.error_code != error_code:
            raise
