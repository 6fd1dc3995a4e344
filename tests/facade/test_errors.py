"""Every failure a caller handles differently raises its own error class.

Status errors come from the emulator where it can give them (401, 404, 422,
and 429 / 500 / 503 as injected faults), and from a canned server on loopback
(`servers.CannedServer`) for what it never says: 403, 409, a proxy's HTML
page, invalid or truncated JSON, an empty 200, JSON of the wrong shape, and
silence. Each test runs the sync and the async form of the call.

Every error is a `ModuleException` carrying the status (None without an
answer), the parsed body, the request's method and URL, and the server's
detail as its description; none carries the API key.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xpander_sdk import (
    AgentExecutionStatus,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Configuration,
    ConflictError,
    MalformedResponseError,
    ModuleException,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    Task,
    Tasks,
    ValidationError,
)

from .servers import TASK_JSON, Answer, CannedServer, closed_port

# Async calls run on each HTTP backend (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("http_backend")

FORMS = ["sync", "async"]
KEY = "sk-errors-9d2e61b0c4"
LIST_ITEM_JSON: dict[str, Any] = {
    "id": "t1",
    "agent_id": "agent123",
    "organization_id": "org1",
    "status": "pending",
}


async def call(tasks: Tasks, form: str, method: str, *args: Any, **kwargs: Any) -> Any:
    """``tasks.<method>(...)`` in the sync form, ``await tasks.a<method>(...)`` in the async one."""
    if form == "sync":
        return getattr(tasks, method)(*args, **kwargs)
    return await getattr(tasks, "a" + method)(*args, **kwargs)


async def save(task: Task, form: str) -> Task:
    return task.save() if form == "sync" else await task.asave()


def check_error(
    error: ModuleException,
    *,
    status: int | None,
    method: str,
    path: str,
    keys: tuple[str, ...] = (),
) -> None:
    """What every SDK error carries, and what none of them carries."""
    assert isinstance(error, ModuleException)
    assert error.status_code == status
    assert error.method == method
    assert error.url is not None and httpx.URL(error.url).path == path
    assert error.description
    for key in keys:
        assert key not in str(error)
        assert key not in repr(error)
        assert key not in str(error.url)
        assert key not in json.dumps(error.body, default=str)
    assert not isinstance(error, (KeyError, AttributeError, httpx.HTTPError))


@pytest.fixture()
async def emu_tasks(configuration: Configuration) -> AsyncIterator[Tasks]:
    """One client, used in both its sync and async forms."""
    client = Tasks(configuration=configuration)
    yield client
    await client.aclose()


@pytest.fixture()
def canned() -> Iterator[CannedServer]:
    with CannedServer() as server:
        yield server


@pytest.fixture()
async def canned_tasks(canned: CannedServer) -> AsyncIterator[Tasks]:
    client = Tasks(Configuration(api_key=KEY, base_url=canned.base_url, max_retries=0))
    yield client
    await client.aclose()


# -- from the emulator -----------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
async def test_a_wrong_api_key_raises_authentication_error(emulator: Any, form: str) -> None:
    wrong = "sk-wrong-0a1b2c3d4e"
    config = Configuration(api_key=wrong, base_url=emulator.base_url)
    async with Tasks(configuration=config) as tasks:
        with pytest.raises(AuthenticationError) as caught:
            await call(tasks, form, "get", "t1")

    error = caught.value
    check_error(
        error, status=401, method="GET", path="/agent-execution/t1/status", keys=(wrong, KEY)
    )
    assert isinstance(error, APIStatusError)
    assert isinstance(error.body, dict)
    assert error.description == error.body["detail"]
    assert "API key" in error.description


@pytest.mark.parametrize("form", FORMS)
async def test_an_unknown_task_raises_not_found(emu_tasks: Tasks, emulator: Any, form: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        await call(emu_tasks, form, "get", "no-such-task")

    error = caught.value
    check_error(
        error,
        status=404,
        method="GET",
        path="/agent-execution/no-such-task/status",
        keys=(emulator.api_key,),
    )
    assert isinstance(error.body, dict)
    assert error.description == error.body["detail"]
    assert "no-such-task" in error.description


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("method", ["stop", "update"])
async def test_stopping_or_updating_an_unknown_task_raises_not_found(
    emu_tasks: Tasks, form: str, method: str
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await call(emu_tasks, form, method, "no-such-task")
    assert caught.value.status_code == 404
    assert caught.value.method in ("DELETE", "PATCH")


@pytest.mark.parametrize("form", FORMS)
async def test_a_refused_update_raises_validation_error_naming_the_field(
    emu_tasks: Tasks, emulator: Any, form: str
) -> None:
    task = await call(emu_tasks, form, "create", "agent123", prompt="validate me")
    task.internal_status = "x" * 300  # the API takes at most 255 characters

    with pytest.raises(ValidationError) as caught:
        await save(task, form)

    error = caught.value
    check_error(
        error,
        status=422,
        method="PATCH",
        path=f"/agent-execution/{task.id}/update",
        keys=(emulator.api_key,),
    )
    assert isinstance(error, BadRequestError)
    assert isinstance(error.body, dict)
    assert error.description == error.body["detail"]
    assert [e["field"] for e in error.errors] == ["body.internal_status"]
    assert "too long" in error.errors[0]["reason"]
    # Nothing was changed on the server.
    assert (await call(emu_tasks, form, "get", task.id)).internal_status is None


@pytest.mark.parametrize("form", FORMS)
async def test_429_raises_rate_limit_error_with_retry_after(
    emu_tasks: Tasks, emulator: Any, form: str
) -> None:
    task = await call(emu_tasks, form, "create", "agent123")
    before = emulator.stats()["faults_injected"].get("status", 0)
    emulator.inject(kind="status", status=429, retry_after="7", path="/status$")

    with pytest.raises(RateLimitError) as caught:
        await call(emu_tasks, form, "get", task.id, max_retries=0)

    error = caught.value
    check_error(
        error,
        status=429,
        method="GET",
        path=f"/agent-execution/{task.id}/status",
        keys=(emulator.api_key,),
    )
    assert error.retry_after == 7.0
    assert isinstance(error.body, dict)
    assert error.description == error.body["detail"]
    assert emulator.stats()["faults_injected"]["status"] - before == 1


@pytest.mark.parametrize("form", FORMS)
async def test_429_without_retry_after_has_none(emu_tasks: Tasks, emulator: Any, form: str) -> None:
    emulator.inject(kind="status", status=429, path="/history/")
    with pytest.raises(RateLimitError) as caught:
        await call(emu_tasks, form, "list", "agent123", max_retries=0)
    assert caught.value.retry_after is None


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_raises_server_error(
    emu_tasks: Tasks, emulator: Any, form: str, status: int
) -> None:
    task = await call(emu_tasks, form, "create", "agent123")
    emulator.inject(kind="status", status=status, method="DELETE")

    with pytest.raises(ServerError) as caught:
        await call(emu_tasks, form, "stop", task.id, max_retries=0)

    check_error(
        caught.value,
        status=status,
        method="DELETE",
        path=f"/agent-execution/{task.id}",
        keys=(emulator.api_key,),
    )
    assert caught.value.description == f"Injected fault: status {status}"


@pytest.mark.parametrize("form", FORMS)
async def test_a_server_error_is_raised_once_the_retries_are_spent(
    emu_tasks: Tasks, emulator: Any, form: str
) -> None:
    task = await call(emu_tasks, form, "create", "agent123")
    before = emulator.stats()["faults_injected"]["status"]
    emulator.inject(kind="status", status=503, retry_after="0", count=5, path="/status$")

    with pytest.raises(ServerError):
        await call(emu_tasks, form, "get", task.id, max_retries=2)

    assert emulator.stats()["faults_injected"]["status"] - before == 3  # one try, two retries


# -- from a canned server --------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("answer", "error_class", "description"),
    [
        (Answer.json({"detail": "This key may not read tasks"}, status=403),
         PermissionDeniedError, "This key may not read tasks"),
        (Answer.json({"detail": "The task is being stopped"}, status=409),
         ConflictError, "The task is being stopped"),
        (Answer(status=409, body=b"conflict, try later", content_type="text/plain"),
         ConflictError, "conflict, try later"),
        (Answer.json({"message": "slow down"}, status=429), RateLimitError, "slow down"),
        (Answer.json({"detail": "bad body"}, status=400), BadRequestError, "bad body"),
        (Answer.json({"detail": "too large"}, status=413), BadRequestError, "too large"),
        (Answer.json({"detail": "I'm a teapot"}, status=418), APIStatusError, "I'm a teapot"),
        (Answer(status=500), ServerError, "HTTP 500"),
    ],
    ids=["403", "409", "409-text", "429-message", "400", "413", "418", "500-empty"],
)  # fmt: skip
async def test_status_errors_of_a_real_server(
    canned: CannedServer,
    canned_tasks: Tasks,
    form: str,
    answer: Answer,
    error_class: type[APIStatusError],
    description: str,
) -> None:
    canned.answer = answer

    with pytest.raises(error_class) as caught:
        await call(canned_tasks, form, "get", "t1")

    error = caught.value
    assert type(error) is error_class
    check_error(
        error, status=answer.status, method="GET", path="/agent-execution/t1/status", keys=(KEY,)
    )
    assert error.description == description
    if not answer.body:
        assert error.body is None
    elif answer.content_type == "application/json":
        assert error.body == json.loads(answer.body)
    else:
        assert error.body == answer.body.decode()
    assert canned.requests == 1


@pytest.mark.parametrize("form", FORMS)
async def test_a_proxys_html_error_page_raises_server_error(
    canned: CannedServer, canned_tasks: Tasks, form: str
) -> None:
    canned.answer = Answer.html(status=502)

    with pytest.raises(ServerError) as caught:
        await call(canned_tasks, form, "list", "agent123")

    error = caught.value
    check_error(
        error,
        status=502,
        method="GET",
        path="/agent-execution/executions/history/agent123",
        keys=(KEY,),
    )
    assert isinstance(error.body, str) and "502 Bad Gateway" in error.body
    assert "Bad Gateway" in error.description


# A Task-returning call for each operation, with the method and path it uses.
OPERATIONS: list[tuple[str, tuple[Any, ...], dict[str, Any], str, str]] = [
    ("get", ("t1",), {}, "GET", "/agent-execution/t1/status"),
    ("create", ("agent123",), {"prompt": "hi"}, "POST", "/agent-execution/agent123"),
    ("update", ("t1",), {"status": "completed"}, "PATCH", "/agent-execution/t1/update"),
    ("stop", ("t1",), {}, "DELETE", "/agent-execution/t1"),
]

MALFORMED: list[tuple[str, Answer, str]] = [
    ("invalid-json", Answer(body=b"{not json"), "not valid JSON"),
    ("html-200", Answer.html(status=200), "not valid JSON"),
    ("empty-200", Answer(), "empty body"),
    ("truncated-json", Answer(body=json.dumps(TASK_JSON).encode()[:40]), "not valid JSON"),
    ("a-list", Answer.json([TASK_JSON]), "expected a Task"),
    ("null", Answer.json(None), "expected a Task"),
    ("a-string", Answer.json("ok"), "expected a Task"),
    ("missing-id", Answer.json({k: v for k, v in TASK_JSON.items() if k != "id"}), "'id'"),
    ("bad-date", Answer.json({**TASK_JSON, "created_at": "yesterday"}), "yesterday"),
    ("input-not-object", Answer.json({**TASK_JSON, "input": "hi"}), "expected a Task"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("case", "answer", "hint"), MALFORMED, ids=[m[0] for m in MALFORMED])
@pytest.mark.parametrize(
    ("method", "args", "kwargs", "http_method", "path"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
async def test_a_malformed_task_answer_raises_malformed_response_error(
    canned: CannedServer,
    canned_tasks: Tasks,
    form: str,
    case: str,
    answer: Answer,
    hint: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    http_method: str,
    path: str,
) -> None:
    canned.answer = answer

    with pytest.raises(MalformedResponseError) as caught:
        await call(canned_tasks, form, method, *args, **kwargs)

    error = caught.value
    check_error(error, status=200, method=http_method, path=path, keys=(KEY,))
    assert "expected a Task" in error.description
    assert hint in error.description
    if answer.body and case not in ("invalid-json", "html-200", "truncated-json"):
        assert error.body == json.loads(answer.body)  # the JSON as it came
    assert canned.requests == 1


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "answer",
    [
        Answer.json(TASK_JSON),  # an object where an array belongs
        Answer.json([{**LIST_ITEM_JSON, "status": "done"}]),  # not a status
        Answer.json([LIST_ITEM_JSON, "t2"]),
        Answer.json([{k: v for k, v in LIST_ITEM_JSON.items() if k != "status"}]),
        Answer(body=b"[" + json.dumps(LIST_ITEM_JSON).encode()),
    ],
    ids=["object", "bad-status", "string-item", "missing-status", "truncated"],
)
async def test_a_malformed_list_answer_raises_malformed_response_error(
    canned: CannedServer, canned_tasks: Tasks, form: str, answer: Answer
) -> None:
    canned.answer = answer
    with pytest.raises(MalformedResponseError) as caught:
        await call(canned_tasks, form, "list", "agent123")
    check_error(
        caught.value,
        status=200,
        method="GET",
        path="/agent-execution/executions/history/agent123",
        keys=(KEY,),
    )
    assert "expected an array of TasksListItem" in caught.value.description


@pytest.mark.parametrize("form", FORMS)
async def test_a_body_cut_short_of_its_length_is_a_connection_error(
    canned: CannedServer, canned_tasks: Tasks, form: str
) -> None:
    # The server promises 500 bytes, sends 40, and closes: on the wire that is
    # a dropped connection (the answer may come whole on another try), not a
    # wrong answer, so it is an APIConnectionError, not a MalformedResponseError.
    canned.answer = Answer(body=json.dumps(TASK_JSON).encode()[:40], content_length=500)

    with pytest.raises(APIConnectionError) as caught:
        await call(canned_tasks, form, "get", "t1")

    error = caught.value
    assert not isinstance(error, (APITimeoutError, MalformedResponseError))
    check_error(error, status=None, method="GET", path="/agent-execution/t1/status", keys=(KEY,))
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert "RemoteProtocolError" in error.description


@pytest.mark.parametrize("form", FORMS)
async def test_a_closed_port_raises_connection_error(form: str) -> None:
    port = closed_port()
    config = Configuration(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    async with Tasks(configuration=config) as tasks:
        with pytest.raises(APIConnectionError) as caught:
            await call(tasks, form, "get", "t1")

    error = caught.value
    assert not isinstance(error, APITimeoutError)
    check_error(error, status=None, method="GET", path="/agent-execution/t1/status", keys=(KEY,))
    assert error.body is None
    assert isinstance(error.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("form", FORMS)
async def test_a_server_that_never_answers_raises_timeout_error(
    canned: CannedServer, canned_tasks: Tasks, form: str
) -> None:
    canned.answer = Answer(hang=True)

    with pytest.raises(APITimeoutError) as caught:
        await call(canned_tasks, form, "get", "t1", timeout=0.2)

    error = caught.value
    assert isinstance(error, APIConnectionError)
    assert isinstance(error, TimeoutError)
    check_error(error, status=None, method="GET", path="/agent-execution/t1/status", keys=(KEY,))
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert canned.requests == 1


@pytest.mark.parametrize("form", FORMS)
async def test_a_timeout_is_retried_before_it_is_raised(canned: CannedServer, form: str) -> None:
    canned.answer = Answer(hang=True)
    config = Configuration(api_key=KEY, base_url=canned.base_url, timeout=0.2, max_retries=1)
    async with Tasks(configuration=config) as tasks:
        with pytest.raises(APITimeoutError):
            await call(tasks, form, "get", "t1")
    assert canned.requests == 2


@pytest.mark.parametrize("form", FORMS)
async def test_a_task_from_a_real_server_passes(
    canned: CannedServer, canned_tasks: Tasks, form: str
) -> None:
    # The canned answers above fail for what they hold, not for the server.
    canned.answer = Answer.json(TASK_JSON)
    task = await call(canned_tasks, form, "get", "t1")
    assert task.id == "t1"
    assert task.status is AgentExecutionStatus.Pending


def test_error_repr_and_message() -> None:
    error = NotFoundError(
        404, "Task 'x' not found", body={"detail": "Task 'x' not found"}, method="GET", url="u"
    )
    assert repr(error) == "NotFoundError(status_code=404, description=\"Task 'x' not found\")"
    assert str(error) == "[GET u -> 404] Task 'x' not found"


# -- whatever a server answers, only SDK errors come out ---------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
TASK_FIELDS = [
    *TASK_JSON,
    *("deep_planning", "tokens", "hitl_request", "pending_eca_request", "mcp_servers"),
    *("user_tokens", "sub_executions", "output_format", "think_mode", "started_at", "duration"),
    "execution_attempts",
]


@st.composite
def task_like(draw: st.DrawFn) -> Any:
    """A Task's JSON with some fields swapped for any JSON at all, or any JSON."""
    if draw(st.booleans()):
        return draw(JSON)
    body = dict(TASK_JSON)
    for name in draw(st.lists(st.sampled_from(TASK_FIELDS), min_size=1, max_size=4)):
        body[name] = draw(JSON)
    return body


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=task_like(), status=st.sampled_from([200, 200, 200, 400, 404, 422, 500]))
def test_any_answer_gives_a_task_or_an_sdk_error(
    canned: CannedServer, body: Any, status: int
) -> None:
    canned.answer = Answer.json(body, status=status)
    with Tasks(Configuration(api_key=KEY, base_url=canned.base_url, max_retries=0)) as tasks:
        for method in ("get", "list"):
            try:
                result = getattr(tasks, method)("t1")
            except ModuleException as error:
                assert error.status_code == status
                assert KEY not in str(error)
            else:
                assert status == 200
                assert isinstance(result, (Task, list))


@pytest.mark.parametrize("form", FORMS)
async def test_a_status_this_sdk_does_not_know_is_kept_and_saved_back_untouched(
    canned: CannedServer, canned_tasks: Tasks, form: str
) -> None:
    canned.answer = Answer.json({**TASK_JSON, "status": "queued", "output_format": "video"})
    task = await call(canned_tasks, form, "get", "t1")
    assert task.status == "queued"

    task.result = "done"
    await save(task, form)

    assert json.loads(canned.seen[-1].body) == {"result": "done"}
