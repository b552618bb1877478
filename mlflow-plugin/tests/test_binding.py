"""Each MLflow user belongs to one Descope user: the rules, on MLflow's real auth store, and what
they refuse with."""

from __future__ import annotations

import itertools

import pytest
from binding_helpers import ADOPT, WORKSPACE, bindings, sync, usernames
from mlflow.exceptions import MlflowException
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
from mlflow.store.workspace.abstract_store import WorkspaceNameValidator
from mlflow.utils.validation import MAX_ROLE_NAME_LENGTH

from mlflow_descope_portal import binding_sql
from mlflow_descope_portal.binding import IdentityRefused, UnverifiedAuthSchema
from mlflow_descope_portal.binding_rules import (
    Adopt,
    BindingPolicy,
    Create,
    Keep,
    Refuse,
    Rename,
    decide,
)
from mlflow_descope_portal.binding_sql import BINDING_WORKSPACE, Snapshot, UserRow
from mlflow_descope_portal.identity import MAX_SUB_LENGTH

NO_ADOPTION = BindingPolicy(adopt_existing_users=False, admin_username="mlflow-bootstrap-admin")
OTHER_OWNER = (
    "the MLflow user {} belongs to another Descope user; an MLflow admin must rename or remove it"
)
BOOTSTRAP = (
    "the MLflow user mlflow-bootstrap-admin is MLflow's bootstrap admin (admin_username), which "
    "no portal user can become; the portal must assert another username"
)


def refusal(store: SqlAlchemyStore, username: str, sub: str, **options: object) -> str:
    with pytest.raises(IdentityRefused) as caught:
        sync(store, username, sub, **options)  # type: ignore[arg-type]
    return caught.value.reason


# --- The rules, as a table -------------------------------------------------------------------

U = UserRow(1, "new@example.com", False)
U1 = UserRow(2, "old@example.com", False)
ADMIN = UserRow(3, "mlflow-bootstrap-admin", True)


def snapshot(
    user: UserRow | None = None, subs: tuple[str, ...] = (), owners: tuple[UserRow, ...] = ()
) -> Snapshot:
    return Snapshot(user, frozenset(subs), owners, None)


@pytest.mark.parametrize(
    ("state", "policy", "action"),
    [
        (snapshot(U, ("S",), (U,)), ADOPT, Keep(U)),
        (snapshot(U, ("S",), (U,)), NO_ADOPTION, Keep(U)),
        (snapshot(U), ADOPT, Adopt(U)),
        (snapshot(None, (), (U1,)), ADOPT, Rename(U1)),
        (snapshot(None, (), (U1,)), NO_ADOPTION, Rename(U1)),
        (snapshot(None), ADOPT, Create()),
        (snapshot(None), NO_ADOPTION, Create()),
    ],
)
def test_the_rules_that_let_the_person_in(
    state: Snapshot, policy: BindingPolicy, action: object
) -> None:
    assert decide(state, "new@example.com", "S", policy) == action


@pytest.mark.parametrize(
    ("subs", "owners", "adopt"),
    list(itertools.product([("S2",), ("S", "S2")], [(), (U,), (U1,)], [True, False])),
)
def test_a_user_bound_to_another_descope_user_is_refused_whatever_else_holds(
    subs: tuple[str, ...], owners: tuple[UserRow, ...], adopt: bool
) -> None:
    policy = BindingPolicy(adopt_existing_users=adopt)
    action = decide(snapshot(U, subs, owners), "new@example.com", "S", policy)
    assert action == Refuse(OTHER_OWNER.format("new@example.com"))


@pytest.mark.parametrize(
    "state",
    [snapshot(ADMIN), snapshot(ADMIN, ("S",), (ADMIN,)), snapshot(ADMIN, ("S2",)), snapshot(None)],
)
@pytest.mark.parametrize("policy", [ADOPT, NO_ADOPTION])
def test_the_bootstrap_admin_is_refused_in_every_state(
    state: Snapshot, policy: BindingPolicy
) -> None:
    assert decide(state, "mlflow-bootstrap-admin", "S", policy) == Refuse(BOOTSTRAP)


