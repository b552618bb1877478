"""The identity the portal asserts, parsed from verified JWT claims.

Signature, audience, issuer and times are checked by ``assertion.py`` before anything here
runs; this module only decides whether the claims have the shape of the contract. Every limit
below bounds the work one request can cause (role lookups, memo keys, log lines).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_USERNAME_LENGTH = 255  # MLflow's own limit (mlflow.utils.validation.MAX_USERNAME_LENGTH)
MAX_ROLE_NAME_LENGTH = 255  # MLflow's MAX_ROLE_NAME_LENGTH
# The sub names its binding role, "descope-user:<sub>" (binding_sql.py), which must fit
# MLflow's role names. Descope user ids are about 30 characters.
MAX_SUB_LENGTH = MAX_ROLE_NAME_LENGTH - len("descope-user:")
MAX_ROLES = 256
MAX_TENANTS = 256
MAX_WORKSPACES = 256
WORKSPACE_ACCESS = frozenset({"USE", "MANAGE"})
MAX_TEXT_LENGTH = 1024
# MLflow's workspace names: DNS labels, 2-63 characters.
_WORKSPACE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])$")
# Control characters would let a claim forge log lines or break MLflow's UI.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MalformedClaims(ValueError):
    """The assertion verified, but its claims do not follow the contract."""


@dataclass(frozen=True)
class PortalIdentity:
    sub: str
    username: str
    email: str
    name: str
    admin: bool
    roles: frozenset[str]
    tenants: tuple[tuple[str, frozenset[str]], ...]
    workspace: str | None
    # Every workspace the caller may use, with their access and roles there: (name, access,
    # roles), sorted. None when the portal does not map tenants to workspaces.
    workspaces: tuple[tuple[str, str, frozenset[str]], ...] | None = None

    @property
    def sync_key(self) -> tuple[object, ...]:
        """Everything that decides what the MLflow user looks like after a sync.

        email and name are not mirrored into MLflow, so they do not force a re-sync. With
        asserted workspaces, the active one changes nothing: every one is synced at once, so
        switching between them costs no sync.
        """
        active = None if self.workspaces is not None else self.workspace
        return (
            self.sub,
            self.username,
            self.admin,
            self.roles,
            self.tenants,
            active,
            self.workspaces,
        )


def parse_identity(claims: Mapping[str, Any]) -> PortalIdentity:
    tenants = claims.get("tenants")
    if not isinstance(tenants, dict):
        raise MalformedClaims("'tenants' must be an object of tenant id to role names")
    if len(tenants) > MAX_TENANTS:
        raise MalformedClaims(f"'tenants' has more than {MAX_TENANTS} entries")
    workspace = claims.get("workspace")
    if workspace is not None and not (
        isinstance(workspace, str) and _WORKSPACE_NAME.fullmatch(workspace)
    ):
        raise MalformedClaims("'workspace' must be an MLflow workspace name")
    admin = claims.get("admin")
    if not isinstance(admin, bool):
        raise MalformedClaims("'admin' must be a boolean")
    return PortalIdentity(
        sub=_text(claims, "sub", required=True, max_length=MAX_SUB_LENGTH),
        username=_text(claims, "username", required=True, max_length=MAX_USERNAME_LENGTH),
        email=_text(claims, "email", required=False, max_length=MAX_TEXT_LENGTH),
        name=_text(claims, "name", required=False, max_length=MAX_TEXT_LENGTH),
        admin=admin,
        roles=_role_names(claims.get("roles"), "'roles'"),
        tenants=tuple(
            sorted(
                (_tenant_id(tenant), _role_names(roles, f"'tenants.{tenant}'"))
                for tenant, roles in tenants.items()
            )
        ),
        workspace=workspace,
        workspaces=_workspaces(claims.get("workspaces")),
    )


def _workspaces(value: object) -> tuple[tuple[str, str, frozenset[str]], ...] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MalformedClaims("'workspaces' must be an object of workspace name to access")
    if len(value) > MAX_WORKSPACES:
        raise MalformedClaims(f"'workspaces' has more than {MAX_WORKSPACES} entries")
    parsed = []
    for name, entry in value.items():
        if not (isinstance(name, str) and _WORKSPACE_NAME.fullmatch(name)):
            raise MalformedClaims("'workspaces' keys must be MLflow workspace names")
        if not isinstance(entry, dict) or entry.get("access") not in WORKSPACE_ACCESS:
            raise MalformedClaims(f"'workspaces.{name}.access' must be USE or MANAGE")
        parsed.append(
            (name, entry["access"], _role_names(entry.get("roles"), f"'workspaces.{name}.roles'"))
        )
    return tuple(sorted(parsed, key=lambda item: item[0]))


def _text(claims: Mapping[str, Any], key: str, *, required: bool, max_length: int) -> str:
    # email and name are informational: absent means empty. sub is the person, username its name.
    value = claims.get(key, None if required else "")
    if not isinstance(value, str):
        raise MalformedClaims(f"'{key}' must be a string")
    if required and not value:
        raise MalformedClaims(f"'{key}' must not be empty")
    if len(value) > max_length:
        raise MalformedClaims(f"'{key}' is longer than {max_length} characters")
    if _CONTROL.search(value):
        raise MalformedClaims(f"'{key}' contains control characters")
    return value


def _tenant_id(tenant: str) -> str:
    if not tenant or len(tenant) > MAX_TEXT_LENGTH or _CONTROL.search(tenant):
        raise MalformedClaims("'tenants' has an invalid tenant id")
    return tenant


def _role_names(value: object, label: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise MalformedClaims(f"{label} must be an array of role names")
    if len(value) > MAX_ROLES:
        raise MalformedClaims(f"{label} has more than {MAX_ROLES} roles")
    for role in value:
        if (
            not isinstance(role, str)
            or not role
            or len(role) > MAX_ROLE_NAME_LENGTH
            or _CONTROL.search(role)
        ):
            raise MalformedClaims(
                f"{label} must hold non-empty role names without control characters"
            )
    return frozenset(value)
