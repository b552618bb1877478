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
without an MLflow role of that name are ignored. Without MLflow workspaces there is one workspace
and roles in others are never looked at; with them, membership follows the asserted workspaces
(workspaces.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mlflow.exceptions import MlflowException

from .binding import bind_identity
from .binding_rules import BindingPolicy
from .binding_sql import BINDING_ROLE_PREFIX, BINDING_WORKSPACE
from .identity import PortalIdentity
from .store import AuthStore, MlflowRole
from .workspaces import (
    WorkspaceTarget,
    ensure_membership_role,
    is_membership_role,
    single_workspace,
)

# Under MLflow's logger namespace, so the server's own handler and format print these lines.
_logger = logging.getLogger("mlflow.descope_portal.sync")

DEFAULT_POLICY = BindingPolicy()
# MLflow reserves the whole prefix for its synthetic per-user grant roles (create_role refuses it).
PER_USER_ROLE_PREFIX = "__user_"


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
        and not is_membership_role(name)
        and name not in unmanaged_roles
    )


def sync_identity(
    store: AuthStore,
    identity: PortalIdentity,
    workspace: str | Sequence[WorkspaceTarget],
    unmanaged_roles: frozenset[str],
    policy: BindingPolicy = DEFAULT_POLICY,
) -> SyncResult:
    """Mirrors ``identity`` into one workspace (a name) or into the asserted workspaces.

    With targets, the user also leaves every other workspace. Raises ``binding.IdentityRefused``
    when the MLflow user is not this person's.
    """
    user = bind_identity(store, identity, policy)
    result = SyncResult(created=user.created, adopted=user.adopted, renamed_from=user.renamed_from)
    if user.is_admin != identity.admin:
        store.update_user(identity.username, is_admin=identity.admin)
        result.admin_changed = True
    targets = (
        single_workspace(workspace, identity.roles) if isinstance(workspace, str) else workspace
    )
    for target in targets:
        _mirror(store, user.id, target, unmanaged_roles, result)
    if not isinstance(workspace, str):
        _leave_other_workspaces(store, user.id, {t.name for t in targets}, unmanaged_roles, result)
    return result


def _mirror(
    store: AuthStore,
    user_id: int,
    target: WorkspaceTarget,
    unmanaged_roles: frozenset[str],
    result: SyncResult,
) -> None:
    held = {role.name: role for role in store.list_user_roles_for_workspace(user_id, target.name)}
    wanted = {name for name in target.roles if is_managed_role(name, unmanaged_roles)}
    label = _labeller(target)
    membership = target.membership_role
    if membership is not None and membership not in held:
        role_id = ensure_membership_role(store, target.name, membership)
        _tolerate("RESOURCE_ALREADY_EXISTS", store.assign_role_to_user, user_id, role_id)
        result.assigned.append(label(membership))
    missing = wanted - held.keys()
    if missing:
        existing = {role.name: role for role in store.list_roles([target.name])}
        for name in sorted(missing):
            if name not in existing:
                _logger.debug("Descope role %r has no MLflow role in %r", name, target.name)
                continue
            _tolerate(
                "RESOURCE_ALREADY_EXISTS", store.assign_role_to_user, user_id, existing[name].id
            )
            result.assigned.append(label(name))
    for name, role in sorted(held.items()):
        stale_membership = is_membership_role(name) and name != membership
        if stale_membership or (name not in wanted and is_managed_role(name, unmanaged_roles)):
            _tolerate("RESOURCE_DOES_NOT_EXIST", store.unassign_role_from_user, user_id, role.id)
            result.unassigned.append(label(name))


def _leave_other_workspaces(
    store: AuthStore,
    user_id: int,
    kept: set[str],
    unmanaged_roles: frozenset[str],
    result: SyncResult,
) -> None:
    """Drops membership and managed roles in workspaces the portal no longer asserts."""
    for role in sorted(store.list_user_roles(user_id), key=_role_key):
        if role.workspace in kept or role.workspace == BINDING_WORKSPACE:
            continue
        if is_membership_role(role.name) or is_managed_role(role.name, unmanaged_roles):
            _tolerate("RESOURCE_DOES_NOT_EXIST", store.unassign_role_from_user, user_id, role.id)
            result.unassigned.append(f"{role.name}@{role.workspace}")


def _labeller(target: WorkspaceTarget) -> Callable[[str], str]:
    # Without workspaces the log line already names the one workspace.
    return (lambda name: name) if target.access is None else (lambda name: f"{name}@{target.name}")


def _role_key(role: MlflowRole) -> tuple[str, str]:
    return (role.workspace, role.name)


def _tolerate(
    error_code: str, action: Callable[[int, int], object], user_id: int, role_id: int
) -> None:
    """Runs an idempotent store call; a concurrent sync may already have done it."""
    try:
        action(user_id, role_id)
    except MlflowException as error:
        if error.error_code != error_code:
            raise
