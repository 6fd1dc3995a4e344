"""The raw generated client, used directly, round-trips over real HTTP on loopback.

A small fixture server (stdlib, one thread) stands in for the platform here, so
these tests exercise only the generated layer: what it sends and how it parses.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from xpander_api_client import AuthenticatedClient
from xpander_api_client.api.tasks import (
    create_task,
    get_task,
    list_agent_tasks,
    report_execution_metrics,
)
from xpander_api_client.models import (
    AgentExecutionInput,
    AgentExecutionStatus,
    AttachmentKind,
    AttachmentRef,
    ConversationKind,
    Error,
    ExecutionMetricsAccepted,
    ExecutionMetricsReport,
    ExecutionTokens,
    LLMReasoningEffort,
    MessageIdentity,
    Principal,
    PrincipalKind,
    Task,
    TaskCreate,
    TasksListItem,
    TaskUpdateEvent,
    Tokens,
)

API_KEY = "test-key-123"


def _task(task_id: str, agent_id: str, text: str) -> dict[str, Any]:
    return {
        "id": task_id,
        "agent_id": agent_id,
        "organization_id": "org-1",
        "input": {"text": text, "files": [], "user": None},
        "status": "pending",
        "created_at": "2026-11-24T10:00:00Z",
        "result": None,
        "a_field_the_spec_does_not_know": {"kept": True},
    }


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    def _answer(self, status: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _record(self) -> dict[str, Any]:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        entry = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": body,
        }
        self.requests.append(entry)
        return entry

    def do_GET(self) -> None:
        self._record()
        if self.headers.get("x-api-key") != API_KEY:
            self._answer(401, {"detail": "bad key"})
        elif self.path == "/agent-execution/t-1/status":
            self._answer(200, _task("t-1", "a-1", "hello"))
        elif self.path.startswith("/agent-execution/executions/history/a-1"):
            self._answer(
                200,
                [
                    {
                        "id": "t-1",
                        "agent_id": "a-1",
                        "organization_id": "org-1",
                        "status": "completed",
                    }
                ],
            )
        else:
            self._answer(404, {"detail": "no such task"})

    def do_POST(self) -> None:
        entry = self._record()
        if self.path.startswith("/agents-metrics/"):
            self._answer(200, {"execution_id": entry["body"]["execution_id"], "recorded": True})
            return
        agent_id = self.path.rsplit("/", 1)[-1]
        self._answer(200, _task("t-new", agent_id, entry["body"]["input"]["text"]))


@pytest.fixture()
def server() -> Iterator[str]:
    _Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    # Polled every 50 ms, not 500: shutdown() waits for the loop to look.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _client(base_url: str, key: str = API_KEY) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=base_url, token=key, prefix="", auth_header_name="x-api-key"
    )


def test_get_task_sends_the_api_key_and_parses_a_task(server: str) -> None:
    with _client(server) as client:
        task = get_task.sync("t-1", client=client)
    assert isinstance(task, Task)
    assert task.id == "t-1"
    assert task.status is AgentExecutionStatus.Pending
    assert task.created_at == datetime.fromisoformat("2026-11-24T10:00:00+00:00")
    assert isinstance(task.input_, AgentExecutionInput) and task.input_.text == "hello"
    # A field the platform added later is kept, not dropped or refused.
    assert task.additional_properties["a_field_the_spec_does_not_know"] == {"kept": True}
    assert _Recorder.requests[0]["headers"]["x-api-key"] == API_KEY


async def test_create_task_asyncio_posts_the_body_and_headers(server: str) -> None:
    body = TaskCreate(
        input_=AgentExecutionInput(text="Analyze the sales data", files=["https://x/y.csv"])
    )
    async with _client(server) as client:
        response = await create_task.asyncio_detailed(
            "agent-7", client=client, body=body, x_agent_version="3", idempotency_key="key-1"
        )
    assert response.status_code == 200
    assert isinstance(response.parsed, Task)
    assert (response.parsed.id, response.parsed.agent_id) == ("t-new", "agent-7")
    sent = _Recorder.requests[0]
    assert (sent["method"], sent["path"]) == ("POST", "/agent-execution/agent-7")
    assert sent["headers"]["x-agent-version"] == "3"
    assert sent["headers"]["Idempotency-Key"] == "key-1"
    assert sent["body"]["input"] == {"text": "Analyze the sales data", "files": ["https://x/y.csv"]}


def test_list_agent_tasks_sends_filters_as_query(server: str) -> None:
    with _client(server) as client:
        items = list_agent_tasks.sync("a-1", client=client, status=AgentExecutionStatus.Completed)
    assert isinstance(items, list) and isinstance(items[0], TasksListItem)
    assert items[0].status is AgentExecutionStatus.Completed
    assert (
        _Recorder.requests[0]["path"] == "/agent-execution/executions/history/a-1?status=completed"
    )


def test_error_answers_parse_into_the_error_model(server: str) -> None:
    with _client(server, key="wrong") as client:
        response = get_task.sync_detailed("t-1", client=client)
    assert response.status_code == 401
    assert isinstance(response.parsed, Error) and response.parsed.detail == "bad key"


def test_the_newer_task_fields_parse_typed_and_serialize_back() -> None:
    newer = {
        "conversation_id": "c-1",
        "conversation_kind": "direct",
        "should_update_parent": True,
        "execution_kind": "resident",
        "is_gateway": False,
        "is_app": True,
        "background_auth_eligible": True,
        "tool_call_limit": 7,
        "must_deep_plan": False,
        "llm_model_provider": "openai",
        "llm_model_name": "gpt-x",
        "llm_reasoning_effort": "xhigh",
        "harness_cli": "codex",
        "permission_mode": "gated",
    }
    given_input = {
        "text": "t",
        "files": ["https://x/q3.pdf"],
        "user": None,
        "attachments": [{"url": "https://x/q3.pdf", "kind": "pdf", "size": 3}],
        "principal": {"kind": "api_key", "id": "k-1"},
    }
    raw = {**_task("t-1", "a-1", "t"), **newer, "input": given_input}
    task = Task.from_dict(raw)
    assert task.llm_reasoning_effort is LLMReasoningEffort.XHigh
    assert task.conversation_kind is ConversationKind.Direct
    assert (task.tool_call_limit, task.background_auth_eligible) == (7, True)
    assert isinstance(task.input_.principal, Principal)
    assert task.input_.principal.kind is PrincipalKind.api_key
    (attachment,) = task.input_.attachments or []
    assert isinstance(attachment, AttachmentRef) and attachment.kind is AttachmentKind.pdf
    assert "llm_model_name" not in task.additional_properties
    dumped = task.to_dict()
    assert {name: dumped[name] for name in newer} == newer
    assert dumped["input"]["principal"] == given_input["principal"]
    assert dumped["input"]["attachments"] == given_input["attachments"]


def test_an_event_identity_parses_and_may_be_null() -> None:
    base = {
        "type": "chunk",
        "task_id": "t-1",
        "organization_id": "o",
        "time": "2026-11-24T10:00:00Z",
    }
    named = TaskUpdateEvent.from_dict({**base, "data": "x", "identity": {"name": "Skill"}})
    assert isinstance(named.identity, MessageIdentity) and named.identity.name == "Skill"
    assert TaskUpdateEvent.from_dict({**base, "identity": None}).identity is None


def test_a_create_sends_the_newer_fields(server: str) -> None:
    body = TaskCreate(
        input_=AgentExecutionInput(
            text="t", principal=Principal(kind=PrincipalKind.slack, id="U1")
        ),
        llm_reasoning_effort=LLMReasoningEffort.Low,
        tool_call_limit=0,
        harness_cli=None,
    )
    with _client(server) as client:
        assert create_task.sync_detailed("a-1", client=client, body=body).status_code == 200
    sent = _Recorder.requests[0]["body"]
    assert sent["input"]["principal"] == {"kind": "slack", "id": "U1"}
    assert (sent["llm_reasoning_effort"], sent["tool_call_limit"]) == ("low", 0)
    assert sent["harness_cli"] is None  # explicitly null, as the published SDK sends it


def test_report_execution_metrics_posts_the_report(server: str) -> None:
    report = ExecutionMetricsReport(
        execution_id="t-1",
        source="sdk",
        memory_thread_id="t-1",
        task="summarize",
        status="completed",
        duration=0.0,
        ai_model="xpander",
        llm_tokens=ExecutionTokens(worker=Tokens(prompt_tokens=7, completion_tokens=5)),
    )
    with _client(server) as client:
        response = report_execution_metrics.sync_detailed(
            "a-1", client=client, body=report, idempotency_key="k-1"
        )
    assert response.status_code == 200
    assert isinstance(response.parsed, ExecutionMetricsAccepted)
    sent = _Recorder.requests[0]
    assert sent["path"] == "/agents-metrics/a-1/execution"
    assert sent["headers"]["Idempotency-Key"] == "k-1"
    assert sent["body"]["execution_id"] == "t-1"
    assert sent["body"]["llm_tokens"]["worker"]["prompt_tokens"] == 7
