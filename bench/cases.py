"""The contenders of each case: the SDK, the generated client, plain httpx.

Every measurement builds its client, warms it up (and checks the answer is
right), then times a fixed number of operations and returns operations per
second. Building the client is not timed: all three pool their connections,
so a long-lived client is the fair comparison. The plain httpx contenders do
the honest minimum a caller would: send, ``raise_for_status``, parse JSON.
"""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

import httpx
from httpx_sse import aconnect_sse
from xpander_api_client import AuthenticatedClient
from xpander_api_client.api.tasks import create_task, get_task
from xpander_api_client.models import Task, TaskCreate

from bench import payloads

Kind = Literal["sdk", "generated", "httpx", "reference"]
HEADERS = {"x-api-key": payloads.API_KEY}
TASK_ID = "task-1"
WARMUP = 50


@dataclass(frozen=True)
class Sizes:
    """How much work one measurement does."""

    lookups: int = 1_000
    fanout: int = 1_000
    fanout_batches: int = 2
    creates: int = 1_000
    events: int = 100_000
    memory_events: tuple[int, ...] = (10_000, 100_000)
    streams: tuple[int, ...] = (10, 100, 1_000)


@dataclass(frozen=True)
class Contender:
    label: str
    kind: Kind
    measure: Callable[[], float]
    """One timed run; answers operations per second."""
    target: float | None = None
    """This SDK contender's least acceptable ratio to plain httpx, when not the case's."""


@dataclass
class Case:
    key: str
    title: str
    unit: str
    target: float | None
    """The least acceptable ratio of the SDK's rate to plain httpx's (a contender's own wins)."""
    contenders: list[Contender] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# The facade ---------------------------------------------------------------


def load_facade() -> tuple[ModuleType | None, str]:
    """The ``xpander_sdk`` module, or None and why it cannot be benchmarked."""
    try:
        import xpander_sdk
    except Exception as error:
        return None, f"import xpander_sdk failed: {error!r}"
    missing = [
        name
        for name in ("Tasks", "Configuration", "User", "OutputFormat", "ThinkMode")
        if not hasattr(xpander_sdk, name)
    ]
    if missing:
        return None, f"xpander_sdk lacks {', '.join(missing)}"
    return xpander_sdk, ""


def _sdk_tasks(sdk: ModuleType, base_url: str, backend: str = "httpx") -> Any:
    configuration = sdk.Configuration(
        api_key=payloads.API_KEY,
        base_url=base_url,
        organization_id=payloads.ORG_ID,
        http_backend=backend,
    )
    return sdk.Tasks(configuration=configuration)


def _sdk_create_kwargs(sdk: ModuleType) -> dict[str, Any]:
    body = payloads.create_body()
    return {
        "agent_id": payloads.AGENT_ID,
        "prompt": payloads.PROMPT,
        "file_urls": list(payloads.FILE_URLS),
        "user_details": sdk.User(**body["input"]["user"]),
        "agent_version": "2",
        "tool_call_payload_extension": body["payload_extension"],
        "source": body["source"],
        "worker_id": body["worker_id"],
        "run_locally": body["run_locally"],
        "output_format": sdk.OutputFormat.Json,
        "output_schema": body["output_schema"],
        "events_streaming": body["events_streaming"],
        "additional_context": body["additional_context"],
        "instructions_override": body["instructions_override"],
        "test_run_node_id": None,
        "user_oidc_token": body["user_oidc_token"],
        "expected_output": body["expected_output"],
        "mcp_servers": body["mcp_servers"],
        "triggering_agent_id": body["triggering_agent_id"],
        "title": body["title"],
        "think_mode": sdk.ThinkMode.Harder,
        "disable_attachment_injection": body["disable_attachment_injection"],
        "return_metrics": body["return_metrics"],
        "user_tokens": body["user_tokens"],
    }


# Helpers ------------------------------------------------------------------


def _check_id(task: Any, expected: str) -> None:
    task_id = getattr(task, "id", None)
    if task_id is None and isinstance(task, dict):
        task_id = task.get("id")
    if task_id != expected:
        raise AssertionError(f"expected task {expected!r}, got {task!r:.200}")


