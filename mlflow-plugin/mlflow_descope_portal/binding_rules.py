"""Which MLflow user an asserted identity gets, decided on what the store holds (binding.py).

For the asserted username U and sub S:

* U is MLflow's bootstrap admin (``admin_username``): refused.
* U exists, bound to S: used.
* U exists, bound to another Descope user: refused; nothing moves.
* U exists, bound to nobody (made before the portal): adopted, bound to S; refused when
  ``adopt_existing_users`` is off, or when S is already bound to another MLflow user.
* U does not exist, S is bound to U1: the person's login id changed. U1 is renamed to U: the same
  user id, so its roles and per-user grants follow the person, and a stranger who later gets
  the old name starts from nothing.
* U does not exist, S is bound to nobody: U is created and bound to S.
* S bound to several users: refused (only a hand-made binding can do that).

Refusals name what an MLflow admin must do; they are a 403, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from .binding_sql import Snapshot, UserRow, binding_role_name


@dataclass(frozen=True)
class BindingPolicy:
    adopt_existing_users: bool = True
    admin_username: str | None = None


@dataclass(frozen=True)
class Keep:
    user: UserRow


@dataclass(frozen=True)
class Adopt:
    user: UserRow


@dataclass(frozen=True)
class Rename:
    user: UserRow


@dataclass(frozen=True)
class Create:
    pass


@dataclass(frozen=True)
class Refuse:
    reason: str


Action = Keep | Adopt | Rename | Create | Refuse


def bootstrap_admin_refusal(username: str) -> str:
    return (
        f"the MLflow user {username} is MLflow's bootstrap admin (admin_username), which no "
        "portal user can become; the portal must assert another username"
    )


def decide(snapshot: Snapshot, username: str, sub: str, policy: BindingPolicy) -> Action:
    # The stored name too: a case-insensitive collation (MySQL's default) finds the bootstrap
    # admin's row for a username that differs from admin_username only in case.
    stored = None if snapshot.user is None else snapshot.user.username
    if policy.admin_username is not None and policy.admin_username in (username, stored):
        return Refuse(bootstrap_admin_refusal(policy.admin_username))
    if len(snapshot.owners) > 1:
        return Refuse(
            "this Descope user is bound to more than one MLflow user; an MLflow admin must "
            f"unassign all but one of them from the role {binding_role_name(sub)}"
        )
    owner = snapshot.owners[0] if snapshot.owners else None
    if snapshot.user is not None:
        if snapshot.user_subs - {sub}:
            return Refuse(
                f"the MLflow user {username} belongs to another Descope user; an MLflow admin "
                "must rename or remove it"
            )
        if sub in snapshot.user_subs:
            return Keep(snapshot.user)
        if owner is not None:
            return Refuse(
                f"the MLflow user {username} already exists, and this Descope user is the "
                f"MLflow user {owner.username}; an MLflow admin must remove one of the two"
            )
        if not policy.adopt_existing_users:
            return Refuse(
                f"the MLflow user {username} already exists and belongs to no Descope user, and "
                "adopt_existing_users is off; an MLflow admin must rename or remove it"
            )
        return Adopt(snapshot.user)
    if owner is None:
        return Create()
    if owner.username == policy.admin_username:
        return Refuse(
            "this Descope user is bound to MLflow's bootstrap admin, which is never renamed; an "
            f"MLflow admin must unassign the role {binding_role_name(sub)} from it"
        )
    return Rename(owner)
