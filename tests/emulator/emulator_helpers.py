"""Helpers for the emulator's tests: an HTTP client whose every answer is checked against
``openapi.yaml`` (openapi-core response validation), and an SSE reader."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_schema_validator import OAS31Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.spec import load_spec, openapi


class _SpecRequest:
    def __init__(self, request: httpx.Request) -> None:
        self.host_url = "http://emulator.invalid"
        self.path = request.url.path.rstrip("/") or "/"
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = "application/json"
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(list(request.headers.items())),
        )


class _SpecResponse:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("content-type", "")
        self.data = response.content


def check_response(response: httpx.Response) -> None:
    """Raise if ``response`` (a read, non-stream answer) breaks the spec."""
    if response.request.url.path.startswith("/_emulator"):
        return
    try:
        openapi().validate_response(_SpecRequest(response.request), _SpecResponse(response))
    except PathError:
        # a path the spec lacks (a test of unknown or empty paths): only errors may answer it
        assert response.status_code >= 400, response.request.url
    if response.status_code >= 400:
        validator("Error").validate(response.json())


def validator(schema_name: str) -> OAS31Validator:
    schema = {
        "$ref": f"#/components/schemas/{schema_name}",
        "components": load_spec()["components"],
    }
    return OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER)


def check_event(event: dict[str, Any]) -> None:
    """Raise if a stream event breaks TaskUpdateEvent (and, for task_*, Task with all fields)."""
    validator("TaskUpdateEvent").validate(event)
    if event["type"].startswith("task_"):
        validator("Task").validate(event["data"])
        missing = set(load_spec()["components"]["schemas"]["Task"]["properties"]) - set(
            event["data"]
        )
        assert not missing, f"event data lacks Task fields {missing}"


@dataclass
class Stream:
    """What an event stream sent, in order."""

    status: int
    retry: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return [e["type"] for e in self.events]


def read_stream(
    client: httpx.Client,
    organization_id: str,
    task_id: str,
    *,
    last_event_id: int | None = None,
    trailing_slash: bool = False,
    stop_after: int | None = None,
) -> Stream:
    """Read a task's SSE stream to its end (or ``stop_after`` events), checking each event."""
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    url = f"/{organization_id}/agent-execution/{task_id}/events" + ("/" if trailing_slash else "")
    with client.stream("GET", url, headers=headers) as response:
        out = Stream(response.status_code)
        if response.status_code != 200:
            response.read()
            check_response(response)
            return out
        assert response.headers["content-type"].startswith("text/event-stream")
        event_id: int | None = None
        for line in response.iter_lines():
            if line.startswith("retry:"):
                out.retry.append(line[6:].strip())
            elif line.startswith(":"):
                out.comments.append(line[1:].strip())
            elif line.startswith("id:"):
                event_id = int(line[3:].strip())
            elif line.startswith("data:"):
                event = json.loads(line[5:].strip())
                check_event(event)
                assert event_id is not None, "an event without an id: line"
                out.ids.append(event_id)
                out.events.append(event)
                event_id = None
                if stop_after is not None and len(out.events) >= stop_after:
                    break
        return out


def check_request_id(response: httpx.Response) -> str:
    """The answer's ``x-request-id`` (every answer has one: a uuid4 in hex)."""
    request_id = response.headers.get("x-request-id", "")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), (response.request.url, request_id)
    return request_id


#: The TLS context of every client `make_client` makes: loading the CA bundle costs tens of
#: milliseconds a client, and the emulator speaks plain HTTP on loopback anyway.
TLS = httpx.create_ssl_context()


def make_client(server: EmulatorServer, **kwargs: Any) -> httpx.Client:
    """An httpx client of ``server`` with its key; every answer is checked against the spec
    and must carry an ``x-request-id``."""

    def hook(response: httpx.Response) -> None:
        check_request_id(response)
        if "text/event-stream" not in response.headers.get("content-type", ""):
            response.read()
            check_response(response)

    return httpx.Client(
        base_url=server.base_url,
        headers={"x-api-key": server.api_key},
        event_hooks={"response": [hook]},
        timeout=10.0,
        verify=TLS,
        **kwargs,
    )


def create(
    client: httpx.Client, agent_id: str, text: str = "hello", **fields: Any
) -> dict[str, Any]:
    response = client.post(f"/agent-execution/{agent_id}", json={"input": {"text": text}, **fields})
    assert response.status_code == 200, response.text
    task: dict[str, Any] = response.json()
    return task


def wait_status(client: httpx.Client, organization_id: str, task_id: str) -> dict[str, Any]:
    """The task once its stream has ended (its run finished), read fresh."""
    read_stream(client, organization_id, task_id)
    task: dict[str, Any] = client.get(f"/agent-execution/{task_id}/status").json()
    return task
