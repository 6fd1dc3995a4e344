"""Caller idempotency keys: a create whose answer was lost is sent again, from another
client or process, and answers with the task that was stored, never a second one."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from xpander_sdk import (
    APIConnectionError,
    Configuration,
    ConflictError,
    ModuleException,
    Tasks,
    ValidationError,
)
from xpander_sdk.emulator import EmulatorServer

# A create sent in a fresh interpreter: a new process, a new client, only the key shared.
CREATE_IN_ANOTHER_PROCESS = """
import sys
from xpander_sdk import Tasks
with Tasks() as tasks:
    task = tasks.create(sys.argv[1], prompt="refund order 42", idempotency_key=sys.argv[2])
print(task.id)
"""


def _agent() -> str:
    return f"agent-{uuid.uuid4().hex[:8]}"


def _configuration(emulator: EmulatorServer, **settings: object) -> Configuration:
    return Configuration(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        organization_id=emulator.organization_id,
        **settings,  # type: ignore[arg-type]
    )


def _create_elsewhere(emulator: EmulatorServer, agent_id: str, key: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPANDER_")}
    env.update(emulator.env())
    done = subprocess.run(
        [sys.executable, "-c", CREATE_IN_ANOTHER_PROCESS, agent_id, key],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _drop_every_create_answer(emulator: EmulatorServer, agent_id: str) -> None:
    # Each create (and each retry of it) is processed and stored, then its answer dropped.
    emulator.inject("drop_after", rate=1.0, method="POST", path=f"^/agent-execution/{agent_id}$")


def _stored(tasks: Tasks, agent_id: str) -> list[str]:
    return [item.id for item in tasks.list(agent_id)]


async def test_a_lost_create_sent_again_from_another_process_makes_no_second_task(
    emulator: EmulatorServer,
) -> None:
    agent_id = _agent()
    _drop_every_create_answer(emulator, agent_id)
    config = _configuration(emulator, max_retries=2, retry_base_delay=0.01)
    async with Tasks(config) as tasks:
        with pytest.raises(APIConnectionError) as caught:
            await tasks.acreate(agent_id, prompt="refund order 42")
    key = caught.value.idempotency_key
    assert key is not None and str(uuid.UUID(key)) == key  # the key the SDK made
    assert f"idempotency key {key}" in str(caught.value)
    emulator.clear_faults()
    with Tasks(config) as tasks:
        (stored,) = _stored(tasks, agent_id)  # the create and its two retries: one task
        assert _create_elsewhere(emulator, agent_id, key) == stored
        assert _stored(tasks, agent_id) == [stored]


def test_the_callers_key_on_every_error_of_a_sync_create(emulator: EmulatorServer) -> None:
    agent_id = _agent()
    _drop_every_create_answer(emulator, agent_id)
    config = _configuration(emulator, max_retries=1, retry_base_delay=0.01)
    with Tasks(config) as tasks:
        with pytest.raises(APIConnectionError) as caught:
            tasks.create(agent_id, prompt="refund order 42", idempotency_key="order-42:create")
        assert caught.value.idempotency_key == "order-42:create"
        assert "(idempotency key order-42:create)" in str(caught.value)
        emulator.clear_faults()
        # An error status carries it too.
        emulator.inject("status", status=409, method="POST")
        with pytest.raises(ConflictError) as conflict:
            tasks.create(agent_id, prompt="x", idempotency_key="order-43:create")
        assert conflict.value.idempotency_key == "order-43:create"
        emulator.clear_faults()
        again = tasks.create(agent_id, prompt="refund order 42", idempotency_key="order-42:create")
        assert _stored(tasks, agent_id) == [again.id]


async def test_one_key_with_another_body_is_refused_and_names_the_key(
    emulator: EmulatorServer,
) -> None:
    agent_id, key = _agent(), f"k-{uuid.uuid4()}"
    async with Tasks(_configuration(emulator)) as tasks:
        first = await tasks.acreate(agent_id, prompt="one", idempotency_key=key)
        same = await tasks.acreate(agent_id, prompt="one", idempotency_key=key)
        assert same.id == first.id
        with pytest.raises(ValidationError) as caught:
            await tasks.acreate(agent_id, prompt="two", idempotency_key=key)
        assert caught.value.idempotency_key == key
        assert caught.value.errors[0]["field"] == "header.Idempotency-Key"
        assert [item.id for item in await tasks.alist(agent_id)] == [first.id]


def test_the_key_outlives_a_restart_of_the_emulator(
    emulator_factory: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = emulator_factory(db=str(tmp_path / "tasks.sqlite"), faults=True)
    agent_id = _agent()
    _drop_every_create_answer(server, agent_id)
    with (
        Tasks(_configuration(server, max_retries=0)) as tasks,
        pytest.raises(APIConnectionError) as caught,
    ):
        tasks.create(agent_id, prompt="refund order 42")
    server.restart()
    key = caught.value.idempotency_key
    assert key is not None
    replayed = _create_elsewhere(server, agent_id, key)
    with Tasks(_configuration(server)) as tasks:
        assert _stored(tasks, agent_id) == [replayed]


@pytest.mark.parametrize(
    ("key", "error"),
    [
        (123, TypeError),
        ("", ValueError),
        ("x" * 256, ValueError),
        (" padded", ValueError),
        ("line\nbreak", ValueError),
        ("clé", ValueError),
    ],
)
def test_a_bad_key_raises_before_any_request(
    emulator: EmulatorServer, key: object, error: type[Exception]
) -> None:
    before = len(emulator.requests(method="POST"))
    with (
        Tasks(_configuration(emulator)) as tasks,
        pytest.raises(error, match="idempotency_key") as caught,
    ):
        tasks.create(_agent(), prompt="x", idempotency_key=key)  # type: ignore[arg-type]
    assert not isinstance(caught.value, ModuleException)
    assert len(emulator.requests(method="POST")) == before
