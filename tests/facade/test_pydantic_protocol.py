"""The pydantic protocol of the SDK's objects, as the published SDK's pydantic models had it.

Every call of scripts/compat/pydantic_calls.py is made on objects read over HTTP from an
emulator that holds the recorded task, and compared with what the published SDK gave for
the same task (tests/facade/fixtures/published-pydantic.json, recorded by `make compat`):
once with pydantic-core writing the JSON text, once with the json module. Then what the
recording cannot show: secrets, bad input, copies, pydantic's TypeAdapter, a FastAPI
route over a real socket, and that ``import xpander_sdk`` loads no pydantic.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import math
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    ConfigurationError,
    Task,
    Tasks,
    TasksListItem,
    TaskUpdateEvent,
    Tokens,
    User,
    _dump,
    _native,
    _pydantic,
)
from xpander_sdk.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "compat" / "pydantic_calls.py"
FIXTURE = Path(__file__).with_name("fixtures") / "published-pydantic.json"
RECORDED: dict[str, Any] = json.loads(FIXTURE.read_text())
KEY = "compat-key"


@pytest.fixture(scope="module")
def calls() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compat_pydantic_calls", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorServer]:
    """An emulator holding the recorded task and its events; the environment points at it."""
    with EmulatorServer(api_key=KEY) as server, pytest.MonkeyPatch.context() as env:
        for name, value in server.env().items():
            env.setenv(name, value)
        env.setenv("XPANDER_ORGANIZATION_ID", "local-org")
        answer = httpx.put(
            f"{server.base_url}/_emulator/state", json=RECORDED["seed"], headers={"x-api-key": KEY}
        )
        assert answer.status_code == 200, answer.text
        yield server


@contextmanager
def python_dumps() -> Iterator[None]:
    """`_dump`'s path for every dump, as without pydantic-core (`_native` gives up)."""
    kept = list(_native._CORE)
    _native._CORE[:] = [None]
    for plan in _dump._PLANS.values():
        plan.native = _dump.NOT_BUILT
    try:
        yield
    finally:
        _native._CORE[:] = kept
        for plan in _dump._PLANS.values():
            plan.native = _dump.NOT_BUILT


@pytest.fixture(
    scope="module", params=["pydantic-core reads", "pydantic-core writes", "json module"]
)
def ours(
    request: pytest.FixtureRequest, calls: ModuleType, seeded: EmulatorServer
) -> dict[str, Any]:
    """Our results for every call: a task's common dumps made by pydantic-core from the
    objects (`_native`), or by `_dump` with pydantic-core writing the JSON text, or by
    `_dump` and the json module."""
    if request.param == "pydantic-core reads":
        results = dict(calls.run_calls(asyncio.run(calls.read_objects())))
        assert _native.native(_dump.plan_of(Task)) is not None
        return results
    kept = list(_dump._WRITER)
    _dump._WRITER[:] = [None] if request.param == "json module" else []
    try:
        with python_dumps():
            return dict(calls.run_calls(asyncio.run(calls.read_objects())))
    finally:
        _dump._WRITER[:] = kept


@pytest.mark.parametrize("call", list(RECORDED["calls"]))
def test_each_call_gives_what_the_published_sdk_gave(
    call: str, calls: ModuleType, ours: dict[str, Any], seeded: EmulatorServer
) -> None:
    recording = {"base_url": RECORDED["base_url"], "calls": {call: RECORDED["calls"][call]}}
    assert "error" not in ours[call], ours[call]
    assert calls.compare(recording, ours, seeded.base_url) == []


def test_the_recording_holds_every_call_the_script_makes(calls: ModuleType) -> None:
    assert [call for _, call in calls.CALLS] == list(RECORDED["calls"])
    assert RECORDED["seed"] == calls.seed_document("local-org")


# -- what the recording cannot show --------------------------------------------------------


@pytest.fixture()
def task(seeded: EmulatorServer) -> Iterator[Task]:
    with Tasks() as tasks:
        yield tasks.get(RECORDED["seed"]["tasks"][0]["task"]["id"])


def test_a_dump_holds_where_the_client_connects_never_its_api_key(
    task: Task, seeded: EmulatorServer
) -> None:
    assert task.model_dump()["configuration"] == {
        "base_url": seeded.base_url,
        "agent_id": None,
        "organization_id": "local-org",
    }
    for text in (task.model_dump_json(), json.dumps(task.model_dump_safe()), repr(dict(task))):
        assert KEY not in text
    assert KEY not in task.model_dump_json(include={"configuration": True}, round_trip=True)


