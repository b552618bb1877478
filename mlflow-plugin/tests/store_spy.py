"""A spy on MLflow's auth store: which calls a sync makes, and that a memoised one makes none."""

from __future__ import annotations

from typing import Any

from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore


class CountingStore:
    """Passes every call through to the real store and records its name."""

    def __init__(self, store: SqlAlchemyStore) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute

        def record(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return record
