"""The spec drives the facade: every field and parameter of openapi.yaml reaches it.

Adding a field to openapi.yaml means: the spec, ``make generate``, and whatever
these tests then name. Each test reads the generated models (made from the
spec) or the spec itself and holds the facade against them.
"""

from __future__ import annotations

import inspect
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from xpander_api_client import models as gen
from xpander_api_client.api.tasks import create_task, list_agent_tasks, list_user_tasks
from xpander_api_client.types import Unset

import xpander_sdk
from xpander_sdk import Task, Tasks, TasksListItem, TaskUpdateEvent
from xpander_sdk._convert import field_names, field_types, is_free_form
from xpander_sdk._requests import (
    AGENT_FILTERS,
    CREATE_ARGUMENTS,
    HEADER_ARGUMENTS,
    INPUT_ARGUMENTS,
    USER_FILTERS,
)

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())

#: Facade fields whose type is wider than the generated one on purpose, and why.
WIDER = {
    # An event type newer than this SDK is kept as its string; data is a Task,
    # a chunk's text or the event's own object, by type.
    (TaskUpdateEvent, "type"),
    (TaskUpdateEvent, "data"),
}


def _parts(hint: Any) -> set[Any]:
    """A type annotation as the set of the types it allows, the way the facade shows them."""
    if hint is Any:
        return {Any}
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        out: set[Any] = set()
        for arg in typing.get_args(hint):
            out |= _parts(arg)
        return out
    if hint in (type(None), Unset):
        return set()
    if (isinstance(hint, type) and is_free_form(hint)) or origin is dict:
        return {dict}  # a free-form JSON object: a plain dict in the facade
    if origin is list:
        (item,) = typing.get_args(hint)
        return {("list", frozenset(_parts(item)))}
    return {hint}


def _facade_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(inspect.getmodule(cls)))


@pytest.mark.parametrize(
    ("facade", "generated"),
    [(Task, gen.Task), (TasksListItem, gen.TasksListItem), (TaskUpdateEvent, gen.TaskUpdateEvent)],
    ids=lambda c: f"{c.__module__.split('.')[0]}.{c.__name__}",
)
def test_every_generated_field_is_a_facade_attribute_of_the_same_type(
    facade: type, generated: type
) -> None:
    generated_types = field_types(generated)
    facade_types = _facade_hints(facade)
    missing, mismatched = [], []
    for wire, attr in field_names(generated):
        if wire not in facade_types:
            missing.append(wire)
            continue
        want, got = _parts(generated_types[attr]), _parts(facade_types[wire])
        if (facade, wire) in WIDER:
            assert Any in got or want <= got, (wire, want, got)
        elif want != got:
            mismatched.append(
                f"{wire}: spec {sorted(map(str, want))}, facade {sorted(map(str, got))}"
            )
    assert not missing, f"{facade.__name__} lacks the spec's fields {missing}"
    assert not mismatched, f"{facade.__name__} types differ from the spec: {mismatched}"


def test_the_type_check_can_fail() -> None:
    assert _parts(int | None) != _parts(str | None)
    assert _parts(list[str] | Unset | None) == _parts(list[str] | None)
    assert _parts(gen.TaskPayloadExtensionType0 | None) == _parts(dict[str, Any] | None)


def _create_parameters(method: Any) -> set[str]:
    names = set(inspect.signature(method).parameters)
    return names - {"self", "agent_id", "timeout", "max_retries"}


def test_every_task_create_field_is_reachable_from_create() -> None:
    body_fields = {wire for wire, _ in field_names(gen.TaskCreate)}
    reached = {field for field, _ in CREATE_ARGUMENTS.values()} | {"input"}
    assert reached == body_fields, f"TaskCreate fields not reachable: {body_fields - reached}"
    input_fields = {wire for wire, _ in field_names(gen.AgentExecutionInput)}
    assert {field for field, _ in INPUT_ARGUMENTS.values()} == input_fields


def test_create_takes_exactly_the_mapped_arguments_in_both_twins() -> None:
    mapped = set(CREATE_ARGUMENTS) | set(INPUT_ARGUMENTS) | set(HEADER_ARGUMENTS)
    assert _create_parameters(Tasks.create) == mapped
    assert _create_parameters(Tasks.acreate) == mapped


def test_create_headers_are_the_operations_header_parameters() -> None:
    params = inspect.signature(create_task.sync_detailed).parameters
    headers = {p for p in params if p.startswith("x_")} | {"idempotency_key"}
    assert "idempotency_key" in params
    assert set(HEADER_ARGUMENTS.values()) == headers