def test_model_validate_needs_no_api_key_until_the_task_sends_a_request(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = task.model_dump(mode="json")
    monkeypatch.delenv("XPANDER_API_KEY")
    monkeypatch.setattr(Tasks, "_default", None)  # no default client made before
    made = Task.model_validate(data)
    assert made.model_dump_json() == task.model_dump_json()
    with pytest.raises(ConfigurationError, match="XPANDER_API_KEY"):
        made.reload()


def test_model_validate_binds_to_the_configuration_it_is_given(
    task: Task, seeded: EmulatorServer
) -> None:
    settings = Configuration(api_key=KEY, base_url=seeded.base_url, organization_id="local-org")
    made = Task.model_validate({**task.model_dump(), "configuration": settings})
    assert made.configuration is settings
    assert made.reload().status is AgentExecutionStatus.Completed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": 5}, "Task.id must be a str, not int"),
        ({"created_at": "yesterday"}, "Task.created_at must be an ISO 8601 date-time"),
        ({"status": "done"}, "Task.status must be one of 'pending'"),
        ({"input": {"text": "x", "user": {"id": "u"}}}, "Task.input.user.email is required"),
        ({"mcp_servers": [{"name": 3}]}, r"Task.mcp_servers\[0\].name must be a str"),
        ({"duration": "11"}, "Task.duration must be a number, not str"),
    ],
)
def test_model_validate_names_the_field_it_cannot_take(
    task: Task, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Task.model_validate({**task.model_dump(mode="json"), **change})


def test_bad_arguments_raise_naming_them(task: Task) -> None:
    with pytest.raises(TypeError, match="takes a dict, not str"):
        Task.model_validate("{}")
    with pytest.raises(ValueError, match="json_data is not JSON"):
        Task.model_validate_json("{")
    with pytest.raises(ValueError, match="bogus is not a field of Task"):
        task.model_copy(update={"bogus": 1})
    with pytest.raises(TypeError, match="include must be a set or a dict"):
        task.model_dump(include="id")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="mode must be"):
        task.model_dump(mode=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="indent must be an int"):
        task.model_dump_json(indent="2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot dump a object"):
        task.model_copy(update={"payload_extension": {"x": object()}}).model_dump()
    fallback = task.model_copy(update={"payload_extension": {"x": object()}})
    assert fallback.model_dump(fallback=lambda v: "?")["payload_extension"] == {"x": "?"}


@pytest.mark.parametrize("target", ["task", "entry", "event"])
def test_the_common_dump_and_the_one_with_options_give_the_same(
    target: str, task: Task, seeded: EmulatorServer
) -> None:
    """An empty ``exclude`` takes the walk that handles options; it must add nothing."""
    with Tasks() as tasks:
        (entry,) = [e for e in tasks.list(task.agent_id) if e.id == task.id]
        event, *_ = tasks.iter_events(task)
    obj = {"task": task, "entry": entry, "event": event}[target]
    for mode in ("python", "json"):
        assert repr(obj.model_dump(mode=mode, exclude={})) == repr(obj.model_dump(mode=mode))
    assert obj.model_dump_json(exclude={}) == obj.model_dump_json()
    assert obj.model_dump_json(exclude={}, indent=2) == obj.model_dump_json(indent=2)


def test_a_copy_keeps_its_client_and_is_changed_apart_from_the_original(task: Task) -> None:
    copied = task.model_copy(update={"title": "copied"})
    assert copied.tasks is task.tasks and copied.title == "copied" and task.title == "Q3 growth"
    deep = task.model_copy(deep=True)
    assert deep.tasks is task.tasks and deep.model_dump() == task.model_dump()
    assert deep.deep_planning is not None and task.deep_planning is not None
    deep.deep_planning.tasks[0].completed = False
    assert task.deep_planning.tasks[0].completed is True
    assert copied.model_fields_set >= {"title"}


def test_an_event_copy_keeps_its_stream_id_and_takes_the_update(task: Task) -> None:
    with Tasks() as tasks:
        event, *_ = tasks.iter_events(task)
    copied = event.model_copy(update={"data": "changed"})
    assert (copied.id, copied.type, copied.time) == (event.id, event.type, event.time)
    assert copied.model_dump()["data"] == "changed" and event.data is not None
    assert isinstance(event.data, Task) and event.data.id == task.id
    assert json.loads(event.model_dump_json())["data"]["id"] == task.id


