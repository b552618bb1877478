"""The binding's reads and writes, on MLflow's own auth-store models and session.

MLflow's store has no API for a rename, nor for "who holds this role, locked", so these few
statements use ``mlflow.server.auth.db.models`` inside the store's ``ManagedSessionMaker``: the
same engine, the same SQLite pragmas, commit on success and rollback on any error.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from mlflow.server.auth.db.models import SqlRole, SqlUser, SqlUserRoleAssignment
from sqlalchemy import text, update
from werkzeug.security import generate_password_hash

# Not a valid MLflow workspace name (a colon; names are DNS labels), so no workspace by that
# name can exist: see binding.py for why the binding roles live there.
BINDING_WORKSPACE = "descope-portal:bindings"
BINDING_ROLE_PREFIX = "descope-user:"
# Auth-schema revisions (alembic_version_auth) checked by hand: every table that refers to a user
# does so by users.id, so changing users.username renames the person and nothing is left behind
# under the old name. A newer MLflow may add a table that stores names; renames wait for a check.
VERIFIED_SCHEMA_REVISIONS = frozenset({"f1a2b3c4d5e6"})


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    is_admin: bool


@dataclass(frozen=True)
class Snapshot:
    """What the rules in binding.py decide on, read under the write lock."""

    user: UserRow | None  # the MLflow user named as asserted
    user_subs: frozenset[str]  # the Descope users bound to it
    owners: tuple[UserRow, ...]  # the MLflow users bound to the asserted Descope user
    role_id: int | None  # that Descope user's binding role, if it was ever created


def binding_role_name(sub: str) -> str:
    return BINDING_ROLE_PREFIX + sub


def bound_user(session: Any, username: str, sub: str) -> UserRow | None:
    """The user if it and the Descope user are bound to each other and to nothing else.

    Two indexed reads and no lock: the path of every re-sync. Anything else is decided again
    under the write lock (``read_snapshot``).
    """
    rows = (
        session.query(SqlUser.id, SqlUser.username, SqlUser.is_admin, SqlRole.name)
        .join(SqlUserRoleAssignment, SqlUserRoleAssignment.user_id == SqlUser.id)
        .join(SqlRole, SqlRole.id == SqlUserRoleAssignment.role_id)
        .filter(SqlUser.username == username, SqlRole.workspace == BINDING_WORKSPACE)
        .all()
    )
    names = [row.name for row in rows if row.name.startswith(BINDING_ROLE_PREFIX)]
    # Exactly as asserted: a case-insensitive collation may have found another spelling.
    if names != [binding_role_name(sub)] or rows[0].username != username:
        return None
    owner_ids = (
        session.query(SqlUserRoleAssignment.user_id)
        .join(SqlRole, SqlRole.id == SqlUserRoleAssignment.role_id)
        .filter(SqlRole.workspace == BINDING_WORKSPACE, SqlRole.name == binding_role_name(sub))
        .all()
    )
    user_id = rows[0].id
    return UserRow(user_id, username, rows[0].is_admin) if owner_ids == [(user_id,)] else None


def take_write_lock(session: Any) -> None:
    """Makes the reads that follow and the writes they decide one transaction.

    pysqlite defers BEGIN to the first write, so without this SQLite would run each read on its
    own and another worker could commit in between. A write that matches no row takes SQLite's
    write lock (other writers wait, busy_timeout) and changes nothing anywhere. Other databases
    get the same guarantee from the locking reads in ``read_snapshot``.
    """
    session.execute(
        update(SqlUser)
        .where(SqlUser.id.is_(None))
        .values(username=SqlUser.username)
        .execution_options(synchronize_session=False)
    )


def read_snapshot(session: Any, username: str, sub: str) -> Snapshot:
    user = session.query(SqlUser).filter(SqlUser.username == username).with_for_update().first()
    role = (
        session.query(SqlRole)
        .filter(SqlRole.workspace == BINDING_WORKSPACE, SqlRole.name == binding_role_name(sub))
        .with_for_update()
        .first()
    )
    owners = (
        ()
        if role is None
        else tuple(
            _row(owner)
            for owner in session.query(SqlUser)
            .join(SqlUserRoleAssignment, SqlUserRoleAssignment.user_id == SqlUser.id)
            .filter(SqlUserRoleAssignment.role_id == role.id)
            .order_by(SqlUser.id)
            .with_for_update()
            .all()
        )
    )
    return Snapshot(
        user=None if user is None else _row(user),
        user_subs=frozenset() if user is None else _subs_of(session, user.id),
        owners=owners,
        role_id=None if role is None else role.id,
    )


def unverified_schema(session: Any) -> str | None:
    """Why a rename is not known to be safe on this database, or None."""
    columns = set(SqlUser.__table__.columns.keys())
    if SqlUser.__tablename__ != "users" or not {"id", "username"} <= columns:
        return f"MLflow's SqlUser model is not users(id, username) but {SqlUser.__tablename__}"
    revisions = set(
        session.execute(text("SELECT version_num FROM alembic_version_auth")).scalars().all()
    )
    if not revisions or not revisions <= VERIFIED_SCHEMA_REVISIONS:
        return (
            f"MLflow's auth schema is at revision {sorted(revisions)}, renames are verified "
            f"for {sorted(VERIFIED_SCHEMA_REVISIONS)} only"
        )
    return None


def rename_user(session: Any, user: UserRow, username: str) -> bool:
    """False if the user is no longer named as read (another worker renamed it first)."""
    renamed = session.execute(
        update(SqlUser)
        .where(SqlUser.id == user.id, SqlUser.username == user.username)
        .values(username=username)
        .execution_options(synchronize_session=False)
    )
    return bool(renamed.rowcount == 1)


def create_user(session: Any, username: str, is_admin: bool) -> UserRow:
    # The same werkzeug hash MLflow's create_user stores, of 48 random bytes nobody ever sees:
    # Basic logins are replaced by the assertion. The claims already meet MLflow's username rules
    # (identity.py: non-empty, at most 255 characters, no control characters).
    password_hash = generate_password_hash(secrets.token_urlsafe(48))
    user = SqlUser(username=username, password_hash=password_hash, is_admin=is_admin)
    session.add(user)
    session.flush()
    return _row(user)


def bind(session: Any, user_id: int, sub: str, role_id: int | None) -> None:
    if role_id is None:
        role = SqlRole(
            name=binding_role_name(sub),
            workspace=BINDING_WORKSPACE,
            description="MLflow Descope Portal: the Descope user this MLflow user belongs to. "
            "Grants nothing.",
        )
        session.add(role)
        session.flush()
        role_id = int(role.id)
    session.add(SqlUserRoleAssignment(user_id=user_id, role_id=role_id))
    session.flush()


def _subs_of(session: Any, user_id: int) -> frozenset[str]:
    names = (
        session.query(SqlRole.name)
        .join(SqlUserRoleAssignment, SqlUserRoleAssignment.role_id == SqlRole.id)
        .filter(SqlUserRoleAssignment.user_id == user_id, SqlRole.workspace == BINDING_WORKSPACE)
        .with_for_update()
        .all()
    )
    return frozenset(
        name[len(BINDING_ROLE_PREFIX) :]
        for (name,) in names
        if name.startswith(BINDING_ROLE_PREFIX)
    )


def _row(user: Any) -> UserRow:
    return UserRow(user.id, user.username, bool(user.is_admin))
