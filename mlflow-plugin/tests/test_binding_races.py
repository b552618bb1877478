"""Two workers syncing at once end in one consistent state: every MLflow user bound to at most
one Descope user, every Descope user to at most one MLflow user, and nobody's grants moved to
someone else."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from binding_helpers import bindings, sync, usernames
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore

from mlflow_descope_portal import binding_sql
from mlflow_descope_portal.binding import IdentityRefused
from mlflow_descope_portal.sync import SyncResult

WORKERS = 4


@pytest.fixture
def worker_stores(auth_store: SqlAlchemyStore) -> Iterator[list[SqlAlchemyStore]]:
    """One store per worker process: own engine, own connections, one database file."""
    stores = []
    for _ in range(WORKERS):
        store = SqlAlchemyStore()
        store.init_db(auth_store.db_uri)  # type: ignore[no-untyped-call]
        stores.append(store)
    yield stores
    for store in stores:
        store.engine.dispose()


def at_once(*syncs: Callable[[], SyncResult]) -> list[SyncResult | IdentityRefused]:
    start = threading.Barrier(len(syncs))
    outcomes: list[SyncResult | IdentityRefused] = [None] * len(syncs)  # type: ignore[list-item]
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], SyncResult]) -> None:
        start.wait()
        try:
            outcomes[index] = action()
        except IdentityRefused as refused:
            outcomes[index] = refused
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(syncs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_first_logins_of_one_person_on_every_worker_create_one_user(
    worker_stores: list[SqlAlchemyStore], round_: int
) -> None:
    name = f"alice-{round_}@example.com"
    outcomes = at_once(*(lambda s=store: sync(s, name, "S-alice") for store in worker_stores))
    assert sum(isinstance(o, SyncResult) and o.created for o in outcomes) == 1
    assert all(isinstance(o, SyncResult) for o in outcomes)
    assert bindings(worker_stores[0]) == {"descope-user:S-alice": [name]}


@pytest.mark.parametrize("round_", range(3))
def test_two_people_claiming_one_new_name_get_one_user_and_one_refusal(
    worker_stores: list[SqlAlchemyStore], round_: int
) -> None:
    name = f"shared-{round_}@example.com"
    first, second = at_once(
        lambda: sync(worker_stores[0], name, "S-one"), lambda: sync(worker_stores[1], name, "S-two")
    )
    assert sorted(type(o).__name__ for o in (first, second)) == ["IdentityRefused", "SyncResult"]
    [(role, holders)] = bindings(worker_stores[0]).items()
    assert holders == [name] and role in {"descope-user:S-one", "descope-user:S-two"}


@pytest.mark.parametrize("round_", range(3))
def test_two_people_adopting_one_old_user_bind_it_once(
    worker_stores: list[SqlAlchemyStore], round_: int
) -> None:
    name = f"legacy-{round_}@example.com"
    worker_stores[0].create_user(name, "legacy-password-123")
    outcomes = at_once(
        *(lambda s=store, i=i: sync(s, name, f"S-{i}") for i, store in enumerate(worker_stores))
    )
    assert sum(isinstance(o, SyncResult) and o.adopted for o in outcomes) == 1
    assert sum(isinstance(o, IdentityRefused) for o in outcomes) == WORKERS - 1
    assert [holders for holders in bindings(worker_stores[0]).values()] == [[name]]


@pytest.mark.parametrize("round_", range(3))
def test_a_rename_seen_by_every_worker_happens_once(
    worker_stores: list[SqlAlchemyStore], round_: int
) -> None:
    old, new = f"old-{round_}@example.com", f"new-{round_}@example.com"
    sync(worker_stores[0], old, "S-person")
    user_id = worker_stores[0].get_user(old).id
    outcomes = at_once(*(lambda s=store: sync(s, new, "S-person") for store in worker_stores))
    assert [o.renamed_from for o in outcomes if isinstance(o, SyncResult)].count(old) == 1
    assert all(isinstance(o, SyncResult) for o in outcomes)
    assert worker_stores[0].get_user(new).id == user_id
    assert usernames(worker_stores[0]) == {new}


# Under SQLite's write lock a worker cannot read a state that another commits over before it
# writes. Read-committed databases (PostgreSQL, MySQL) can show it a state that has just changed
# (a row that did not exist yet); these tests hand the worker exactly that stale picture.


class StaleFirstRead:
    """Hands one store's next sync, on its first attempt, the state as it is read now.

    Only sessions on that store's engine are fooled: the other worker reads what is committed.
    ``reads`` counts that store's locked reads, so a test can see the sync read again.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.reads = 0

    def arrange(self, store: SqlAlchemyStore, username: str, sub: str) -> None:
        with store.ManagedSessionMaker(read_only=False) as session:
            stale = binding_sql.read_snapshot(session, username, sub)
        real_read, real_bound = binding_sql.read_snapshot, binding_sql.bound_user

        def fooled(session: Any) -> bool:
            return bool(session.get_bind() is store.engine)

        def read_snapshot(session: Any, username: str, sub: str) -> binding_sql.Snapshot:
            if not fooled(session):
                return real_read(session, username, sub)
            self.reads += 1
            return stale if self.reads == 1 else real_read(session, username, sub)

        def bound_user(session: Any, username: str, sub: str) -> Any:
            if fooled(session) and self.reads == 0:
                return None  # it read before the other worker's commit, too
            return real_bound(session, username, sub)

        self._monkeypatch.setattr(binding_sql, "read_snapshot", read_snapshot)
        self._monkeypatch.setattr(binding_sql, "bound_user", bound_user)


