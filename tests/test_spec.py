"""openapi.yaml against the wire-format reference: its routes and objects, as it states them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"

# (operation id, method, path) for every route of the reference's table.
ROUTES = [
    ("create_task", "post", "/agent-execution/{agent_or_task_id}"),
    ("list_agent_tasks", "get", "/agent-execution/executions/history/{agent_id}"),
    ("list_user_tasks", "get", "/agent-execution/executions/history/user/{user_id}"),
    ("get_task", "get", "/agent-execution/{task_id}/status"),
    ("update_task", "patch", "/agent-execution/{task_id}/update"),
    ("stop_task", "delete", "/agent-execution/{agent_or_task_id}"),
    ("report_external_task", "post", "/agent-execution/{agent_id}/report_task"),
    ("get_task_activity_log", "get", "/activity/{agent_id}/{task_id}"),
    ("stream_task_events", "get", "/{organization_id}/agent-execution/{task_id}/events"),
    ("report_execution_metrics", "post", "/agents-metrics/{agent_id}/execution"),
]

LIST_FILTERS = {
    "list_agent_tasks": {
        "user_id",
        "parent_task_id",
        "triggering_agent_id",
        "status",
        "internal_status",
    },
    "list_user_tasks": {"parent_task_id", "triggering_agent_id", "status", "internal_status"},
}

# Arguments of the published SDK's create (2.0.537) that TaskCreate carries as they are.
NEWER_CREATE_FIELDS = (
    "tool_call_limit",
    "llm_model_provider",
    "llm_model_name",
    "llm_reasoning_effort",
    "harness_cli",
    "permission_mode",
)

# The Task fields the published SDK 2.0.537 reads that older releases did not.
NEWER_TASK_FIELDS = (
    "conversation_id",
    "conversation_kind",
    "should_update_parent",
    "execution_kind",
    "is_gateway",
    "is_app",
    "background_auth_eligible",
    "tool_call_limit",
    "must_deep_plan",
    "llm_model_provider",
    "llm_model_name",
    "llm_reasoning_effort",
    "harness_cli",
    "permission_mode",
)

# schema name -> (required fields, fields that must be present)
OBJECTS: dict[str, tuple[set[str], set[str]]] = {
    "AgentExecutionInput": (set(), {"text", "files", "user", "attachments", "principal"}),
    "AttachmentRef": ({"url"}, {"url", "name", "mime", "size", "kind", "sha256"}),
    "Principal": ({"kind", "id"}, {"kind", "id", "email", "display_name"}),
    "MessageIdentity": ({"name"}, {"name", "icon"}),
    "User": (
        {"email"},
        {"email", "id", "first_name", "last_name", "additional_attributes", "timezone"},
    ),
    "TaskCreate": (
        set(),
        {
            "id",
            "input",
            "payload_extension",
            "source",
            "worker_id",
            "output_format",
            "output_schema",
            "run_locally",
            "events_streaming",
            "additional_context",
            "instructions_override",
            "test_run_node_id",
            "user_oidc_token",
            "expected_output",
            "mcp_servers",
            "triggering_agent_id",
            "title",
            "think_mode",
            "disable_attachment_injection",
            "user_tokens",
            "return_metrics",
            *NEWER_CREATE_FIELDS,
        },
    ),
    "Task": (
        {"id", "agent_id", "organization_id", "input", "created_at"},
        {
            "status",
            "internal_status",
            "last_executed_node_id",
            "agent_version",
            "started_at",
            "paused_at",
            "finished_at",
            "result",
            "parent_execution",
            "sub_executions",
            "is_manually_stopped",
            "payload_extension",
            "hitl_request",
            "pending_eca_request",
            "source",
            "voice_id",
            "output_format",
            "output_schema",
            "events_streaming",
            "is_orchestration",
            "additional_context",
            "instructions_override",
            "test_run_node_id",
            "user_oidc_token",
            "expected_output",
            "mcp_servers",
            "triggering_agent_id",
            "title",
            "think_mode",
            "disable_attachment_injection",
            "user_tokens",
            "deep_planning",
            "execution_attempts",
            "return_metrics",
            "tokens",
            "used_tools",
            "duration",
            *NEWER_TASK_FIELDS,
        },
    ),
    "TasksListItem": (
        {"id", "agent_id", "organization_id", "status"},
        {
            "user_id",
            "parent_task_id",
            "triggering_agent_id",
            "created_at",
            "updated_at",
            "source_node_type",
            "result",
            "title",
            "execution_kind",
            "process",
            "conversation_kind",
        },
    ),
    "TaskReport": (
        set(),
        {"id", "input", "llm_response", "tokens", "is_success", "result", "duration", "used_tools"},
    ),
    "Tokens": (set(), {"completion_tokens", "prompt_tokens", "total_tokens"}),
    "DeepPlanning": (set(), {"enabled", "enforce", "started", "question_raised", "tasks"}),
    "TaskUpdateEvent": (
        {"type", "task_id", "organization_id", "time"},
        {"type", "task_id", "organization_id", "time", "data", "identity"},
    ),
    "TaskUpdate": (
        set(),
        {"status", "result", "internal_status", "last_executed_node_id", "source"},
    ),
    "Error": ({"detail"}, {"detail", "errors"}),
    "ExecutionMetricsReport": (
        {"execution_id", "source", "memory_thread_id", "task", "status", "duration", "ai_model"},
        {
            "internal_status",
            "sub_executions",
            "triggered_by",
            "skills",
            "worker",
            "ai_employee_id",
            "api_calls_made",
            "result",
            "llm_tokens",
        },
    ),
    "ExecutionTokens": (set(), {"inner", "worker"}),
}

ENUMS = {
    "AgentExecutionStatus": [
        "pending",
        "executing",
        "paused",
        "error",
        "failed",
        "completed",
        "stopped",
    ],
    "OutputFormat": ["text", "markdown", "json", "voice"],
    "ThinkMode": ["default", "harder"],
    "TaskUpdateEventType": [
        "task_created",
        "task_updated",
        "task_finished",
        "chunk",
        "auth_event",
        "tool_call_request",
        "tool_call_result",
        "sub_agent_trigger",
        "think",
        "analyze",
        "plan_updated",
        "task_compactization",
    ],
    "LLMReasoningEffort": ["low", "medium", "high", "xhigh"],
    "ConversationKind": ["direct", "gateway"],
    "AttachmentKind": ["image", "pdf", "document", "text", "audio", "video", "archive", "unknown"],
    "PrincipalKind": ["user", "slack", "api_key", "system", "anonymous"],
}

ERROR_STATUSES = {"401", "404", "422", "429", "500", "503"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with SPEC_PATH.open() as f:
        loaded: dict[str, Any] = yaml.safe_load(f)
    return loaded


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                found[op["operationId"]] = (method, path, op)
    return found


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.parametrize(("operation_id", "method", "path"), ROUTES)
def test_every_reference_route_is_in_the_spec(
    spec: dict[str, Any], operation_id: str, method: str, path: str
) -> None:
    ops = _operations(spec)
    assert operation_id in ops, f"{operation_id} missing"
    assert ops[operation_id][:2] == (method, path)


@pytest.mark.parametrize("operation_id", [r[0] for r in ROUTES])
def test_every_operation_documents_its_errors_with_the_error_schema(
    spec: dict[str, Any], operation_id: str
) -> None:
    _, _, op = _operations(spec)[operation_id]
    assert set(op["responses"]) >= ERROR_STATUSES
    for status in ERROR_STATUSES:
        response = _resolve(spec, op["responses"][status])
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize(("operation_id", "filters"), sorted(LIST_FILTERS.items()))
def test_list_operations_take_the_reference_filters(
    spec: dict[str, Any], operation_id: str, filters: set[str]
) -> None:
    _, _, op = _operations(spec)[operation_id]
    query = {
        _resolve(spec, p)["name"] for p in op["parameters"] if _resolve(spec, p)["in"] == "query"
    }
    assert query == filters


def test_api_key_header_is_the_security_scheme(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "x-api-key")
    assert spec["security"] == [{"ApiKeyAuth": []}]


def test_create_takes_agent_version_and_idempotency_key_headers(spec: dict[str, Any]) -> None:
    _, _, op = _operations(spec)["create_task"]
    headers = {
        _resolve(spec, p)["name"] for p in op["parameters"] if _resolve(spec, p)["in"] == "header"
    }
    assert headers == {"x-agent-version", "Idempotency-Key"}


@pytest.mark.parametrize(("name", "expected"), sorted(OBJECTS.items()))
def test_every_reference_object_is_a_named_schema(
    spec: dict[str, Any], name: str, expected: tuple[set[str], set[str]]
) -> None:
    required, fields = expected
    schema = spec["components"]["schemas"][name]
    assert set(schema.get("required", [])) == required
    assert fields <= set(schema["properties"])
    assert schema.get("description"), f"{name} has no description"


@pytest.mark.parametrize(("name", "values"), sorted(ENUMS.items()))
def test_every_enumeration_has_the_reference_values(
    spec: dict[str, Any], name: str, values: list[str]
) -> None:
    assert spec["components"]["schemas"][name]["enum"] == values


def test_event_stream_answers_text_event_stream_with_a_string_schema(spec: dict[str, Any]) -> None:
    _, _, op = _operations(spec)["stream_task_events"]
    content = op["responses"]["200"]["content"]
    assert list(content) == ["text/event-stream"]
    assert content["text/event-stream"]["schema"]["type"] == "string"


def test_optional_task_fields_accept_null(spec: dict[str, Any]) -> None:
    task = spec["components"]["schemas"]["Task"]
    for name, prop in task["properties"].items():
        if name in task["required"]:
            continue
        types = prop.get("type", [])
        alternatives = [a.get("type") for a in prop.get("anyOf", [])]
        assert "null" in types or "null" in alternatives, f"Task.{name} does not accept null"


def _accepts(spec: dict[str, Any], pointer: str, value: object) -> bool:
    """Whether the spec's schema at ``pointer`` (``/components/schemas/X``) accepts ``value``."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": f"urn:spec#{pointer}"}, registry=registry).is_valid(value)