def test_nested_models_dump_their_own_changes(task: Task) -> None:
    assert task.tokens is not None and task.input.user is not None
    task.tokens.prompt_tokens = 1
    task.input.user.email = "grace@example.com"
    task.status = AgentExecutionStatus.Failed
    dumped = task.model_dump(mode="json")
    assert dumped["tokens"]["total_tokens"] == 1 + 412
    assert dumped["input"]["user"]["email"] == "grace@example.com"
    assert dumped["status"] == "failed"
    assert json.loads(task.model_dump_json()) == dumped


def test_exported_models_have_the_protocol_too() -> None:
    tokens = Tokens.model_validate({"prompt_tokens": 2, "completion_tokens": 3})
    assert tokens.model_dump() == {
        "completion_tokens": 3,
        "prompt_tokens": 2,
        "cache_read_tokens": 0,
        "cache_write_tokens": 0,
        "total_tokens": 5,
    }
    assert list(User.model_fields) == [
        "id", "first_name", "last_name", "email", "additional_attributes", "timezone",
    ]  # fmt: skip
    assert User(email="a@b.c").model_dump(exclude_unset=True) == {"email": "a@b.c"}
    settings = Configuration(api_key="k", base_url="https://x.example", organization_id="o")
    assert settings.model_dump() == {
        "base_url": "https://x.example",
        "agent_id": None,
        "organization_id": "o",
    }
    assert "k" not in settings.model_dump_json().replace("x.example", "")


# -- pydantic-core reading the objects (`_native`) -----------------------------------------

#: The common calls `_native` serves, each with what it gives as comparable text.
COMMON_CALLS: dict[str, Any] = {
    "model_dump()": lambda o: repr(o.model_dump()),
    "model_dump(mode='json')": lambda o: json.dumps(o.model_dump(mode="json")),
    "model_dump_json()": lambda o: o.model_dump_json(),
    "model_dump_json(indent=2, ensure_ascii=True)": lambda o: o.model_dump_json(
        indent=2, ensure_ascii=True
    ),
}


def _common_dumps(obj: Any) -> dict[str, str]:
    return {name: call(obj) for name, call in COMMON_CALLS.items()}