def _spec_query(operation_id: str) -> tuple[str, ...]:
    for item in SPEC["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                params = operation.get("parameters", []) + item.get("parameters", [])
                resolved = [_resolve(p) if "$ref" in p else p for p in params]
                return tuple(p["name"] for p in resolved if p["in"] == "query")
    raise AssertionError(f"no operation {operation_id}")


def _resolve(ref: dict[str, str]) -> dict[str, Any]:
    node: Any = SPEC
    for part in ref["$ref"].lstrip("#/").split("/"):
        node = node[part]
    return dict(node)


def test_list_filters_are_the_specs_query_parameters() -> None:
    assert set(AGENT_FILTERS) == set(_spec_query("list_agent_tasks"))
    assert set(USER_FILTERS) == set(_spec_query("list_user_tasks"))
    # and the generated operations take the same (their names are what is sent)
    assert set(AGENT_FILTERS) <= set(inspect.signature(list_agent_tasks.sync_detailed).parameters)
    assert set(USER_FILTERS) <= set(inspect.signature(list_user_tasks.sync_detailed).parameters)


def _enums() -> list[tuple[str, type[Enum]]]:
    # Every model by name: the package imports each when first asked (vars() holds only those
    # already used).
    every = [(name, getattr(gen, name)) for name in gen.__all__]
    return [(name, obj) for name, obj in every if isinstance(obj, type) and issubclass(obj, Enum)]


@pytest.mark.parametrize(("name", "enum"), _enums(), ids=lambda v: v if isinstance(v, str) else "")
def test_enums_are_the_specs_with_the_published_member_names(name: str, enum: type[Enum]) -> None:
    schema = SPEC["components"]["schemas"][name]
    assert [m.value for m in enum] == schema["enum"]
    names = schema.get("x-enum-varnames") or [
        "".join(part.capitalize() for part in value.split("_")) for value in schema["enum"]
    ]
    assert [m.name for m in enum] == names
    if hasattr(xpander_sdk, name):
        assert getattr(xpander_sdk, name) is enum  # the facade re-exports, never copies


TWINS = [
    (Tasks, "aclose", "close"),
    (Tasks, "acreate", "create"),
    (Tasks, "alist", "list"),
    (Tasks, "alist_user_tasks", "list_user_tasks"),
    (Tasks, "aget", "get"),
    (Tasks, "apatch", "patch"),
    (Tasks, "aupdate", "update"),
    (Tasks, "astop", "stop"),
    (Tasks, "areport_external_task", "report_external_task"),
    (Tasks, "aget_activity_log", "get_activity_log"),
    (Tasks, "areport_metrics", "report_metrics"),
    (Tasks, "await_for_completion", "wait_for_completion"),
    (Task, "aload", "load"),
    (Task, "areload", "reload"),
    (Task, "asave", "save"),
    (Task, "aset_status", "set_status"),
    (Task, "astop", "stop"),
    (Task, "await_for_completion", "wait_for_completion"),
    (Task, "aget_activity_log", "get_activity_log"),
    (Task, "areport_metrics", "report_metrics"),
    (Task, "aget_plan_following_status", "get_plan_following_status"),
    (Task, "areport_external_task", "report_external_task"),
    (TasksListItem, "aload", "load"),
]


@pytest.mark.parametrize(("cls", "async_name", "sync_name"), TWINS, ids=lambda v: str(v))
def test_twins_take_the_same_arguments(cls: type, async_name: str, sync_name: str) -> None:
    a = inspect.signature(getattr(cls, async_name))
    s = inspect.signature(getattr(cls, sync_name))
    assert list(a.parameters.values()) == list(s.parameters.values())
    assert a.return_annotation == s.return_annotation


def test_every_async_method_has_a_sync_twin() -> None:
    for cls in (Tasks, Task, TasksListItem):
        for name, member in vars(cls).items():
            if name == "auupdate":  # the guide's spelling of aupdate: the same function
                assert member is vars(cls)["aupdate"]
                continue
            if inspect.iscoroutinefunction(member) and not name.startswith("_"):
                twin = name[1:] if name.startswith("a") else None
                if name == "await_for_completion":
                    twin = "wait_for_completion"
                assert twin and hasattr(cls, twin), f"{cls.__name__}.{name} has no sync twin"
                assert (cls, name, twin) in TWINS, f"add {name} to TWINS"


def test_attrs_models_are_what_the_facade_reads() -> None:
    assert attrs.has(gen.Task) and attrs.has(gen.TasksListItem)
