"""Arguments are checked before any request: a wrong one raises ValueError or TypeError.

Hypothesis draws wrong arguments for every public call (an id that is not a
string or is blank, a status outside `AgentExecutionStatus`, a negative or
endless timeout, an unknown filter, a ``file_urls`` that is not a list, ...)
and checks that each raises ValueError, TypeError or a `ModuleException`
naming the argument, and that the emulator saw no request at all. Valid but
unusual arguments (unicode prompts, a status given as its string) work.

The quick runs take 50 examples each; ``XPANDER_FUZZ=1`` (``make fuzz``)
runs the ``fuzz`` variants with 2000.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xpander_api_client import models as gen

from xpander_sdk import (
    AgentExecutionStatus,
    Configuration,
    ModuleException,
    NotFoundError,
    OutputFormat,
    Task,
    Tasks,
    ThinkMode,
    User,
)

BUDGETS = [
    pytest.param(50, id="quick"),
    pytest.param(2000, id="fuzz", marks=pytest.mark.fuzz),
]
# The configuration fixture only says where the emulator is: sharing it is safe.
FIXTURE_REUSED = HealthCheck.function_scoped_fixture
REFUSED = (ValueError, TypeError, ModuleException)
TASK_JSON: dict[str, Any] = {
    "id": "t-args",
    "agent_id": "agent123",
    "organization_id": "org1",
    "input": {"text": "hi", "files": [], "user": None},
    "created_at": "2025-01-01T00:00:00Z",
    "status": "pending",
}

# -- wrong values ----------------------------------------------------------------

ANYTHING_BUT_NONE = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=4),
    st.lists(st.text(max_size=3), max_size=2),
    st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.builds(object),
    st.just(1 + 2j),
)
NOT_STR = ANYTHING_BUT_NONE.filter(lambda v: not isinstance(v, str))
BLANK = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000", max_size=4)
BAD_ID = st.one_of(st.none(), NOT_STR, BLANK)
BAD_OPTIONAL_ID = st.one_of(NOT_STR, BLANK)
NOT_BOOL = ANYTHING_BUT_NONE.filter(lambda v: not isinstance(v, bool)) | st.text(max_size=3)
NOT_MAPPING = st.one_of(
    st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2), st.booleans(),
    st.binary(max_size=3), st.builds(object),
)  # fmt: skip
STATUS_VALUES = {s.value for s in AgentExecutionStatus}
BAD_STATUS = st.one_of(
    st.text(max_size=12).filter(lambda s: s not in STATUS_VALUES),
    st.sampled_from(["Completed", "COMPLETED", " completed", "done", "cancelled"]),
    st.sampled_from([*OutputFormat, *ThinkMode]),  # members of the wrong enum
    NOT_STR,
)


def bad_enum(enum: type[Any]) -> st.SearchStrategy[Any]:
    values = {m.value for m in enum}
    return st.one_of(st.text(max_size=10).filter(lambda s: s not in values), NOT_STR)


BAD_SECONDS = st.one_of(
    st.floats(max_value=-1e-9),
    st.integers(max_value=-1),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e10, 1e308]),
    st.text(max_size=3),
    st.booleans(),
    st.lists(st.integers(), max_size=1),
)
BAD_COUNT = st.one_of(
    st.integers(max_value=-1),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.booleans(),
)
BAD_FILE_URLS = st.one_of(
    st.text(min_size=1, max_size=10),  # one URL, not a list of them
    st.binary(min_size=1, max_size=4),
    st.integers(),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), min_size=1, max_size=2),
    st.lists(NOT_STR, min_size=1, max_size=3),
    st.lists(st.text(max_size=5), max_size=2).map(lambda urls: [*urls, None]),
)
BAD_MCP_SERVERS = st.one_of(
    st.text(min_size=1, max_size=5),
    st.integers(),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), min_size=1, max_size=3),
)
BAD_USER = st.one_of(
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["first_name", "id", "timezone"]), st.text(max_size=3)),
    st.fixed_dictionaries({"email": NOT_STR}),
)
BAD_AGENT_VERSION = st.one_of(
    st.booleans(), st.floats(), st.lists(st.integers(), max_size=1), st.binary(max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)  # fmt: skip

# Every create argument, with what is wrong for it.
CREATE_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "agent_id": BAD_ID,
    "existing_task_id": BAD_OPTIONAL_ID,
    "prompt": NOT_STR,
    "file_urls": BAD_FILE_URLS,
    "user_details": BAD_USER,
    "agent_version": BAD_AGENT_VERSION,
    "tool_call_payload_extension": NOT_MAPPING,
    "source": NOT_STR,
    "worker_id": NOT_STR,
    "run_locally": NOT_BOOL,
    "output_format": bad_enum(OutputFormat),
    "output_schema": NOT_MAPPING,
    "events_streaming": NOT_BOOL,
    "additional_context": NOT_STR,
    "instructions_override": NOT_STR,
    "test_run_node_id": NOT_STR,
    "user_oidc_token": NOT_STR,
    "expected_output": NOT_STR,
    "mcp_servers": BAD_MCP_SERVERS,
    "triggering_agent_id": NOT_STR,
    "title": NOT_STR,
    "think_mode": bad_enum(ThinkMode),
    "disable_attachment_injection": NOT_BOOL,
    "return_metrics": NOT_BOOL,
    "user_tokens": NOT_MAPPING,
    "timeout": BAD_SECONDS,
    "max_retries": BAD_COUNT,
}
UPDATE_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "task_id": BAD_ID,
    "tool_call_payload_extension": NOT_MAPPING,
    "source": NOT_STR,
    "status": BAD_STATUS,
    "last_executed_node_id": NOT_STR,
    "result": NOT_STR,
    "timeout": BAD_SECONDS,
    "max_retries": BAD_COUNT,
}
ID_CALL_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "task_id": BAD_ID,
    "timeout": BAD_SECONDS,
    "max_retries": BAD_COUNT,
}
AGENT_FILTERS = ["user_id", "parent_task_id", "triggering_agent_id", "status", "internal_status"]
BAD_FILTERS = st.one_of(
    NOT_MAPPING,
    st.dictionaries(
        st.text(max_size=8).filter(lambda k: k not in AGENT_FILTERS), st.text(max_size=3),
        min_size=1, max_size=2,
    ),
    st.fixed_dictionaries({"status": BAD_STATUS}),
    st.sampled_from(AGENT_FILTERS).flatmap(
        lambda key: st.fixed_dictionaries({key: st.one_of(NOT_STR, BLANK)})
    ),
)  # fmt: skip
LIST_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "agent_id": BAD_ID,
    "filters": BAD_FILTERS,
    "timeout": BAD_SECONDS,
    "max_retries": BAD_COUNT,
}
CONFIGURATION_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "api_key": NOT_STR,
    "base_url": NOT_STR,
    "organization_id": NOT_STR,
    "timeout": BAD_SECONDS,
    "max_retries": BAD_COUNT.filter(lambda v: v is not None),
    "retry_timeout": BAD_SECONDS,
    "stream_idle_timeout": BAD_SECONDS,
    "max_stream_reconnects": BAD_COUNT,
}


def one_wrong(arguments: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[str, Any]]:
    """(name, wrong value) for one of ``arguments``."""
    return st.sampled_from(sorted(arguments)).flatmap(
        lambda name: st.tuples(st.just(name), arguments[name])
    )


# -- the check -------------------------------------------------------------------


def refused(emulator: Any, name: str, attempt: Callable[[], Any]) -> BaseException:
    """``attempt()`` raises ValueError, TypeError or an SDK error naming ``name``; no request."""
    before = emulator.stats()["requests"]
    with pytest.raises(REFUSED) as caught:
        attempt()
    assert emulator.stats()["requests"] == before, "a wrong argument reached the server"
    assert name.split("[")[0] in str(caught.value), f"{caught.value!r} does not name {name}"
    return caught.value


def run(awaitable: Awaitable[Any]) -> Any:
    async def inner() -> Any:
        return await awaitable

    return asyncio.run(inner())


def sync_and_async(tasks: Tasks, method: str) -> list[tuple[str, Callable[..., Any]]]:
    """The sync method, and a sync wrapper running its async twin."""
    sync = getattr(tasks, method)
    asynchronous = getattr(tasks, "a" + method)
    return [("sync", sync), ("async", lambda *a, **k: run(asynchronous(*a, **k)))]


VALID_CREATE = {"agent_id": "agent123"}
VALID_UPDATE = {"task_id": "t-args"}


# -- the calls -------------------------------------------------------------------


@pytest.mark.parametrize("budget", BUDGETS)
def test_create_refuses_any_wrong_argument(emulator: Any, tasks: Tasks, budget: int) -> None:
    forms = sync_and_async(tasks, "create")

    @settings(max_examples=budget, deadline=None)
    @given(wrong=one_wrong(CREATE_ARGS), form=st.sampled_from(forms))
    def check(wrong: tuple[str, Any], form: tuple[str, Callable[..., Any]]) -> None:
        name, value = wrong
        refused(emulator, name, lambda: form[1](**{**VALID_CREATE, name: value}))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_update_refuses_any_wrong_argument(emulator: Any, tasks: Tasks, budget: int) -> None:
    forms = sync_and_async(tasks, "update")

    @settings(max_examples=budget, deadline=None)
    @given(wrong=one_wrong(UPDATE_ARGS), form=st.sampled_from(forms))
    def check(wrong: tuple[str, Any], form: tuple[str, Callable[..., Any]]) -> None:
        name, value = wrong
        refused(emulator, name, lambda: form[1](**{**VALID_UPDATE, name: value}))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("method", ["get", "stop"])
def test_get_and_stop_refuse_any_wrong_argument(
    emulator: Any, tasks: Tasks, budget: int, method: str
) -> None:
    forms = sync_and_async(tasks, method)

    @settings(max_examples=budget, deadline=None)
    @given(wrong=one_wrong(ID_CALL_ARGS), form=st.sampled_from(forms))
    def check(wrong: tuple[str, Any], form: tuple[str, Callable[..., Any]]) -> None:
        name, value = wrong
        refused(emulator, name, lambda: form[1](**{**VALID_UPDATE, name: value}))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("method", ["list", "list_user_tasks"])
def test_list_refuses_any_wrong_argument_or_filter(
    emulator: Any, tasks: Tasks, budget: int, method: str
) -> None:
    forms = sync_and_async(tasks, method)
    first = "agent_id" if method == "list" else "user_id"
    arguments = {first if k == "agent_id" else k: v for k, v in LIST_ARGS.items()}

    @settings(max_examples=budget, deadline=None)
    @given(wrong=one_wrong(arguments), form=st.sampled_from(forms))
    def check(wrong: tuple[str, Any], form: tuple[str, Callable[..., Any]]) -> None:
        name, value = wrong
        if method == "list_user_tasks" and name == "filters" and isinstance(value, dict):
            value = {("user" if k == "user_id" else k): v for k, v in value.items()}
        refused(emulator, name, lambda: form[1](**{first: "someone", name: value}))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_set_status_refuses_a_wrong_status_or_result_and_changes_nothing(
    emulator: Any, tasks: Tasks, budget: int
) -> None:
    task = Task.from_dict(TASK_JSON, tasks)

    @settings(max_examples=budget, deadline=None)
    @given(
        wrong=one_wrong({"status": BAD_STATUS, "result": NOT_STR}),
        form=st.sampled_from(["sync", "async"]),
    )
    def check(wrong: tuple[str, Any], form: str) -> None:
        name, value = wrong
        arguments = {"status": "completed", "result": "done", name: value}
        if form == "sync":
            refused(emulator, name, lambda: task.set_status(**arguments))
        else:
            refused(emulator, name, lambda: run(task.aset_status(**arguments)))
        assert task.status is AgentExecutionStatus.Pending
        assert task.result is None

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_save_refuses_a_wrong_attribute(emulator: Any, tasks: Tasks, budget: int) -> None:
    @settings(max_examples=budget, deadline=None)
    @given(
        wrong=one_wrong(
            {
                "status": BAD_STATUS,
                "output_format": bad_enum(OutputFormat),
                "think_mode": bad_enum(ThinkMode),
                "internal_status": NOT_STR,
            }
        ),
        form=st.sampled_from(["sync", "async"]),
    )
    def check(wrong: tuple[str, Any], form: str) -> None:
        name, value = wrong
        task = Task.from_dict(TASK_JSON, tasks)
        setattr(task, name, value)
        save = task.save if form == "sync" else lambda: run(task.asave())
        refused(emulator, name, save)

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_load_refuses_a_wrong_id_or_configuration(
    emulator: Any, configuration: Configuration, budget: int
) -> None:
    @settings(max_examples=budget, deadline=None)
    @given(
        wrong=one_wrong({"task_id": BAD_ID, "configuration": NOT_STR}),
        form=st.sampled_from(["sync", "async"]),
    )
    def check(wrong: tuple[str, Any], form: str) -> None:
        name, value = wrong
        arguments = {"task_id": "t-args", "configuration": configuration, name: value}
        if form == "sync":
            refused(emulator, name, lambda: Task.load(**arguments))
        else:
            refused(emulator, name, lambda: run(Task.aload(**arguments)))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_tasks_and_configuration_refuse_wrong_settings(emulator: Any, budget: int) -> None:
    @settings(max_examples=budget, deadline=None)
    @given(wrong=one_wrong(CONFIGURATION_ARGS), not_a_configuration=NOT_STR)
    def check(wrong: tuple[str, Any], not_a_configuration: Any) -> None:
        name, value = wrong
        arguments = {"api_key": "k", "base_url": emulator.base_url, name: value}
        refused(emulator, name, lambda: Configuration(**arguments))
        refused(emulator, "configuration", lambda: Tasks(configuration=not_a_configuration))

    check()


# -- a few of them, spelled out --------------------------------------------------


@pytest.mark.parametrize(
    ("call", "name", "error"),
    [
        (lambda t: t.get(""), "task_id", ValueError),
        (lambda t: t.get("   "), "task_id", ValueError),
        (lambda t: t.get(None), "task_id", TypeError),
        (lambda t: t.get(42), "task_id", TypeError),
        (lambda t: t.stop("\t"), "task_id", ValueError),
        (lambda t: t.create(""), "agent_id", ValueError),
        (lambda t: t.create("a", file_urls="https://example.com/a.csv"), "file_urls", TypeError),
        (lambda t: t.create("a", output_format="pdf"), "output_format", ValueError),
        (lambda t: t.create("a", timeout=-1), "timeout", ValueError),
        (lambda t: t.create("a", user_details={"first_name": "Ada"}), "user_details", ValueError),
        (lambda t: t.create("a", output_schema={"x": math.nan}), "nan", ValueError),
        (lambda t: t.update("t1", status="done"), "status", ValueError),
        (lambda t: t.update("t1", status=3), "status", TypeError),
        (lambda t: t.list("a", {"owner": "me"}), "owner", ValueError),
        (lambda t: t.list("a", {"status": "finished"}), "status", ValueError),
        (lambda t: t.get("t1", timeout=math.inf), "timeout", ValueError),
        (lambda t: Task.load("t1", configuration="https://inbound.xpander.ai"), "configuration",
         TypeError),
    ],
)  # fmt: skip
def test_examples_of_refused_arguments(
    emulator: Any, tasks: Tasks, call: Callable[[Tasks], Any], name: str, error: type[Exception]
) -> None:
    assert type(refused(emulator, name, lambda: call(tasks))) is error


# -- valid, if unusual -----------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[FIXTURE_REUSED])
@given(prompt=st.text(max_size=200), title=st.text(max_size=20).filter(str.strip) | st.none())
def test_any_unicode_prompt_and_title_go_through_unchanged(
    configuration: Configuration, prompt: str, title: str | None
) -> None:
    with Tasks(configuration=configuration) as tasks:
        task = tasks.create("agent123", prompt=prompt, title=title)
        assert task.input.text == prompt
        assert task.title == title
        assert tasks.get(task.id).input.text == prompt


@settings(max_examples=15, deadline=None, suppress_health_check=[FIXTURE_REUSED])
@given(task_id=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and s.strip(".")))
def test_any_non_blank_id_is_sent_and_not_found(configuration: Configuration, task_id: str) -> None:
    with Tasks(configuration=configuration) as tasks, pytest.raises(NotFoundError) as caught:
        tasks.get(task_id)
    assert caught.value.status_code == 404


@pytest.mark.parametrize(
    "status",
    ["completed", AgentExecutionStatus.Completed, gen.AgentExecutionStatus.Completed],
    ids=["string", "member", "generated-member"],
)
async def test_a_status_may_be_given_as_its_string(atasks: Tasks, status: Any) -> None:
    task = await atasks.acreate("agent123", prompt="status as a string")

    updated = await atasks.aupdate(task.id, status=status)
    assert updated.status is AgentExecutionStatus.Completed

    await task.aset_status("paused", result="half way")
    assert task.status is AgentExecutionStatus.Paused
    assert task.result == "half way"

    listed = await atasks.alist("agent123", {"status": "paused"})
    assert task.id in {item.id for item in listed}
    assert all(item.status is AgentExecutionStatus.Paused for item in listed)


def test_valid_edge_arguments_of_create(tasks: Tasks) -> None:
    task = tasks.create(
        "agent123",
        prompt="",
        file_urls=("https://example.com/ä.csv",),  # a tuple is a sequence too
        user_details={"email": "ada@example.com", "first_name": "Ada"},
        agent_version=3,
        output_format="markdown",
        think_mode=ThinkMode.Harder,
        mcp_servers=[],
        user_tokens={},
        timeout=30,
        max_retries=0,
    )
    assert task.input.files == ["https://example.com/ä.csv"]
    assert task.input.user.email == "ada@example.com"
    assert task.output_format is OutputFormat.Markdown
    assert task.think_mode is ThinkMode.Harder
    assert task.agent_version == "3"

    user = User(email="grace@example.com")
    assert tasks.create("agent123", user_details=user).input.user.email == "grace@example.com"


#: Each call with one id as ``ID`` (a placeholder), and the argument that names it.
DOT_CALLS: list[tuple[str, tuple[Any, ...], str]] = [
    ("get", ("ID",), "task_id"),
    ("stop", ("ID",), "task_id"),
    ("update", ("ID",), "task_id"),
    ("patch", ("ID", {"result": "r"}), "task_id"),
    ("create", ("ID",), "agent_id"),
    ("list", ("ID",), "agent_id"),
    ("list_user_tasks", ("ID",), "user_id"),
    ("report_external_task", ("ID",), "agent_id"),
    ("get_activity_log", ("ID", "t-args"), "agent_id"),
    ("get_activity_log", ("agent123", "ID"), "task_id"),
]


@pytest.mark.parametrize("dots", [".", ".."])
@pytest.mark.parametrize(("method", "args", "name"), DOT_CALLS, ids=lambda v: str(v))
def test_an_id_of_dots_is_refused_before_it_leaves_its_path_segment(
    emulator: Any, tasks: Tasks, dots: str, method: str, args: tuple[Any, ...], name: str
) -> None:
    # Sent, ".." would climb out of its segment: get("..") would ask GET /agent-execution/status.
    arguments = tuple(dots if a == "ID" else a for a in args)
    for _, form in sync_and_async(tasks, method):
        error = refused(emulator, name, lambda form=form: form(*arguments))
        assert type(error) is ValueError


@pytest.mark.parametrize("dots", [".", ".."])
def test_a_task_whose_id_is_dots_streams_nothing(emulator: Any, tasks: Tasks, dots: str) -> None:
    task = Task.from_dict({**TASK_JSON, "id": dots, "events_streaming": True}, tasks)
    refused(emulator, "task.id", lambda: next(task.events()))
    refused(emulator, "task.id", lambda: run(task.aevents().__anext__()))