@pytest.mark.parametrize("target", ["task", "entry"])
def test_pydantic_core_reads_the_objects_and_gives_the_python_paths_bytes(
    target: str, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Tasks() as tasks:
        (entry,) = [e for e in tasks.list(task.agent_id) if e.id == task.id]
    obj = {"task": task, "entry": entry}[target]
    with python_dumps():
        expected = _common_dumps(obj)

    def not_taken(*args: Any) -> Any:
        raise AssertionError("the Python path was taken")

    with monkeypatch.context() as patched:  # the native path must serve every common call
        patched.setattr(_pydantic, "dump", not_taken)
        patched.setattr(_pydantic, "dump_text", not_taken)
        assert _common_dumps(obj) == expected
    assert _native.native(_dump.plan_of(type(obj))) is not None


def test_the_native_path_leaves_what_it_cannot_write_to_the_python_path(task: Task) -> None:
    """A field the answer lacked whose published default is not None, a value of a type
    pydantic-core does not know, nested models changed, non-finite floats: `_dump`'s
    results, or its error."""
    data = task.to_dict()
    for name in ("status", "sub_executions", "deep_planning", "execution_attempts", "duration"):
        del data[name]
    with Tasks() as tasks:
        sparse = Task.from_dict(data, tasks)
        changed = Task.from_dict(task.to_dict(), tasks)
        assert changed.input.user is not None and changed.tokens is not None
        changed.input.user.first_name = "Grace"
        changed.tokens.completion_tokens = 7
        changed.duration = 3  # an int in a float field
        changed.mcp_servers = [{"type": "local", "name": "x"}]  # defaults and transport
        infinite = Task.from_dict(task.to_dict(), tasks)
        infinite.duration = float("nan")  # a float field: NaN in a JSON-mode dict, null as text
        infinite.payload_extension = {"x": float("inf"), "at": date(2025, 1, 2)}
        odd = Task.from_dict(task.to_dict(), tasks)
        odd.payload_extension = {"x": object()}
        with python_dumps():
            expected = [_common_dumps(t) for t in (sparse, changed, infinite)]
        assert [_common_dumps(t) for t in (sparse, changed, infinite)] == expected
    assert json.loads(expected[0]["model_dump_json()"])["status"] == "pending"
    assert json.loads(expected[1]["model_dump_json()"])["duration"] == 3.0
    assert '"duration": NaN' in expected[2]["model_dump(mode='json')"]
    assert '"duration":null' in expected[2]["model_dump_json()"]
    assert '"payload_extension":{"x":null' in expected[2]["model_dump_json()"]
    with pytest.raises(TypeError, match="cannot dump a object"):
        odd.model_dump(mode="json")
    with pytest.raises(TypeError, match="cannot dump a object"):
        odd.model_dump_json()


def test_without_pydantic_core_the_python_path_gives_the_same(task: Task) -> None:
    """pydantic-core cannot be imported in the child: `_dump` serves every call there."""
    program = (
        "import json, sys\n"
        "class Blocked:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pydantic', 'pydantic_core'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Blocked())\n"
        "from xpander_sdk import Configuration, Task, Tasks, _dump, _native\n"
        "data = json.loads(sys.stdin.read())\n"
        "settings = Configuration(api_key='k', base_url=data['base_url'], "
        "organization_id='local-org')\n"
        "with Tasks(settings) as tasks:\n"
        "    task = Task.from_dict(data['task'], tasks)\n"
        "    calls = {\n"
        "        'model_dump()': repr(task.model_dump()),\n"
        "        \"model_dump(mode='json')\": json.dumps(task.model_dump(mode='json')),\n"
        "        'model_dump_json()': task.model_dump_json(),\n"
        "        'model_dump_json(indent=2, ensure_ascii=True)': "
        "task.model_dump_json(indent=2, ensure_ascii=True),\n"
        "    }\n"
        "assert _native.native(_dump.plan_of(Task)) is None\n"
        "assert not [m for m in sys.modules if m.startswith('pydantic')]\n"
        "print(json.dumps(calls))\n"
    )
    data = {"base_url": task.tasks.configuration.base_url, "task": task.to_dict()}
    done = subprocess.run(
        [sys.executable, "-c", program],
        input=json.dumps(data), capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == _common_dumps(task)
    assert _native.native(_dump.plan_of(Task)) is not None


def test_importing_the_sdk_and_dumping_loads_no_pydantic() -> None:
    """Nor does the import load the protocol itself: the first call does."""
    program = (
        "import sys, xpander_sdk\n"
        "assert not [m for m in sys.modules if m.startswith('pydantic')], 'imported'\n"
        "assert 'xpander_sdk._dump' not in sys.modules, 'protocol loaded'\n"
        "t = xpander_sdk.Tokens(prompt_tokens=1)\n"
        "t.model_dump(); t.model_dump(mode='json')\n"
        "assert not [m for m in sys.modules if m.startswith('pydantic')], 'dumped'\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)


def test_the_generated_models_answer_without_the_facade_imported_first() -> None:
    """A user of the raw generated client calls the methods as they are: the first call
    loads what serves them, whatever was imported before."""
    program = (
        "import sys\n"
        "from xpander_api_client.models import Tokens\n"
        "assert 'xpander_sdk.task' not in sys.modules\n"
        "print(Tokens(prompt_tokens=1, completion_tokens=2).model_dump_json())\n"
    )
    done = subprocess.run([sys.executable, "-c", program], check=True, capture_output=True)
    assert json.loads(done.stdout)["total_tokens"] == 3


# -- pydantic's own readers and writers ------------------------------------------------------


def test_a_type_adapter_reads_and_writes_them_as_their_own_methods_do(task: Task) -> None:
    pydantic = pytest.importorskip("pydantic")
    adapter = pydantic.TypeAdapter(Task)
    assert adapter.dump_json(task).decode() == task.model_dump_json()
    assert adapter.dump_python(task, mode="json") == task.model_dump(mode="json")
    assert adapter.validate_python(task) is task
    made = adapter.validate_python(task.model_dump(mode="json"))
    assert isinstance(made, Task) and made.model_dump() == task.model_dump()
    with pytest.raises(pydantic.ValidationError, match=r"Task\.id must be a str"):
        adapter.validate_python({**task.model_dump(mode="json"), "id": 1})
    schema = adapter.json_schema(mode="serialization")
    assert {"id", "status", "created_at", "configuration"} <= set(schema["properties"])
    assert Task.model_json_schema()["required"] == [
        "id", "agent_id", "organization_id", "input", "created_at",
    ]  # fmt: skip
    events = pydantic.TypeAdapter(list[TaskUpdateEvent])
    assert events.dump_python([], mode="json") == []


class _Uvicorn(threading.Thread):
    """An ASGI app served by uvicorn on a loopback socket, in a thread, until stopped."""

    def __init__(self, app: Any) -> None:
        uvicorn = pytest.importorskip("uvicorn")
        super().__init__(daemon=True)
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))

    def run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.socket]))

    def __enter__(self) -> _Uvicorn:
        self.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.server.started, "uvicorn did not start"
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.join(10)
        self.socket.close()