@pytest.mark.parametrize("subs", [(), ("S",)])
def test_the_bootstrap_admin_found_under_another_spelling_is_refused(subs: tuple[str, ...]) -> None:
    # What a case-insensitive collation (MySQL's default) returns for this username.
    state = snapshot(ADMIN, subs, (ADMIN,) if subs else ())
    assert decide(state, "MLflow-Bootstrap-Admin", "S", ADOPT) == Refuse(BOOTSTRAP)


@pytest.mark.parametrize("user", [None, U])
def test_a_descope_user_bound_to_several_mlflow_users_is_refused(user: UserRow | None) -> None:
    action = decide(snapshot(user, (), (U1, ADMIN)), "new@example.com", "S", ADOPT)
    assert isinstance(action, Refuse)
    assert "bound to more than one MLflow user" in action.reason


# --- Each rule on the real store ------------------------------------------------------------


def test_a_new_user_is_created_and_bound(auth_store: SqlAlchemyStore) -> None:
    result = sync(auth_store, "alice@example.com", "S-alice")
    assert (result.created, result.adopted, result.renamed_from) == (True, False, None)
    assert bindings(auth_store) == {"descope-user:S-alice": ["alice@example.com"]}
    again = sync(auth_store, "alice@example.com", "S-alice")
    assert not again.changed
    assert auth_store.get_user("alice@example.com").id == auth_store.list_users()[0].id


def test_a_binding_role_grants_nothing_and_is_no_membership_of_a_real_workspace(
    auth_store: SqlAlchemyStore,
) -> None:
    sync(auth_store, "alice@example.com", "S-alice")
    user = auth_store.get_user("alice@example.com")
    [role] = auth_store.list_user_roles(user.id)
    assert (role.name, role.workspace, role.permissions) == (
        "descope-user:S-alice",
        BINDING_WORKSPACE,
        [],
    )
    assert not auth_store.user_has_any_role_in_workspace(user.id, WORKSPACE)
    assert auth_store.list_accessible_workspace_names("alice@example.com") == {BINDING_WORKSPACE}
    assert auth_store.list_grants(user.id, WORKSPACE, {"experiment"}) == []
    assert auth_store.list_role_grants_for_user_in_workspace(user.id, WORKSPACE, "experiment") == []
    assert not auth_store.list_workspace_admin_workspaces(user.id)
    # No workspace of that name can ever be created, so it never becomes a real membership.
    with pytest.raises(MlflowException, match="must match the pattern"):
        WorkspaceNameValidator.validate(BINDING_WORKSPACE)


def test_the_longest_sub_still_names_a_valid_role(auth_store: SqlAlchemyStore) -> None:
    sub = "S" * MAX_SUB_LENGTH
    assert len(binding_sql.binding_role_name(sub)) == MAX_ROLE_NAME_LENGTH
    sync(auth_store, "long@example.com", sub)
    assert bindings(auth_store) == {f"descope-user:{sub}": ["long@example.com"]}


