from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore
from store_spy import CountingStore


@pytest.fixture(scope="session")
def migrated_auth_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Migrating a fresh auth database takes about half a second; copying a migrated one, none.
    path = tmp_path_factory.mktemp("auth-template") / "auth.db"
    store = SqlAlchemyStore()
    store.init_db(f"sqlite:///{path}")  # type: ignore[no-untyped-call]
    store.engine.dispose()
    return path


@pytest.fixture
def auth_store(migrated_auth_db: Path, tmp_path: Path) -> Iterator[SqlAlchemyStore]:
    """MLflow's real auth store on a private SQLite database."""
    path = tmp_path / "auth.db"
    shutil.copy(migrated_auth_db, path)
    store = SqlAlchemyStore()
    store.init_db(f"sqlite:///{path}")  # type: ignore[no-untyped-call]
    yield store
    store.engine.dispose()


@pytest.fixture
def other_worker_store(auth_store: SqlAlchemyStore) -> Iterator[SqlAlchemyStore]:
    """A second store (its own engine and connections) on the same database: another worker."""
    store = SqlAlchemyStore()
    store.init_db(auth_store.db_uri)  # type: ignore[no-untyped-call]
    yield store
    store.engine.dispose()


@pytest.fixture
def counting_store(auth_store: SqlAlchemyStore) -> CountingStore:
    return CountingStore(auth_store)