def test_a_fastapi_route_returns_a_task_as_the_published_sdk_did(
    calls: ModuleType, seeded: EmulatorServer
) -> None:
    fastapi = pytest.importorskip("fastapi")
    app = fastapi.FastAPI()

    @app.get("/tasks/{task_id}")
    async def read(task_id: str) -> Task:
        async with Tasks() as tasks:
            return await tasks.aget(task_id)

    @app.get("/untyped/{task_id}")
    async def untyped(task_id: str) -> Any:
        async with Tasks() as tasks:
            return await tasks.aget(task_id)

    @app.get("/entries/{agent_id}")
    async def entries(agent_id: str) -> list[TasksListItem]:
        async with Tasks() as tasks:
            return await tasks.alist(agent_id)

    task_id = RECORDED["seed"]["tasks"][0]["task"]["id"]
    agent_id = RECORDED["seed"]["tasks"][0]["task"]["agent_id"]
    with _Uvicorn(app) as server, httpx.Client(base_url=server.base_url) as client:
        typed = client.get(f"/tasks/{task_id}")
        loose = client.get(f"/untyped/{task_id}")
        listed = client.get(f"/entries/{agent_id}")
        spec = client.get("/openapi.json").json()
    published = RECORDED["calls"]["task.model_dump_json()"]["result"]
    assert calls.normalized(typed.text, seeded.base_url) == calls.normalized(
        published, RECORDED["base_url"]
    )
    (entry,) = [e for e in listed.json() if e["id"] == task_id]
    assert entry == json.loads(RECORDED["calls"]["item.model_dump_json()"]["result"])
    # Without a return type FastAPI encodes the task by itself (pydantic's models it dumps;
    # ours it reads as a mapping of their fields): the same keys and values, and its own
    # datetimes ("+00:00" for UTC).
    assert list(loose.json()) == list(typed.json())
    assert KEY not in typed.text and KEY not in loose.text
    schemas = spec["components"]["schemas"]
    assert {"id", "status", "input"} <= set(schemas["Task"]["properties"])


def test_the_recording_is_the_published_sdks_and_its_dump_held_the_api_key() -> None:
    assert RECORDED["sdk"] == (ROOT / "scripts/compat/published-sdk-version").read_text().strip()
    published = RECORDED["calls"]["task.model_dump()"]["result"]["configuration"]
    assert published["api_key"] == KEY  # what ours leaves out, on purpose


@pytest.mark.parametrize("pydantic_core", [True, False], ids=["pydantic-core", "python"])
def test_non_finite_floats_dump_as_the_published_models_dump_them(
    task: Task, pydantic_core: bool
) -> None:
    """pydantic 2's float field keeps a NaN or an infinity in a JSON-mode dict and writes
    null in the text; an untyped value (a payload's) becomes None in both (what the
    published SDK's models do, checked on pydantic 2.14)."""
    with Tasks() as tasks:
        odd = Task.from_dict(task.to_dict(), tasks)
    odd.duration = float("nan")
    odd.payload_extension = {"x": float("-inf"), "y": [float("nan")]}
    with contextlib.nullcontext() if pydantic_core else python_dumps():
        as_json = odd.model_dump(mode="json")
        text = json.loads(odd.model_dump_json())
        picked = odd.model_dump(mode="json", include={"duration", "payload_extension"})
        python = odd.model_dump()
    for dumped in (as_json, picked):
        assert math.isnan(dumped["duration"])
        assert dumped["payload_extension"] == {"x": None, "y": [None]}
    assert text["duration"] is None
    assert text["payload_extension"] == {"x": None, "y": [None]}
    assert math.isnan(python["duration"]) and python["payload_extension"]["x"] == float("-inf")


def test_without_pydantic_core_the_text_writes_non_finite_floats_as_null() -> None:
    data = {"duration": float("nan"), "x": [float("inf"), 1e-05], "y": "ok"}
    assert _dump.json_text(data, None, False) == '{"duration":null,"x":[null,0.00001],"y":"ok"}'
