"""Building requests: the bodies and queries of creates, updates, reports and listings.

Shared by the sync and async twins of `Tasks`: each method checks its arguments
and builds its request here, before any I/O, so a wrong argument raises
`TypeError` / `ValueError` naming itself and nothing is sent.

The create body is built by name from `CREATE_ARGUMENTS`, which maps each of
the published SDK's argument names to the spec's TaskCreate field it fills;
a test holds that table against the generated TaskCreate and against the
signatures of `Tasks.create` / `acreate`, so a field added to openapi.yaml
cannot be silently left out.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from xpander_api_client import models as gen
from xpander_api_client.api.tasks import list_agent_tasks, list_user_tasks
from xpander_api_client.types import UNSET

from ._convert import to_wire
from ._validate import (
    check_count,
    check_enum,
    check_id,
    check_optional_bool,
    check_optional_enum,
    check_optional_mapping,
    check_optional_str,
    check_seconds,
    check_str_list,
    check_token,
)
from .models import (
    AgentExecutionStatus,
    AttachmentKind,
    AttachmentRef,
    LLMReasoningEffort,
    OutputFormat,
    Principal,
    PrincipalKind,
    ThinkMode,
    Tokens,
    User,
)

Check = Callable[[Any, str], Any]


def _optional_id(value: Any, name: str) -> str | None:
    return None if value is None else check_id(value, name)


def _free_form(cls: Any) -> Check:
    """A check for a free-form JSON object, made into the generated model ``cls``."""

    def check(value: Any, name: str) -> Any:
        mapping = check_optional_mapping(value, name)
        return None if mapping is None else cls.from_dict(to_wire(mapping))

    return check


def _enum(enum: Any) -> Check:
    def check(value: Any, name: str) -> Any:
        return check_optional_enum(value, enum, name)

    return check


def _user(value: Any, name: str) -> User | None:
    if value is None or isinstance(value, User):
        return value
    if isinstance(value, Mapping):
        if not isinstance(value.get("email"), str):
            raise ValueError(f"{name} must have an 'email' (a str)")
        return User.from_dict(to_wire(value))
    dump = getattr(value, "model_dump", None)  # the published SDK's pydantic User
    if callable(dump):
        return User.from_dict(dump())
    raise TypeError(f"{name} must be a User or a dict, not {type(value).__name__}")


def _mcp_servers(value: Any, name: str) -> list[gen.MCPServerDetails] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list, not {type(value).__name__}")
    servers = []
    for server in value:
        if not isinstance(server, Mapping) and not callable(getattr(server, "model_dump", None)):
            raise TypeError(f"{name} must hold dicts, not {type(server).__name__}")
        servers.append(gen.MCPServerDetails.from_dict(to_wire(server)))
    return servers


def _model(value: Any, cls: Any, name: str, what: str) -> Any:
    """A generated model from itself, a mapping, or a pydantic model (the published SDK's)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        data = to_wire(value)
    elif callable(getattr(value, "model_dump", None)):
        data = to_wire(value.model_dump(mode="json"))
    else:
        raise TypeError(f"{name} must be a {what} or a dict, not {type(value).__name__}")
    try:
        return cls.from_dict(data)
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"{name} is not a valid {what}: {type(exc).__name__}: {exc}") from exc


def _principal(value: Any, name: str) -> Principal | None:
    """Who invoked the run: its id must be non-empty, without ':' and without whitespace."""
    if value is None:
        return None
    principal: Principal = _model(value, Principal, name, "Principal")
    principal.kind = check_enum(principal.kind, PrincipalKind, f"{name}.kind")
    ident = principal.id
    if not isinstance(ident, str):
        raise TypeError(f"{name}.id must be a str, not {type(ident).__name__}")
    if not ident or ":" in ident or any(c.isspace() for c in ident):
        raise ValueError(f"{name}.id must be non-empty, without ':' or whitespace, got {ident!r}")
    return principal


def _attachments(value: Any, name: str) -> list[AttachmentRef] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of AttachmentRef, not {type(value).__name__}")
    refs = [_model(v, AttachmentRef, f"{name}[{i}]", "AttachmentRef") for i, v in enumerate(value)]
    for i, ref in enumerate(refs):
        if not isinstance(ref.url, str) or not ref.url:
            raise ValueError(f"{name}[{i}].url must be a non-empty str")
        if ref.kind is not UNSET and ref.kind is not None:
            ref.kind = check_enum(ref.kind, AttachmentKind, f"{name}[{i}].kind")
        if ref.size is not UNSET and ref.size is not None:
            check_count(ref.size, f"{name}[{i}].size")
    return refs or None  # the published SDK sends attachments only when there are some


def _normalized(value: Any, name: str) -> str | None:
    """Free text the platform reads lower-cased and stripped; blank is None."""
    if isinstance(value, Enum):
        value = value.value
    text = check_optional_str(value, name)
    return (text.strip().lower() or None) if text is not None else None


def _count(value: Any, name: str) -> int | None:
    return None if value is None else check_count(value, name)