@pytest.mark.parametrize(
    ("principal_id", "valid"),
    [("u-1", True), ("alice@example.com", True), ("", False), ("a:b", False), ("a b", False)],
)
def test_principal_id_is_non_empty_without_colon_or_whitespace(
    spec: dict[str, Any], principal_id: str, valid: bool
) -> None:
    principal = {"kind": "user", "id": principal_id}
    assert _accepts(spec, "/components/schemas/Principal", principal) is valid


@pytest.mark.parametrize(("limit", "valid"), [(0, True), (25, True), (None, True), (-1, False)])
def test_tool_call_limit_is_a_non_negative_integer(
    spec: dict[str, Any], limit: int | None, valid: bool
) -> None:
    for name in ("TaskCreate", "Task"):
        pointer = f"/components/schemas/{name}/properties/tool_call_limit"
        assert _accepts(spec, pointer, limit) is valid, name


def test_every_new_schema_and_property_has_a_description(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in (
        "AttachmentRef",
        "Principal",
        "MessageIdentity",
        "LLMReasoningEffort",
        "ConversationKind",
        "AttachmentKind",
        "PrincipalKind",
        "ExecutionMetricsReport",
        "ExecutionTokens",
    ):
        assert schemas[name].get("description"), name
    for name, fields in (("Task", NEWER_TASK_FIELDS), ("TaskCreate", NEWER_CREATE_FIELDS)):
        for field in fields:
            assert schemas[name]["properties"][field].get("description"), f"{name}.{field}"


def test_background_auth_eligible_defaults_to_false(spec: dict[str, Any]) -> None:
    # The published SDK types it `bool` (not Optional): an answer must never carry null.
    prop = spec["components"]["schemas"]["Task"]["properties"]["background_auth_eligible"]
    assert prop["default"] is False
