"""The clients `Tasks.shared` hands out: one per distinct configuration, the last few kept.

The class-level entry points (``Task.load(tid, configuration)``, ...) have no
client at hand, so they share one per configuration. Configurations count as
the same when every setting is equal (`configuration_key`), so a program that
builds a ``Configuration(...)`` per call still shares one pool of connections.

No client is ever closed while something may use it, and none outlives its
last user: the registry holds the `KEPT` most recently asked-for clients
strongly and the rest weakly; a client that falls out of the recent ones
stays shared while a `Task` (or the program) still holds it, and is closed
when the last reference goes (a ``weakref.finalize``, which also runs at exit).
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import httpx

from .configuration import Configuration

#: How many of the most recently used shared clients are kept alive while unused.
KEPT = 8

T = TypeVar("T")


def _hashable(value: Any) -> Hashable:
    if isinstance(value, httpx.Timeout):
        return tuple(sorted(value.as_dict().items()))
    if isinstance(value, Mapping):
        return tuple((key, _hashable(item)) for key, item in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    try:
        hash(value)
    except TypeError:
        # Held alive by the configuration its client keeps, so the id is not reused meanwhile.
        return ("id", id(value))
    return value  # type: ignore[no-any-return]


def configuration_key(configuration: Configuration) -> Hashable:
    """Equal for configurations whose every setting is equal (hooks and contexts by identity)."""
    fields = dataclasses.fields(configuration)
    return tuple(_hashable(getattr(configuration, f.name)) for f in fields if f.init)


class SharedClients(Generic[T]):
    """One client per distinct configuration: `KEPT` kept, the others while in use."""

    def __init__(
        self,
        make: Callable[[Configuration], T],
        usable: Callable[[T], bool],
        closer: Callable[[T], Callable[[], None]],
        kept: int = KEPT,
    ) -> None:
        self._make = make
        self._usable = usable
        self._closer = closer
        self._kept_count = kept
        self._alive: weakref.WeakValueDictionary[Hashable, Any] = weakref.WeakValueDictionary()
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, configuration: Configuration) -> T:
        """The client for ``configuration``: the one in use for an equal one, else a new one."""
        key = configuration_key(configuration)
        with self._lock:
            client: T | None = self._alive.get(key)
            if client is None or not self._usable(client):
                client = self._make(configuration)
                self._alive[key] = client
                weakref.finalize(client, self._closer(client))
            self._kept[key] = client
            self._kept.move_to_end(key)
            while len(self._kept) > self._kept_count:
                self._kept.popitem(last=False)  # still shared while in use; closed when unused
        return client

    def __len__(self) -> int:
        """How many shared clients are alive (kept, or still in use)."""
        return len(self._alive)
