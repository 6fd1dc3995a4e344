"""The pydantic protocol of this SDK's objects: what serves the methods of `Model`.

`xpander_api_client.types.Model` (the base of the generated models, and of `Task`,
`TasksListItem`, `TaskUpdateEvent`, `Configuration`, `PlanFollowingStatus`)
declares pydantic's ``model_dump``, ``model_dump_json``, ``model_copy``,
``model_validate``, ``model_fields`` and the rest, and forwards each call to the
`Protocol` here: task.py registers `serve` when ``xpander_sdk`` is imported, and this
module (with `_dump` and `_shapes`) is loaded at the first such call, not before. Dumping is
`_dump`'s (by the published shapes of `_shapes`); copying, validating and the
fields are here. pydantic itself is imported only by `_pydantic_schema`, and
only when pydantic asks.

A task's dump holds, under ``configuration``, where its client connects (base URL,
organization), never the API key: the published SDK's dump carried the key, so a
task returned from a web route handed it to every caller.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, Union

import attrs
from xpander_api_client import models as gen
from xpander_api_client.types import UNDEFINED, FieldInfo

from . import _pydantic_schema, _shapes
from ._convert import field_names, to_wire
from ._dump import (
    MISSING,
    Options,
    dump,
    dump_text,
    dump_with,
    facade_plan,
    fields_set,
    install,
    object_plan,
    plan_of,
    selection,
    text_of,
)
from ._native import native
from ._owner import TaskOwner, default_owner
from ._shapes import Shape
from .configuration import Configuration
from .events import TaskUpdateEvent, _timestamp
from .models import PlanFollowingStatus

M = TypeVar("M")
_SCALARS = frozenset({str, int, bool, type(None)})


# -- checking what model_validate is given ---------------------------------------------


def _check(value: Any, annotation: Any, where: str) -> None:
    """Raise ValueError naming ``where`` when the JSON ``value`` cannot be ``annotation``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is Any:
        return
    if origin is Union or (origin is not None and type(None) in args):
        if value is None and type(None) in args:
            return
        options = [a for a in args if a is not type(None)]
        _check(value, options[0] if len(options) == 1 else Any, where)
    elif origin is typing.Literal:
        if value not in args:
            raise ValueError(f"{where} must be one of {', '.join(map(repr, args))}, got {value!r}")
    elif origin is list or annotation is list:
        _expect(value, list, where)
        for i, item in enumerate(value):
            _check(item, args[0] if args else Any, f"{where}[{i}]")
    elif origin is dict or annotation is dict:
        _expect(value, dict, where)
    elif annotation is datetime:
        _expect(value, str, where)
        try:
            _timestamp(value)
        except ValueError:
            raise ValueError(f"{where} must be an ISO 8601 date-time, got {value!r}") from None
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        if value not in {m.value for m in annotation}:
            allowed = ", ".join(repr(m.value) for m in annotation)
            raise ValueError(f"{where} must be one of {allowed}, got {value!r}")
    elif annotation in (str, bool, int, float):
        _expect(value, (int, float) if annotation is float else annotation, where)
    elif isinstance(annotation, type) and attrs.has(annotation):
        _expect(value, dict, where)
        _check_fields(value, plan_of(annotation).shape, where)


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> None:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        wanted = kind.__name__ if isinstance(kind, type) else "number"
        raise ValueError(f"{where} must be a {wanted}, not {type(value).__name__}")


def _check_fields(data: Mapping[str, Any], shape: Shape, where: str) -> None:
    for field in shape.fields:
        if field.name in data:
            _check(data[field.name], field.annotation, f"{where}.{field.name}")
        elif field.required:
            raise ValueError(f"{where}.{field.name} is required")


class _DeferredOwner:
    """The client of a task made by ``model_validate``: the default one for its
    configuration, made when the task first sends a request (so making a task from
    data needs no API key)."""

    def __init__(self, configuration: Configuration | None) -> None:
        self._given = configuration
        self._configuration = configuration

    @property
    def configuration(self) -> Configuration:
        if self._configuration is None:
            self._configuration = Configuration()
        return self._configuration

    def __getattr__(self, name: str) -> Any:
        return getattr(default_owner(self._given), name)


