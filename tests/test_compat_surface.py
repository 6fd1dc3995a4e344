"""scripts/compat/surface.py, the drift check of `make compat`: what it reads of an SDK and
what it calls a difference (the published SDK itself is exercised by `make compat`)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compat" / "surface.py"
ALLOWED = SCRIPT.with_name("allowed-differences.json")


@pytest.fixture(scope="module")
def surface() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compat_surface", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _surface(methods: dict[str, Any], fields: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "methods": {c: methods.get(c, {}) for c in ("Tasks", "Task", "TasksListItem")},
        "fields": {
            c: fields.get(c, [])
            for c in ("Task", "TasksListItem", "TaskUpdateEvent", "AgentExecutionInput")
        },
    }


def _method(*params: str, positional: tuple[str, ...] | None = None) -> dict[str, Any]:
    names = list(params)
    return {"params": names, "positional": list(positional if positional is not None else names)}


def test_our_surface_is_read_from_the_installed_sdk() -> None:
    dumped = subprocess.run(
        [sys.executable, str(SCRIPT), "dump", "ours"], capture_output=True, text=True, check=True
    )
    ours = json.loads(dumped.stdout)
    assert {"create", "acreate", "get", "list"} <= set(ours["methods"]["Tasks"])
    assert "agent_id" in ours["methods"]["Tasks"]["acreate"]["params"]
    assert {"save", "asave", "load"} <= set(ours["methods"]["Task"])
    assert {"id", "status", "result"} <= set(ours["fields"]["Task"])
    assert {"type", "task_id", "data"} <= set(ours["fields"]["TaskUpdateEvent"])
    assert {"text", "files", "attachments", "principal"} <= set(
        ours["fields"]["AgentExecutionInput"]
    )


def test_what_ours_lacks_is_missing_and_what_only_ours_has_is_added(surface: ModuleType) -> None:
    published = _surface(
        {"Tasks": {"acreate": _method("agent_id", "principal"), "gone": _method()}},
        {"Task": ["id", "llm_model_name"]},
    )
    ours = _surface(
        {"Tasks": {"acreate": _method("agent_id", "timeout"), "close": _method()}},
        {"Task": ["id", "extra"]},
    )
    missing, added = surface.differences(published, ours)
    assert missing == [
        "Tasks.acreate: parameters missing: principal",
        "Tasks.gone: method missing ()",
        "Task.llm_model_name: field missing",
    ]
    assert added == [
        "Tasks.acreate: parameters only ours: timeout",
        "Tasks.close: method only ours",
        "Task.extra: field only ours",
    ]


def test_a_positional_order_that_binds_differently_is_missing(surface: ModuleType) -> None:
    published = _surface({"Tasks": {"acreate": _method("agent_id", "principal", "version")}}, {})
    ours = _surface({"Tasks": {"acreate": _method("agent_id", "version", "principal")}}, {})
    missing, _ = surface.differences(published, ours)
    assert missing == [
        "Tasks.acreate: positional order differs:"
        " published (agent_id, principal, version), ours (agent_id, version, principal)"
    ]
    # keyword-only in ours: a positional call written for the published SDK would fail
    keyword_only = _surface(
        {
            "Tasks": {
                "acreate": _method("agent_id", "principal", "version", positional=("agent_id",))
            }
        },
        {},
    )
    assert surface.differences(published, keyword_only)[0] == [
        "Tasks.acreate: positional order differs:"
        " published (agent_id, principal, version), ours (agent_id)"
    ]


def test_a_published_stub_is_information_not_drift(surface: ModuleType) -> None:
    published = _surface({"Tasks": {"delete": {**_method("resource_id"), "placeholder": True}}}, {})
    missing, added = surface.differences(published, _surface({}, {}))
    assert missing == []
    assert added == ["Tasks.delete: published only as a stub raising NotImplementedError"]


def test_stubs_are_recognised_by_their_body(surface: ModuleType) -> None:
    async def stub(self: object, resource_id: str) -> None:
        """Not supported."""
        raise NotImplementedError("This module does not support 'delete'")

    def real(self: object) -> int:
        if self:
            raise NotImplementedError
        return 1

    assert surface._placeholder(stub) is True
    assert surface._placeholder(real) is False


def test_compare_fails_only_on_unexplained_differences(
    surface: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    published = _surface({"Task": {"get_files": _method(), "report_metrics": _method()}}, {})
    allowed = {
        name: entry["reason"] for name, entry in json.loads(ALLOWED.read_text())["allowed"].items()
    }
    assert surface.compare(published, _surface({}, {}), allowed) == 1
    out = capsys.readouterr().out
    assert "FAIL  Task.report_metrics: method missing ()" in out
    assert "ok    Task.get_files: method missing ()" in out
    only_allowed = _surface({"Task": {"get_files": _method()}}, {})
    assert surface.compare(only_allowed, _surface({}, {}), allowed) == 0
    assert "No unexplained differences." in capsys.readouterr().out


def test_the_allowed_list_states_a_reason_for_each_difference() -> None:
    allowed = json.loads(ALLOWED.read_text())["allowed"]
    issue_9 = {
        f"Task.{name}"
        for name in (
            "get_files", "get_images", "get_audios", "get_videos", "get_media_texts",
            "get_attachment_plan", "get_human_readable_files", "to_message",
            "mark_served_model", "acompact_session_for_retry",
        )
    }  # fmt: skip
    assert issue_9 <= set(allowed)
    assert all(entry["reason"].strip() for entry in allowed.values())
    # every class's allowance names only pydantic's internals and its pydantic 1 names
    everywhere = {name.removeprefix("*.") for name in allowed if name.startswith("*.")}
    assert everywhere == {
        "model_post_init", "model_rebuild", "model_parametrized_name", "dict", "json", "copy",
        "construct", "parse_obj", "validate", "from_orm", "parse_raw", "parse_file", "schema",
        "schema_json", "update_forward_refs",
    }  # fmt: skip
    assert not {"model_dump", "model_dump_json", "model_copy", "model_validate"} & everywhere


def test_inherited_members_are_compared(surface: ModuleType) -> None:
    """Members a class inherits (pydantic's) are part of its surface, with their kind."""

    class Base:
        model_config: ClassVar[dict[str, Any]] = {}

        def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
            return {}

        @property
        def model_fields_set(self) -> set[str]:
            return set()

    class Published(Base):
        def load(self) -> None: ...

    found = surface.methods(Published)
    assert found["model_dump"] == {"params": ["mode"], "positional": []}
    assert found["model_fields_set"] == {"value": True}
    assert found["model_config"] == {"value": True}
    assert "load" in found
    missing, _ = surface.differences(
        {"methods": {"Task": found}, "fields": {}},
        {"methods": {"Task": {"load": _method(), "model_dump": {"value": True}}}, "fields": {}},
    )
    assert missing == [
        "Task.model_config: value missing",
        "Task.model_dump: a method there, a value here",
        "Task.model_fields_set: value missing",
    ]


def test_a_pydantic_models_fields_are_compared_in_order_with_their_defaults(
    surface: ModuleType,
) -> None:
    def details(**fields: tuple[bool, Any]) -> dict[str, Any]:
        return {n: {"required": r, "default": d} for n, (r, d) in fields.items()}

    published = {
        "methods": {},
        "fields": {"Task": ["id", "status"]},
        "field_details": {"Task": details(id=(True, None), status=(False, "pending"))},
    }
    ours = {
        "methods": {},
        "fields": {"Task": ["id", "status"]},
        "field_details": {"Task": details(status=(False, None), id=(True, None))},
    }
    missing, _ = surface.differences(published, ours)
    assert missing == [
        "Task: field order differs: published ['id', 'status'], ours ['status', 'id']",
        "Task.status: field default differs: published 'pending', ours None",
    ]


def test_a_wildcard_allows_a_member_of_every_class(surface: ModuleType) -> None:
    allowed = {"*.dict": "pydantic 1", "Task.x": "why"}
    assert surface._allowed_reason("User.dict: method missing ()", allowed) == "pydantic 1"
    assert surface._allowed_reason("Task.x: value missing", allowed) == "why"
    assert surface._allowed_reason("Task.y: value missing", allowed) is None
    assert surface._allowed_reason("Task: field order differs", allowed) is None
