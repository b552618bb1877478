"""What this worker process last synced for each MLflow user, and when.

An unchanged assertion needs no sync: the steady state costs a dictionary lookup, no query and
no write. One entry per username, holding the last synced identity: any change (a role, the admin
flag, the workspace) differs from it and syncs at once, and a change back (a role removed, then
granted again) differs from the entry too. Keying by the whole identity instead would let an old
entry vouch for a state that a later sync has overwritten.

Entries expire after ``ttl_seconds``. That bounds what no single worker can see: a change made
behind the plugin's back (a managed role assigned inside MLflow, the user deleted by an admin),
and, with several workers, an identity that flips back to one another worker synced moments ago
while this worker had the newer state. After the TTL the next request re-syncs.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEFAULT_TTL_SECONDS = 60.0
DEFAULT_MAX_ENTRIES = 4096


class SyncMemo:
    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[str, tuple[Hashable, float]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl_seconds = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()

    def is_fresh(self, username: str, sync_key: Hashable) -> bool:
        with self._lock:
            entry = self._entries.get(username)
            if entry is None:
                return False
            synced_key, synced_at = entry
            if synced_key != sync_key or self._clock() - synced_at >= self._ttl_seconds:
                return False
            self._entries.move_to_end(username)
            return True

    def remember(self, username: str, sync_key: Hashable) -> None:
        with self._lock:
            self._entries[username] = (sync_key, self._clock())
            self._entries.move_to_end(username)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def forget(self, username: str) -> None:
        with self._lock:
            self._entries.pop(username, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