def _text(value: Any, name: str) -> str:
    return check_optional_str(value, name) or ""


def _files(value: Any, name: str) -> list[str]:
    return check_str_list(value, name) or []


#: The published SDK's create arguments -> (the TaskCreate field they fill, their check).
#: Each check returns the generated value, or None for "not sent".
CREATE_ARGUMENTS: dict[str, tuple[str, Check]] = {
    "existing_task_id": ("id", _optional_id),
    "tool_call_payload_extension": (
        "payload_extension",
        _free_form(gen.TaskCreatePayloadExtensionType0),
    ),
    "source": ("source", check_optional_str),
    "worker_id": ("worker_id", check_optional_str),
    "run_locally": ("run_locally", check_optional_bool),
    "output_format": ("output_format", _enum(OutputFormat)),
    "output_schema": ("output_schema", _free_form(gen.TaskCreateOutputSchemaType0)),
    "events_streaming": ("events_streaming", check_optional_bool),
    "additional_context": ("additional_context", check_optional_str),
    "instructions_override": ("instructions_override", check_optional_str),
    "test_run_node_id": ("test_run_node_id", check_optional_str),
    "user_oidc_token": ("user_oidc_token", check_optional_str),
    "expected_output": ("expected_output", check_optional_str),
    "mcp_servers": ("mcp_servers", _mcp_servers),
    "triggering_agent_id": ("triggering_agent_id", check_optional_str),
    "title": ("title", check_optional_str),
    "think_mode": ("think_mode", _enum(ThinkMode)),
    "disable_attachment_injection": ("disable_attachment_injection", check_optional_bool),
    "return_metrics": ("return_metrics", check_optional_bool),
    "user_tokens": ("user_tokens", _free_form(gen.TaskCreateUserTokensType0)),
    "llm_model_provider": ("llm_model_provider", check_optional_str),
    "llm_model_name": ("llm_model_name", check_optional_str),
    "llm_reasoning_effort": ("llm_reasoning_effort", _enum(LLMReasoningEffort)),
    "harness_cli": ("harness_cli", _normalized),
    "tool_call_limit": ("tool_call_limit", _count),
    "permission_mode": ("permission_mode", _normalized),
}

#: The published SDK's create arguments -> the AgentExecutionInput field they fill.
INPUT_ARGUMENTS: dict[str, tuple[str, Check]] = {
    "prompt": ("text", _text),
    "file_urls": ("files", _files),
    "user_details": ("user", _user),
    "principal": ("principal", _principal),
    "attachments": ("attachments", _attachments),
}

#: Create arguments that travel as headers rather than in the body.
HEADER_ARGUMENTS: dict[str, str] = {
    "agent_version": "x_agent_version",
    "idempotency_key": "idempotency_key",
}


def _agent_version(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"agent_version must be a str, not {type(value).__name__}")
    return str(value)


@dataclass(frozen=True)
class CreateRequest:
    """A checked create: the path argument and the generated call's keyword arguments."""

    agent_id: str
    kwargs: dict[str, Any]
    idempotency_key: str


def create_request(agent_id: str, arguments: Mapping[str, Any]) -> CreateRequest:
    """Check the create ``arguments`` (by the published SDK's names) and build the request.

    ``arguments`` may hold other names too (the method's own locals); only the
    create arguments are read.
    """
    check_id(agent_id, "agent_id")
    body: dict[str, Any] = {}
    for name, (field, check) in CREATE_ARGUMENTS.items():
        value = arguments.get(name)
        if value is not None:  # every check takes None as "not sent": no call to make
            value = check(value, name)
            if value is not None:
                body[field] = value
    given = {
        field: check(arguments.get(name), name) for name, (field, check) in INPUT_ARGUMENTS.items()
    }
    version = _agent_version(arguments.get("agent_version"))
    # One key per logical create, the same on each retry (and on the caller's own
    # retries, when the caller gives it): never two tasks.
    key = arguments.get("idempotency_key")
    key = str(uuid.uuid4()) if key is None else check_token(key, "idempotency_key")
    kwargs: dict[str, Any] = {
        # Built with the generated model's constructor: every argument is
        # checked above, so there is nothing left for a from_dict to parse.
        "body": gen.TaskCreate(input_=gen.AgentExecutionInput(**given), **body),
        HEADER_ARGUMENTS["idempotency_key"]: key,
    }
    if version is not None:
        kwargs[HEADER_ARGUMENTS["agent_version"]] = version
    return CreateRequest(agent_id, kwargs, key)


def update_body(
    tool_call_payload_extension: Mapping[str, Any] | None,
    source: str | None,
    status: AgentExecutionStatus | str | None,
    last_executed_node_id: str | None,
    result: str | None,
) -> dict[str, Any]:
    """The partial task an update sends: the fields given, checked, as JSON."""
    body = {
        "payload_extension": check_optional_mapping(
            tool_call_payload_extension, "tool_call_payload_extension"
        ),
        "source": check_optional_str(source, "source"),
        "status": to_wire(check_optional_enum(status, AgentExecutionStatus, "status")),
        "last_executed_node_id": check_optional_str(last_executed_node_id, "last_executed_node_id"),
        "result": check_optional_str(result, "result"),
    }
    return {k: v for k, v in body.items() if v is not None}


