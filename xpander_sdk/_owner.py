"""What a `Task` needs of the client that owns it: `TaskOwner`, and the default owner.

A `Task` is data plus methods; each method that needs I/O delegates it to the
owner the task holds, through this small protocol, which `Tasks` implements.
So `task.py` never imports `tasks.py`: imports run one way.

The published SDK's class-level entry points (``Task.load``,
``Task.report_external_task``, ``TasksListItem.load(configuration=...)``) have
no owner at hand; they ask `default_owner` for the one kept per
`Configuration`. `Tasks` registers that factory when ``xpander_sdk`` is
imported (`set_default_owner_factory`); a program may register its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from xpander_api_client.models import ActivityThread

    from .configuration import Configuration
    from .events import TaskUpdateEvent
    from .models import Tokens
    from .task import Task


class TaskOwner(Protocol):
    """The I/O a `Task` delegates: implemented by `Tasks`."""

    @property
    def configuration(self) -> Configuration: ...

    def get(self, task_id: str) -> Task: ...
    async def aget(self, task_id: str) -> Task: ...

    def patch(self, task_id: str, fields: Mapping[str, Any]) -> Task: ...
    async def apatch(self, task_id: str, fields: Mapping[str, Any]) -> Task: ...

    def stop(self, task_id: str) -> Task: ...
    async def astop(self, task_id: str) -> Task: ...

    def iter_events(
        self, task: Task, after: str | int | None = None
    ) -> Iterator[TaskUpdateEvent]: ...
    def aiter_events(
        self, task: Task, after: str | int | None = None
    ) -> AsyncIterator[TaskUpdateEvent]: ...

    def wait_for_completion(
        self, task: Task, timeout: float | None, poll_interval: float
    ) -> Task: ...
    async def await_for_completion(
        self, task: Task, timeout: float | None, poll_interval: float
    ) -> Task: ...

    def report_metrics(self, task: Task) -> None: ...
    async def areport_metrics(self, task: Task) -> None: ...

    def get_activity_log(self, agent_id: str, task_id: str) -> ActivityThread: ...
    async def aget_activity_log(self, agent_id: str, task_id: str) -> ActivityThread: ...

    def report_external_task(
        self,
        agent_id: str,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task: ...

    async def areport_external_task(
        self,
        agent_id: str,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool | None = True,
        result: str | None = None,
        duration: float | None = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task: ...


OwnerFactory = Callable[["Configuration | None"], TaskOwner]

_factory: OwnerFactory | None = None


def set_default_owner_factory(factory: OwnerFactory) -> None:
    """Register what `default_owner` calls (``Tasks.shared`` unless a program says otherwise)."""
    global _factory
    _factory = factory


def default_owner(configuration: Configuration | None) -> TaskOwner:
    """The client kept for ``configuration`` (None: the environment's), made once."""
    if _factory is None:  # only when xpander_sdk.task is loaded without xpander_sdk
        raise RuntimeError("no default client: import xpander_sdk first")
    return _factory(configuration)