@pytest.fixture
def stale_first_read(monkeypatch: pytest.MonkeyPatch) -> StaleFirstRead:
    return StaleFirstRead(monkeypatch)


def test_a_create_that_loses_to_another_worker_uses_its_user(
    auth_store: SqlAlchemyStore,
    other_worker_store: SqlAlchemyStore,
    stale_first_read: StaleFirstRead,
) -> None:
    stale_first_read.arrange(auth_store, "alice@example.com", "S-alice")
    assert sync(other_worker_store, "alice@example.com", "S-alice").created
    result = sync(auth_store, "alice@example.com", "S-alice")
    assert not result.created
    assert stale_first_read.reads == 2
    assert bindings(auth_store) == {"descope-user:S-alice": ["alice@example.com"]}


def test_a_create_that_loses_to_another_person_is_refused(
    auth_store: SqlAlchemyStore,
    other_worker_store: SqlAlchemyStore,
    stale_first_read: StaleFirstRead,
) -> None:
    stale_first_read.arrange(auth_store, "shared@example.com", "S-two")
    sync(other_worker_store, "shared@example.com", "S-one")
    with pytest.raises(IdentityRefused, match="belongs to another Descope user"):
        sync(auth_store, "shared@example.com", "S-two")
    assert stale_first_read.reads == 2
    assert bindings(auth_store) == {"descope-user:S-one": ["shared@example.com"]}


def test_a_rename_that_loses_to_another_worker_does_not_rename_again(
    auth_store: SqlAlchemyStore,
    other_worker_store: SqlAlchemyStore,
    stale_first_read: StaleFirstRead,
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    stale_first_read.arrange(auth_store, "new@example.com", "S-person")
    assert sync(other_worker_store, "new@example.com", "S-person").renamed_from
    result = sync(auth_store, "new@example.com", "S-person")
    assert result.renamed_from is None
    assert stale_first_read.reads == 2
    assert usernames(auth_store) == {"new@example.com"}


def test_a_rename_onto_a_name_another_person_just_took_is_refused(
    auth_store: SqlAlchemyStore,
    other_worker_store: SqlAlchemyStore,
    stale_first_read: StaleFirstRead,
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    stale_first_read.arrange(auth_store, "new@example.com", "S-person")
    sync(other_worker_store, "new@example.com", "S-stranger")
    with pytest.raises(IdentityRefused, match="belongs to another Descope user"):
        sync(auth_store, "new@example.com", "S-person")
    assert stale_first_read.reads == 2
    assert bindings(auth_store) == {
        "descope-user:S-person": ["old@example.com"],
        "descope-user:S-stranger": ["new@example.com"],
    }


def test_a_race_that_never_settles_fails_closed(
    auth_store: SqlAlchemyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(auth_store, "old@example.com", "S-person")
    monkeypatch.setattr(binding_sql, "rename_user", lambda session, user, username: False)
    with pytest.raises(RuntimeError, match="kept changing during 3 attempts"):
        sync(auth_store, "new@example.com", "S-person")
    assert usernames(auth_store) == {"old@example.com"}