def _time_sync(n: int, call: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(n):
        call()
    return n / (time.perf_counter() - start)


async def _time_async(n: int, call: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await call()
    return n / (time.perf_counter() - start)


def _generated(base_url: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=base_url,
        token=payloads.API_KEY,
        prefix="",
        auth_header_name="x-api-key",
        raise_on_unexpected_status=True,
    )


def _generated_task(answer: object) -> Task:
    if not isinstance(answer, Task):
        raise AssertionError(f"expected a Task, got {answer!r:.200}")
    return answer


# 1. Sequential look-ups ----------------------------------------------------


def sdk_get(sdk: ModuleType, base_url: str, n: int) -> float:
    with _sdk_tasks(sdk, base_url) as tasks:
        for _ in range(WARMUP):
            _check_id(tasks.get(TASK_ID), TASK_ID)
        return _time_sync(n, lambda: tasks.get(TASK_ID))


def generated_get(base_url: str, n: int) -> float:
    with _generated(base_url) as client:
        for _ in range(WARMUP):
            _check_id(get_task.sync(TASK_ID, client=client), TASK_ID)
        return _time_sync(n, lambda: _generated_task(get_task.sync(TASK_ID, client=client)))


def httpx_get(base_url: str, n: int) -> float:
    with httpx.Client(base_url=base_url, headers=HEADERS) as client:
        path = f"/agent-execution/{TASK_ID}/status"

        def call() -> Any:
            response = client.get(path)
            response.raise_for_status()
            return response.json()

        for _ in range(WARMUP):
            _check_id(call(), TASK_ID)
        return _time_sync(n, call)


def sdk_aget(sdk: ModuleType, base_url: str, n: int, backend: str = "httpx") -> float:
    async def run() -> float:
        async with _sdk_tasks(sdk, base_url, backend) as tasks:
            for _ in range(WARMUP):
                _check_id(await tasks.aget(TASK_ID), TASK_ID)
            return await _time_async(n, lambda: tasks.aget(TASK_ID))

    return asyncio.run(run())


def generated_aget(base_url: str, n: int) -> float:
    async def run() -> float:
        async with _generated(base_url) as client:

            async def call() -> Task:
                return _generated_task(await get_task.asyncio(TASK_ID, client=client))

            for _ in range(WARMUP):
                _check_id(await call(), TASK_ID)
            return await _time_async(n, call)

    return asyncio.run(run())


async def _httpx_aget(client: httpx.AsyncClient, task_id: str) -> Any:
    response = await client.get(f"/agent-execution/{task_id}/status")
    response.raise_for_status()
    return response.json()


def httpx_aget(base_url: str, n: int) -> float:
    async def run() -> float:
        async with httpx.AsyncClient(base_url=base_url, headers=HEADERS) as client:
            for _ in range(WARMUP):
                _check_id(await _httpx_aget(client, TASK_ID), TASK_ID)
            return await _time_async(n, lambda: _httpx_aget(client, TASK_ID))

    return asyncio.run(run())


# 2. Fan-out -----------------------------------------------------------------
#
# Cold: a fresh client, no connection open, one round of n concurrent look-ups
# timed from the first. Warm: the same after one untimed round.


async def _fanout_rounds(n: int, rounds: int, call: Callable[[int], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        answers = await asyncio.gather(*(call(i) for i in range(n)))
        _check_id(answers[-1], f"t{n - 1}")
    return n * rounds / (time.perf_counter() - start)


def sdk_fanout(sdk: ModuleType, base_url: str, n: int, batches: int, backend: str) -> float:
    """``batches`` 0: cold (one round on a fresh client); else warm rounds."""

    async def run() -> float:
        async with _sdk_tasks(sdk, base_url, backend) as tasks:
            call = lambda i: tasks.aget(f"t{i}")  # noqa: E731
            if not batches:
                return await _fanout_rounds(n, 1, call)
            await _fanout_rounds(n, 1, call)
            return await _fanout_rounds(n, batches, call)

    return asyncio.run(run())


def _fanout_client(base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    # Pool timeout off, so that a cold 1,000-way round completes instead of
    # raising PoolTimeout after httpx's default 5 s.
    timeout = httpx.Timeout(60.0, pool=None)
    return httpx.AsyncClient(
        base_url=base_url, headers=HEADERS, timeout=timeout, transport=transport
    )


def httpx_fanout(base_url: str, n: int, batches: int, aiohttp: bool = False) -> float:
    async def run() -> float:
        transport = None
        if aiohttp:
            from httpx_aiohttp import AiohttpTransport

            transport = AiohttpTransport()
        async with _fanout_client(base_url, transport) as client:
            call = lambda i: _httpx_aget(client, f"t{i}")  # noqa: E731
            if not batches:
                return await _fanout_rounds(n, 1, call)
            await _fanout_rounds(n, 1, call)
            return await _fanout_rounds(n, batches, call)

    return asyncio.run(run())


def httpx_aiohttp_aget(base_url: str, n: int) -> float:
    """Plain httpx over httpx-aiohttp's transport: what the aiohttp backend builds on."""

    async def run() -> float:
        from httpx_aiohttp import AiohttpTransport

        async with httpx.AsyncClient(
            base_url=base_url, headers=HEADERS, transport=AiohttpTransport()
        ) as client:
            for _ in range(WARMUP):
                _check_id(await _httpx_aget(client, TASK_ID), TASK_ID)
            return await _time_async(n, lambda: _httpx_aget(client, TASK_ID))

    return asyncio.run(run())


# 3. Creates -----------------------------------------------------------------


def sdk_acreate(sdk: ModuleType, base_url: str, n: int, backend: str = "httpx") -> float:
    kwargs = _sdk_create_kwargs(sdk)

    async def run() -> float:
        async with _sdk_tasks(sdk, base_url, backend) as tasks:
            for _ in range(WARMUP):
                _check_id(await tasks.acreate(**kwargs), payloads.CREATED_TASK_ID)
            return await _time_async(n, lambda: tasks.acreate(**kwargs))

    return asyncio.run(run())


def sdk_create(sdk: ModuleType, base_url: str, n: int) -> float:
    kwargs = _sdk_create_kwargs(sdk)
    with _sdk_tasks(sdk, base_url) as tasks:
        for _ in range(WARMUP):
            _check_id(tasks.create(**kwargs), payloads.CREATED_TASK_ID)
        return _time_sync(n, lambda: tasks.create(**kwargs))


def httpx_create(base_url: str, n: int) -> float:
    with httpx.Client(base_url=base_url, headers=HEADERS) as client:
        path = f"/agent-execution/{payloads.AGENT_ID}"

        def call() -> Any:
            response = client.post(
                path, json=payloads.create_body(), headers={"x-agent-version": "2"}
            )
            response.raise_for_status()
            return response.json()

        for _ in range(WARMUP):
            _check_id(call(), payloads.CREATED_TASK_ID)
        return _time_sync(n, call)


def generated_acreate(base_url: str, n: int) -> float:
    async def run() -> float:
        async with _generated(base_url) as client:

            async def call() -> Task:
                body = TaskCreate.from_dict(payloads.create_body())
                answer = await create_task.asyncio(
                    payloads.AGENT_ID, client=client, body=body, x_agent_version="2"
                )
                return _generated_task(answer)

            for _ in range(WARMUP):
                _check_id(await call(), payloads.CREATED_TASK_ID)
            return await _time_async(n, call)

    return asyncio.run(run())


def httpx_acreate(base_url: str, n: int) -> float:
    async def run() -> float:
        async with httpx.AsyncClient(base_url=base_url, headers=HEADERS) as client:
            path = f"/agent-execution/{payloads.AGENT_ID}"

            async def call() -> Any:
                response = await client.post(
                    path, json=payloads.create_body(), headers={"x-agent-version": "2"}
                )
                response.raise_for_status()
                return response.json()

            for _ in range(WARMUP):
                _check_id(await call(), payloads.CREATED_TASK_ID)
            return await _time_async(n, call)

    return asyncio.run(run())


# 4. Events ------------------------------------------------------------------


@dataclass(frozen=True)
class StreamRun:
    events_per_second: float
    peak_bytes: int | None
    """tracemalloc's peak while streaming (only when memory was traced)."""


def _events_task_id(n: int) -> str:
    return f"{payloads.EVENTS_PREFIX}{n}"


def _finish_stream(n: int, count: int, start: float, trace: bool) -> StreamRun:
    elapsed = time.perf_counter() - start
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if count != n:
        raise AssertionError(f"expected {n} events, read {count}")
    return StreamRun(n / elapsed, peak)


def sdk_aevents(sdk: ModuleType, base_url: str, n: int, trace: bool = False) -> StreamRun:
    async def run() -> StreamRun:
        async with _sdk_tasks(sdk, base_url) as tasks:
            task = await tasks.aget(_events_task_id(n))
            if trace:
                tracemalloc.start()
            start = time.perf_counter()
            count = 0
            async for _event in task.aevents():
                count += 1
            return _finish_stream(n, count, start, trace)

    return asyncio.run(run())


def httpx_sse_events(base_url: str, n: int, trace: bool = False) -> StreamRun:
    async def run() -> StreamRun:
        async with httpx.AsyncClient(base_url=base_url, headers=HEADERS) as client:
            await _httpx_aget(client, _events_task_id(n))  # as the SDK does: open the pool
            path = f"/{payloads.ORG_ID}/agent-execution/{_events_task_id(n)}/events"
            if trace:
                tracemalloc.start()
            start = time.perf_counter()
            count = 0
            async with aconnect_sse(client, "GET", path) as source:
                source.response.raise_for_status()
                async for sse in source.aiter_sse():
                    json.loads(sse.data)
                    count += 1
            return _finish_stream(n, count, start, trace)

    return asyncio.run(run())


# The cases ------------------------------------------------------------------


def build(base_url: str, sizes: Sizes, sdk: ModuleType | None, why_not: str) -> list[Case]:
    """The timed cases, each with its contenders in table order.

    Without the facade its contenders are left out and each case says why.
    """
    url, s = base_url, sizes
    facade = sdk if sdk is not None else ModuleType("xpander_sdk")
    cases = [
        Case("get", "1. sequential look-ups, sync", "look-ups/s", 0.9, [
            Contender("Tasks.get", "sdk", lambda: sdk_get(facade, url, s.lookups)),
            Contender("get_task.sync", "generated", lambda: generated_get(url, s.lookups)),
            Contender("httpx.Client", "httpx", lambda: httpx_get(url, s.lookups)),
        ]),
        Case("aget", "1. sequential look-ups, async", "look-ups/s", 0.9, [
            Contender("Tasks.aget", "sdk", lambda: sdk_aget(facade, url, s.lookups)),
            Contender(
                "Tasks.aget, aiohttp", "sdk",
                lambda: sdk_aget(facade, url, s.lookups, "aiohttp"), target=1.2,
            ),
            Contender("get_task.asyncio", "generated", lambda: generated_aget(url, s.lookups)),
            Contender("httpx.AsyncClient", "httpx", lambda: httpx_aget(url, s.lookups)),
            Contender("AiohttpTransport", "reference", lambda: httpx_aiohttp_aget(url, s.lookups)),
        ]),
        Case("fanout-cold", f"2. fan-out, {s.fanout:,} concurrent aget, cold client",
             "look-ups/s", None, [
            Contender(
                "Tasks.aget", "sdk",
                lambda: sdk_fanout(facade, url, s.fanout, 0, "httpx"), target=5.0,
            ),
            Contender(
                "Tasks.aget, aiohttp", "sdk",
                lambda: sdk_fanout(facade, url, s.fanout, 0, "aiohttp"),
            ),
            Contender("httpx.AsyncClient", "httpx", lambda: httpx_fanout(url, s.fanout, 0)),
            Contender(
                "AiohttpTransport", "reference", lambda: httpx_fanout(url, s.fanout, 0, True)
            ),
        ]),
        Case("fanout-warm", f"2. fan-out, {s.fanout:,} concurrent aget, warm client",
             "look-ups/s", None, [
            Contender(
                "Tasks.aget", "sdk",
                lambda: sdk_fanout(facade, url, s.fanout, s.fanout_batches, "httpx"),
                target=0.9,
            ),
            Contender(
                "Tasks.aget, aiohttp", "sdk",
                lambda: sdk_fanout(facade, url, s.fanout, s.fanout_batches, "aiohttp"),
                target=4.0,
            ),
            Contender(
                "httpx.AsyncClient", "httpx",
                lambda: httpx_fanout(url, s.fanout, s.fanout_batches),
            ),
            Contender(
                "AiohttpTransport", "reference",
                lambda: httpx_fanout(url, s.fanout, s.fanout_batches, True),
            ),
        ]),
        Case("create", "3. creates, full arguments, sync", "creates/s", 0.9, [
            Contender("Tasks.create", "sdk", lambda: sdk_create(facade, url, s.creates)),
            Contender("httpx.Client", "httpx", lambda: httpx_create(url, s.creates)),
        ]),
        Case("acreate", "3. creates, full arguments, async", "creates/s", 0.9, [
            Contender("Tasks.acreate", "sdk", lambda: sdk_acreate(facade, url, s.creates)),
            Contender(
                "Tasks.acreate, aiohttp", "sdk",
                lambda: sdk_acreate(facade, url, s.creates, "aiohttp"), target=1.2,
            ),
            Contender(
                "create_task.asyncio", "generated", lambda: generated_acreate(url, s.creates)
            ),
            Contender("httpx.AsyncClient", "httpx", lambda: httpx_acreate(url, s.creates)),
        ]),
        Case("events", f"4. events, {s.events:,} through one stream", "events/s", 0.85, [
            Contender(
                "Task.aevents",
                "sdk",
                lambda: sdk_aevents(facade, url, s.events).events_per_second,
            ),
            Contender(
                "httpx-sse + json.loads",
                "httpx",
                lambda: httpx_sse_events(url, s.events).events_per_second,
            ),
        ]),
    ]  # fmt: skip
    if sdk is None:
        for case in cases:
            case.contenders = [c for c in case.contenders if c.kind != "sdk"]
            case.skipped.append(f"xpander_sdk skipped: {why_not}")
    return cases
