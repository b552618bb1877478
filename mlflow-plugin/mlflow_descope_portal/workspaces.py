"""Workspace membership: a Descope tenant's members use its MLflow workspace, and only theirs.

With MLflow's workspaces on, the portal asserts every workspace the caller may use (one per
Descope tenant of theirs, plus ``default`` when the portal opens it) with the caller's access
there and the Descope roles that count there. A sync then makes MLflow agree, in each of them:

* the user holds exactly one membership role, ``descope-portal:member`` (USE on the whole
  workspace: read everything in it, create experiments and models, own what they create) or
  ``descope-portal:manager`` (MANAGE on the whole workspace, for the tenant's admin roles);
* the managed roles held there are exactly those asserted for that workspace (sync.py).

In every other workspace the user's membership and managed roles are removed, so MLflow's own
workspace list (``workspaces/list``, the UI's switcher) shows the caller's tenants and nothing
else. Per-user grant roles are never touched: grants made inside a workspace wait there, and
come back with the membership. The portal refuses any workspace not asserted before MLflow runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mlflow.exceptions import MlflowException

from .store import AuthStore

MEMBER_ROLE = "descope-portal:member"
MANAGER_ROLE = "descope-portal:manager"
MEMBERSHIP_ROLE_PREFIX = "descope-portal:"
MEMBERSHIP_ROLES = {"USE": MEMBER_ROLE, "MANAGE": MANAGER_ROLE}
_ROLE_DESCRIPTIONS = {
    MEMBER_ROLE: "Members of this workspace's Descope tenant (USE), kept by the Descope portal",
    MANAGER_ROLE: "Admins of this workspace's Descope tenant (MANAGE), kept by the Descope portal",
}
# MLflow's unified workspace-wide grant slot (mlflow.server.auth: _WORKSPACE_GRANT).
WORKSPACE_GRANT = ("workspace", "*")


@dataclass(frozen=True)
class WorkspaceTarget:
    """What the user looks like in one workspace after a sync.

    ``access`` is None without MLflow workspaces: then there is one workspace, everybody's, and
    only the roles are mirrored.
    """

    name: str
    access: str | None
    roles: frozenset[str]

    @property
    def membership_role(self) -> str | None:
        return None if self.access is None else MEMBERSHIP_ROLES[self.access]


def is_membership_role(name: str) -> bool:
    return name.startswith(MEMBERSHIP_ROLE_PREFIX)


def ensure_membership_role(store: AuthStore, workspace: str, name: str) -> int:
    """The id of ``name`` in ``workspace``, created with its workspace-wide grant if missing.

    Two workers may create it at once: the loser finds the winner's role.
    """
    access = next(level for level, role in MEMBERSHIP_ROLES.items() if role == name)
    try:
        role = store.create_role(name, workspace, _ROLE_DESCRIPTIONS[name])
    except MlflowException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        return next(r.id for r in store.list_roles([workspace]) if r.name == name)
    try:
        store.add_role_permission(role.id, *WORKSPACE_GRANT, access)
    except Exception:
        # A membership role that grants nothing would look like access and be none.
        store.delete_role(role.id)
        raise
    return role.id


def single_workspace(name: str, roles: frozenset[str]) -> Sequence[WorkspaceTarget]:
    return (WorkspaceTarget(name=name, access=None, roles=roles),)