def patch_body(fields: Mapping[str, Any]) -> gen.TaskUpdate:
    """A partial task (JSON fields by their wire names) as the generated update body."""
    if not isinstance(fields, Mapping):
        raise TypeError(f"fields must be a dict, not {type(fields).__name__}")
    return gen.TaskUpdate.from_dict(to_wire(dict(fields)))


def report_request(
    agent_id: str,
    id: str | None,
    input: str | None,
    llm_response: Any,
    tokens: Tokens | Mapping[str, Any] | None,
    is_success: bool | None,
    result: str | None,
    duration: float | None,
    used_tools: Sequence[str] | None,
) -> dict[str, Any]:
    """The generated report call's keyword arguments (its body and an idempotency key)."""
    check_id(agent_id, "agent_id")
    if id is not None:
        check_id(id, "id")
    if tokens is not None and not isinstance(tokens, (Tokens, Mapping)):
        raise TypeError(f"tokens must be a Tokens or a dict, not {type(tokens).__name__}")
    body = {
        "id": id,
        "input": check_optional_str(input, "input"),
        "llm_response": to_wire(llm_response),
        "tokens": to_wire(tokens),
        "is_success": check_optional_bool(is_success, "is_success"),
        "result": check_optional_str(result, "result"),
        "duration": check_seconds(duration, "duration", allow_none=True),
        "used_tools": check_str_list(used_tools, "used_tools"),
    }
    report = gen.TaskReport.from_dict({k: v for k, v in body.items() if v is not None})
    if llm_response is None:
        report.llm_response = UNSET
    return {"body": report, "idempotency_key": str(uuid.uuid4())}


def metrics_request(
    *,
    task_id: str,
    source: str | None,
    text: str | None,
    status: AgentExecutionStatus | None,
    internal_status: str | None,
    duration: float | None,
    model_name: str | None,
    used_tools: Sequence[str] | None,
    return_metrics: bool | None,
    result: str | None,
    tokens: Tokens | None,
) -> dict[str, Any]:
    """The generated metrics call's keyword arguments, filled from a task as the published SDK does.

    Raises ValueError when the task has no tokens: there is nothing to report.
    """
    if tokens is None:
        raise ValueError("tokens must be provided: set task.tokens = Tokens(...) first")
    # An orchestration run that returns its metrics reports none of its own.
    orchestrated = bool(return_metrics) and source == "orchestration"
    body = gen.ExecutionMetricsReport(
        execution_id=task_id,
        source=source or "",  # required by the API; a task may have none
        memory_thread_id=task_id,
        task=text or "",
        status=(status or AgentExecutionStatus.Pending).value,
        internal_status=internal_status,
        duration=float(duration or 0.0),
        ai_model=(model_name or "").strip().lower() or "xpander",
        api_calls_made=[] if orchestrated else list(used_tools or []),
        result=result or None,
        llm_tokens=gen.ExecutionTokens() if orchestrated else gen.ExecutionTokens(worker=tokens),
    )
    return {"body": body, "idempotency_key": str(uuid.uuid4())}


# A clarifying question may be followed by closing quotes or brackets, or a short "(y/n)".
_QUESTION_TAIL = re.compile(r"[)\]}\"'\u201d\u2019\s]*(\([^()]{0,14}\))?[)\]}\"'\u201d\u2019\s]*")


def ends_with_question(text: str | None) -> bool:
    """True when a result's last non-empty line ends by asking a question."""
    if not isinstance(text, str) or not text.strip():
        return False
    line = text.strip().splitlines()[-1].strip()
    mark = line.rfind("?")
    if mark == -1:
        return False
    tail = line[mark + 1 :].strip()
    return not tail or (len(tail) <= 16 and _QUESTION_TAIL.fullmatch(tail) is not None)


def _query_parameters(operation: Any) -> tuple[str, ...]:
    """The query parameters of a generated list operation: its keyword-only arguments."""
    params = inspect.signature(operation.sync_detailed).parameters.values()
    return tuple(
        p.name
        for p in params
        if p.kind is p.KEYWORD_ONLY and p.name not in ("client", "extensions")
    )


#: The filters each listing takes: the spec's query parameters of its operation.
AGENT_FILTERS = _query_parameters(list_agent_tasks)
USER_FILTERS = _query_parameters(list_user_tasks)


def list_query(filters: Mapping[str, Any] | None, allowed: Sequence[str]) -> dict[str, Any]:
    """The generated list call's query arguments from the published SDK's ``filters`` dict."""
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise TypeError(f"filters must be a dict, not {type(filters).__name__}")
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if key not in allowed:
            raise ValueError(f"filters: unknown filter {key!r}; supported: {', '.join(allowed)}")
        if value is None:
            continue
        if key == "status":
            out[key] = check_enum(value, AgentExecutionStatus, "filters['status']")
        else:
            out[key] = check_id(value, f"filters[{key!r}]")
    return out