def test_a_changed_login_id_renames_the_user_and_its_grants_follow(
    auth_store: SqlAlchemyStore,
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    before = auth_store.get_user("old@example.com")
    editors = auth_store.create_role("mlflow-editor", WORKSPACE)
    auth_store.assign_role_to_user(before.id, editors.id)
    auth_store.grant_user_resource_permission("old@example.com", "experiment", "7", "READ")

    result = sync(auth_store, "new@example.com", "S-person", roles=["mlflow-editor"])
    assert result.renamed_from == "old@example.com"
    assert not result.created and not result.assigned
    after = auth_store.get_user("new@example.com")
    assert (after.id, after.password_hash) == (before.id, before.password_hash)
    assert "old@example.com" not in usernames(auth_store)
    [grant] = auth_store.list_experiment_permissions("new@example.com")
    assert (grant.experiment_id, grant.permission) == ("7", "READ")
    assert auth_store.get_experiment_permission("7", "new@example.com").permission == "READ"
    assert {role.name for role in auth_store.list_user_roles(after.id)} == {
        "mlflow-editor",
        f"__user_{after.id}__",
        "descope-user:S-person",
    }
    assert bindings(auth_store) == {"descope-user:S-person": ["new@example.com"]}


def test_a_stranger_who_gets_the_old_name_later_starts_from_nothing(
    auth_store: SqlAlchemyStore,
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    auth_store.grant_user_resource_permission("old@example.com", "experiment", "7", "READ")
    # Before the person logs in again, the old name is still theirs: nothing moves.
    assert refusal(auth_store, "old@example.com", "S-stranger") == OTHER_OWNER.format(
        "old@example.com"
    )
    assert bindings(auth_store) == {"descope-user:S-person": ["old@example.com"]}

    sync(auth_store, "new@example.com", "S-person")
    stranger = sync(auth_store, "old@example.com", "S-stranger")
    assert stranger.created
    assert auth_store.list_experiment_permissions("old@example.com") == []
    assert auth_store.get_user("old@example.com").id != auth_store.get_user("new@example.com").id
    assert bindings(auth_store) == {
        "descope-user:S-person": ["new@example.com"],
        "descope-user:S-stranger": ["old@example.com"],
    }


@pytest.mark.parametrize("policy", [ADOPT, NO_ADOPTION])
def test_another_descope_user_is_refused_and_nothing_moves(
    auth_store: SqlAlchemyStore, policy: BindingPolicy
) -> None:
    sync(auth_store, "alice@example.com", "S-alice", admin=True)
    assert refusal(auth_store, "alice@example.com", "S-mallory", policy=policy) == (
        OTHER_OWNER.format("alice@example.com")
    )
    assert bindings(auth_store) == {"descope-user:S-alice": ["alice@example.com"]}
    assert auth_store.get_user("alice@example.com").is_admin is True


def test_a_user_made_before_the_portal_is_adopted(auth_store: SqlAlchemyStore) -> None:
    auth_store.create_user("legacy@example.com", "legacy-password-123")
    auth_store.grant_user_resource_permission("legacy@example.com", "experiment", "7", "EDIT")
    result = sync(auth_store, "legacy@example.com", "S-legacy")
    assert (result.adopted, result.created) == (True, False)
    assert bindings(auth_store) == {"descope-user:S-legacy": ["legacy@example.com"]}
    assert auth_store.get_experiment_permission("7", "legacy@example.com").permission == "EDIT"
    assert auth_store.authenticate_user("legacy@example.com", "legacy-password-123")
    # Adopted once, it belongs to that Descope user like any other.
    assert refusal(auth_store, "legacy@example.com", "S-other") == OTHER_OWNER.format(
        "legacy@example.com"
    )


def test_without_adoption_a_user_made_before_the_portal_is_refused(
    auth_store: SqlAlchemyStore,
) -> None:
    auth_store.create_user("legacy@example.com", "legacy-password-123")
    assert refusal(auth_store, "legacy@example.com", "S-legacy", policy=NO_ADOPTION) == (
        "the MLflow user legacy@example.com already exists and belongs to no Descope user, and "
        "adopt_existing_users is off; an MLflow admin must rename or remove it"
    )
    assert bindings(auth_store) == {}
    # New users are still created and bound.
    assert sync(auth_store, "fresh@example.com", "S-fresh", policy=NO_ADOPTION).created


@pytest.mark.parametrize("policy", [ADOPT, NO_ADOPTION])
def test_the_bootstrap_admin_is_refused_without_a_query(
    counting_store: SqlAlchemyStore, policy: BindingPolicy
) -> None:
    counting_store.create_user("mlflow-bootstrap-admin", "bootstrap-password-123", is_admin=True)
    counting_store.calls.clear()  # type: ignore[attr-defined]
    assert refusal(counting_store, "mlflow-bootstrap-admin", "S", policy=policy) == BOOTSTRAP
    assert counting_store.calls == []  # type: ignore[attr-defined]
    assert bindings(counting_store) == {}


def test_an_existing_user_is_not_adopted_by_someone_bound_elsewhere(
    auth_store: SqlAlchemyStore,
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    auth_store.create_user("new@example.com", "made-by-hand-123")
    assert refusal(auth_store, "new@example.com", "S-person") == (
        "the MLflow user new@example.com already exists, and this Descope user is the MLflow "
        "user old@example.com; an MLflow admin must remove one of the two"
    )
    assert bindings(auth_store) == {"descope-user:S-person": ["old@example.com"]}


def test_hand_made_bindings_that_break_the_rules_are_refused(auth_store: SqlAlchemyStore) -> None:
    sync(auth_store, "one@example.com", "S-person")
    two = auth_store.create_user("two@example.com", "made-by-hand-123")
    role = auth_store.get_role_by_name(BINDING_WORKSPACE, "descope-user:S-person")
    auth_store.assign_role_to_user(two.id, role.id)
    for username in ("one@example.com", "two@example.com", "three@example.com"):
        assert "bound to more than one MLflow user" in refusal(auth_store, username, "S-person")

    admin = auth_store.create_user("mlflow-bootstrap-admin", "bootstrap-password-123", True)
    bound_admin = auth_store.create_role("descope-user:S-admin", BINDING_WORKSPACE)
    auth_store.assign_role_to_user(admin.id, bound_admin.id)
    assert "never renamed" in refusal(auth_store, "someone@example.com", "S-admin")
    assert "mlflow-bootstrap-admin" in usernames(auth_store)


def test_a_binding_made_by_hand_is_honoured(auth_store: SqlAlchemyStore) -> None:
    # An MLflow admin may bind a user before the person's first login (roles/create, roles/assign).
    user = auth_store.create_user("chosen-name", "made-by-hand-123")
    role = auth_store.create_role("descope-user:S-person", BINDING_WORKSPACE)
    auth_store.assign_role_to_user(user.id, role.id)
    assert sync(auth_store, "person@example.com", "S-person").renamed_from == "chosen-name"


def test_a_deleted_user_leaves_its_descope_user_free(auth_store: SqlAlchemyStore) -> None:
    sync(auth_store, "alice@example.com", "S-alice")
    auth_store.delete_user("alice@example.com")
    assert bindings(auth_store) == {"descope-user:S-alice": []}
    assert sync(auth_store, "alice@example.com", "S-alice").created
    assert bindings(auth_store) == {"descope-user:S-alice": ["alice@example.com"]}


# --- Failing closed --------------------------------------------------------------------------


def test_an_unverified_schema_renames_nothing(
    auth_store: SqlAlchemyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    monkeypatch.setattr(binding_sql, "VERIFIED_SCHEMA_REVISIONS", frozenset({"0123456789ab"}))
    with pytest.raises(
        UnverifiedAuthSchema, match=r"auth schema is at revision \['f1a2b3c4d5e6'\]"
    ):
        sync(auth_store, "new@example.com", "S-person")
    assert "new@example.com" not in usernames(auth_store)
    assert bindings(auth_store) == {"descope-user:S-person": ["old@example.com"]}


def test_the_head_revision_of_this_mlflow_is_the_verified_one(auth_store: SqlAlchemyStore) -> None:
    from alembic.script import ScriptDirectory
    from mlflow.server.auth.db.utils import _get_alembic_config

    head = ScriptDirectory.from_config(_get_alembic_config(auth_store.db_uri)).get_current_head()
    assert {head} == binding_sql.VERIFIED_SCHEMA_REVISIONS


def test_a_rename_that_fails_midway_leaves_the_old_name(
    auth_store: SqlAlchemyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    rename = binding_sql.rename_user

    def rename_then_fail(session: object, user: UserRow, username: str) -> bool:
        assert rename(session, user, username)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(binding_sql, "rename_user", rename_then_fail)
    with pytest.raises(MlflowException, match="the database went away"):
        sync(auth_store, "new@example.com", "S-person")
    assert usernames(auth_store) == {"old@example.com"}