def validate(cls: type[M], obj: Any, from_json: bool) -> M:
    """``cls.model_validate(obj)`` (of the JSON text ``obj`` when ``from_json``)."""
    if from_json:
        if not isinstance(obj, (str, bytes, bytearray)):
            raise TypeError(f"json_data must be str or bytes, not {type(obj).__name__}")
        try:
            obj = json.loads(obj)
        except ValueError as exc:
            raise ValueError(f"json_data is not JSON: {exc}") from None
    elif isinstance(obj, cls):
        return obj
    if not isinstance(obj, Mapping):
        raise TypeError(f"{cls.__name__}.model_validate takes a dict, not {type(obj).__name__}")
    plan = plan_of(cls)
    given = dict(obj)
    settings = given.pop("configuration", None) if cls is not Configuration else None
    owner: TaskOwner = _DeferredOwner(settings if isinstance(settings, Configuration) else None)
    data = {k: v if type(v) in _SCALARS else to_wire(v) for k, v in given.items()}
    _check_fields(data, plan.shape, cls.__name__)
    try:
        made: M = plan.make(data, owner)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{cls.__name__} could not be made: {type(exc).__name__}: {exc}") from exc
    return made


# -- the protocol ------------------------------------------------------------------------


def _options(options: dict[str, Any]) -> Options:
    mode = options.get("mode", "python")
    if not isinstance(mode, str):
        raise TypeError(f"mode must be 'json' or 'python', not {type(mode).__name__}")
    return Options(
        mode == "json",
        bool(options.get("exclude_unset")),
        bool(options.get("exclude_defaults")),
        bool(options.get("exclude_none")),
        # pydantic leaves computed fields out of a round trip: they cannot be read back
        bool(options.get("exclude_computed_fields") or options.get("round_trip")),
        options.get("fallback"),
    )


class Protocol:
    """What serves `xpander_api_client.types.Model`'s methods."""

    def dump(self, model: Any, options: dict[str, Any]) -> dict[str, Any]:
        plan = plan_of(type(model))
        include = selection(options.get("include"), "include")
        exclude = selection(options.get("exclude"), "exclude")
        o = _options(options)
        if include is None and exclude is None and o.plain:
            written = native(plan)
            out = None if written is None else written.dump(model, o.json)
            return dump(model, plan, o.json) if out is None else out
        with_options: dict[str, Any] = dump_with(model, plan, o, include, exclude)
        return with_options

    def dump_json(self, model: Any, options: dict[str, Any]) -> str:
        indent = options.get("indent")
        if indent is not None and (not isinstance(indent, int) or isinstance(indent, bool)):
            raise TypeError(f"indent must be an int or None, not {type(indent).__name__}")
        ascii_only = bool(options.get("ensure_ascii"))
        plan = plan_of(type(model))
        include = selection(options.get("include"), "include")
        exclude = selection(options.get("exclude"), "exclude")
        o = _options(options)
        if include is None and exclude is None and o.plain:
            written = native(plan)
            text = None if written is None else written.text(model, indent, ascii_only)
            return dump_text(model, plan, indent, ascii_only) if text is None else text
        return text_of(dump_with(model, plan, o, include, exclude), indent, ascii_only)

    def copy(self, model: M, update: Mapping[str, Any] | None, deep: bool) -> M:
        plan = plan_of(type(model))
        changes = dict(update or {})
        unknown = sorted(set(changes) - set(plan.shape.names))
        if unknown:
            raise ValueError(
                f"model_copy(update=...): {', '.join(unknown)} is not a field of {plan.shape.name}"
            )
        if plan.rebuild is not None:
            rebuilt: M = plan.rebuild(copy.deepcopy(model) if deep else model, changes)
            return rebuilt
        state = getattr(model, "__dict__", None)
        if state is not None and "_owner" in state:  # a task or list entry: it keeps its client
            new = object.__new__(type(model))
            kept = {id(state["_owner"]): state["_owner"]}
            new.__dict__.update(copy.deepcopy(state, kept) if deep else state)
        else:
            new = copy.deepcopy(model) if deep else copy.copy(model)
        attr_of = dict(field_names(type(model))) if attrs.has(type(model)) else {}
        for name, value in changes.items():
            setattr(new, attr_of.get(name, name), value)
        return new

    def validate(self, cls: type[M], obj: Any, from_json: bool) -> M:
        return validate(cls, obj, from_json)

    def fields(self, cls: type) -> dict[str, FieldInfo]:
        plan = plan_of(cls)
        if plan.info is None:
            plan.info = {
                f.name: FieldInfo(
                    annotation=f.annotation,
                    default=UNDEFINED if f.required or f.factory else f.default,
                    default_factory=f.factory,
                    required=f.required,
                )
                for f in plan.fields
            }
        info: dict[str, FieldInfo] = plan.info
        return info

    def computed_fields(self, cls: type) -> dict[str, FieldInfo]:
        return {name: FieldInfo(annotation=kind) for name, kind, _ in plan_of(cls).shape.computed}

    def fields_set(self, model: Any) -> set[str]:
        plan = plan_of(type(model))
        return fields_set(plan, plan.read(model))

    def items(self, model: Any) -> Iterator[tuple[str, Any]]:
        plan = plan_of(type(model))
        for field, value, default in zip(plan.fields, plan.read(model), plan.defaults, strict=True):
            if value is MISSING:
                value = field.default if default is None else default()
            elif isinstance(value, Configuration):  # its dataclass fields hold the API key
                value = dump(value, plan_of(Configuration), False)
            yield field.name, value

    def json_schema(self, cls: type, options: dict[str, Any]) -> dict[str, Any]:
        return _pydantic_schema.json_schema(cls, options)

    def core_schema(self, cls: type, handler: Any) -> Any:
        return _pydantic_schema.core_schema(cls, handler, plan_of(cls).shape)

    def any_serializer(self) -> Any:
        return _pydantic_schema.any_serializer()


