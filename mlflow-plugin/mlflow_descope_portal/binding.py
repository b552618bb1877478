"""Each MLflow user belongs to the Descope user (``sub``) that asserted it.

The username alone cannot be the identity: a Descope login id (by default the email) can change,
and can later go to someone else. MLflow's auth store has no column for a Descope id and the
plugin keeps no storage of its own, so the link is an MLflow role, ``descope-user:<sub>``, in the
workspace ``descope-portal:bindings``, assigned to exactly one user. No workspace of that name
can exist (it is not a DNS label), so the role grants nothing and makes nobody a member of a real
workspace (membership there would show its role list and roster, and make the workspace visible),
and only MLflow admins can create, assign or remove it; no workspace admin can. Role mirroring
never looks there, and leaves the role name alone in every workspace (sync.py).

The rules are in binding_rules.py. A re-sync of a bound user reads two indexed rows and takes no
lock; anything else is read again and decided in one transaction under the write lock, and a
lost race (another worker created, renamed or bound first) is read and decided again.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from mlflow.exceptions import MlflowException
from sqlalchemy.exc import IntegrityError, OperationalError

from . import binding_sql as sql
from .binding_rules import (
    Adopt,
    BindingPolicy,
    Keep,
    Refuse,
    Rename,
    bootstrap_admin_refusal,
    decide,
)
from .binding_sql import UserRow
from .identity import PortalIdentity

ATTEMPTS = 3
_LOST_RACE = (IntegrityError, OperationalError)


class SessionStore(Protocol):
    """``SqlAlchemyStore.ManagedSessionMaker``: a context manager yielding a SQLAlchemy session."""

    def ManagedSessionMaker(self, read_only: bool = True) -> AbstractContextManager[Any]: ...


@dataclass(frozen=True)
class BoundUser:
    id: int
    username: str
    is_admin: bool
    created: bool = False
    adopted: bool = False
    renamed_from: str | None = None


class IdentityRefused(Exception):
    """The assertion is valid, but the MLflow user it names is not this person's."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnverifiedAuthSchema(Exception):
    """A rename is due, but this MLflow's auth schema was not checked for it: nothing renamed."""


def bind_identity(
    store: SessionStore, identity: PortalIdentity, policy: BindingPolicy
) -> BoundUser:
    if identity.username == policy.admin_username:
        raise IdentityRefused(bootstrap_admin_refusal(identity.username))
    with store.ManagedSessionMaker(read_only=False) as session:
        bound = sql.bound_user(session, identity.username, identity.sub)
    if bound is not None:
        return _bound(bound)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.ManagedSessionMaker(read_only=False) as session:
                outcome = _resolve(session, identity, policy)
        except MlflowException as error:
            # Another worker committed between our reads and writes (a unique constraint), or
            # the database gave up waiting for a lock: read again and decide again.
            if attempt < ATTEMPTS and isinstance(error.__cause__, _LOST_RACE):
                continue
            raise
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is not None:
            return outcome
    raise RuntimeError(
        f"the MLflow user {identity.username!r} kept changing during {ATTEMPTS} attempts"
    )


def _resolve(
    session: Any, identity: PortalIdentity, policy: BindingPolicy
) -> BoundUser | IdentityRefused | UnverifiedAuthSchema | None:
    """One attempt. Refusals are returned, not raised: the session must end without writes,
    and ManagedSessionMaker would wrap anything but an MlflowException. None: read again."""
    sql.take_write_lock(session)
    snapshot = sql.read_snapshot(session, identity.username, identity.sub)
    action = decide(snapshot, identity.username, identity.sub, policy)
    if isinstance(action, Refuse):
        return IdentityRefused(action.reason)
    if isinstance(action, Keep):
        return _bound(action.user)
    if isinstance(action, Adopt):
        sql.bind(session, action.user.id, identity.sub, snapshot.role_id)
        return _bound(action.user, adopted=True)
    if isinstance(action, Rename):
        problem = sql.unverified_schema(session)
        if problem is not None:
            return UnverifiedAuthSchema(
                f"not renaming MLflow user {action.user.username!r} to {identity.username!r}: "
                f"{problem}; nothing was renamed, and the person's requests fail until a release "
                "of mlflow-descope-portal is verified for this schema"
            )
        if not sql.rename_user(session, action.user, identity.username):
            return None
        renamed = UserRow(action.user.id, identity.username, action.user.is_admin)
        return _bound(renamed, renamed_from=action.user.username)
    user = sql.create_user(session, identity.username, identity.admin)
    sql.bind(session, user.id, identity.sub, snapshot.role_id)
    return _bound(user, created=True)


def _bound(user: UserRow, **changes: Any) -> BoundUser:
    return BoundUser(user.id, user.username, user.is_admin, **changes)