# -- the facade's classes that are not read from a generated model -----------------------


def _make_event(data: dict[str, Any], owner: Any) -> TaskUpdateEvent:
    identity = data.get("identity")
    return TaskUpdateEvent(
        gen.TaskUpdateEventType(data["type"]),
        data["task_id"],
        data["organization_id"],
        _timestamp(data["time"]),
        data.get("data"),
        identity=None if identity is None else gen.MessageIdentity.from_dict(identity),
    )


def _rebuild_event(event: TaskUpdateEvent, changes: dict[str, Any]) -> TaskUpdateEvent:
    names = ("type", "task_id", "organization_id", "time", "data", "id", "extra", "identity")
    return TaskUpdateEvent(**{name: changes.get(name, getattr(event, name)) for name in names})


def _make_plan_status(data: dict[str, Any], owner: Any) -> PlanFollowingStatus:
    items = [gen.DeepPlanningItem.from_dict(i) for i in data.get("uncompleted_tasks") or []]
    return PlanFollowingStatus(can_finish=data["can_finish"], uncompleted_tasks=items)


def _make_configuration(data: dict[str, Any], owner: Any) -> Configuration:
    return Configuration(
        api_key=data.get("api_key"),
        base_url=data.get("base_url"),
        organization_id=data.get("organization_id"),
    )


def _rebuild_dataclass(value: Any, changes: dict[str, Any]) -> Any:
    return dataclasses.replace(value, **changes)


install(TaskUpdateEvent, object_plan(_shapes.TASK_UPDATE_EVENT, _make_event, _rebuild_event))
install(
    PlanFollowingStatus,
    object_plan(_shapes.PLAN_FOLLOWING_STATUS, _make_plan_status, _rebuild_dataclass),
)
install(Configuration, object_plan(_shapes.CONFIGURATION, _make_configuration, _rebuild_dataclass))
PROTOCOL = Protocol()


def serve(task: type[Any], entry: type[Any]) -> Protocol:
    """The protocol, once `Task` and `TasksListItem` (given by task.py, which this module
    does not import) are dumped by their published shapes."""
    first = lambda one: one.configuration  # noqa: E731 - a task's configuration field
    install(task, facade_plan(_shapes.TASK, gen.Task, task.from_dict, first))
    install(entry, facade_plan(_shapes.TASKS_LIST_ITEM, gen.TasksListItem, entry.from_model))
    return PROTOCOL
