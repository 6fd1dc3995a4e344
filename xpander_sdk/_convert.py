"""Between the generated models and the facade's plain values.

The generated models mark an absent field with ``UNSET``, wrap free-form JSON
objects in classes of their own, and use generated enums. The facade shows
``None``, plain ``dict``s and the published SDK's enums; on the way back it
turns facade values into JSON the generated models can read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from xpander_api_client import models as gen
from xpander_api_client.types import UNSET

from .models import AgentExecutionStatus, OutputFormat, TaskUpdateEventType, ThinkMode

_FACADE_ENUMS: dict[type[Enum], type[Enum]] = {
    gen.AgentExecutionStatus: AgentExecutionStatus,
    gen.OutputFormat: OutputFormat,
    gen.ThinkMode: ThinkMode,
    gen.TaskUpdateEventType: TaskUpdateEventType,
}
# Generated enum member -> facade member, looked up by identity-hash: cheap.
_ENUM_MEMBERS: dict[Enum, Enum] = {
    member: facade(member.value)
    for generated, facade in _FACADE_ENUMS.items()
    for member in generated
}


def _is_free_form(cls: type) -> bool:
    """A generated class for a JSON object without declared properties."""
    fields = attrs.fields(cls) if attrs.has(cls) else ()
    return bool(fields) and all(f.name == "additional_properties" for f in fields)


_FREE_FORM: frozenset[type] = frozenset(
    cls for cls in vars(gen).values() if isinstance(cls, type) and _is_free_form(cls)
)


def to_facade(value: Any) -> Any:
    """A generated value as the facade shows it."""
    if value is None or value is UNSET:
        return None
    if isinstance(value, Enum):
        return _ENUM_MEMBERS.get(value, value)
    if type(value) in _FREE_FORM:
        return dict(value.additional_properties)
    if isinstance(value, list):
        return [to_facade(v) for v in value]
    return value


def to_wire(value: Any) -> Any:
    """A facade value as JSON (what the API sends and accepts)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot send {value!r} as JSON")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    to_dict = getattr(value, "to_dict", None) or getattr(value, "model_dump", None)
    if callable(to_dict):
        return to_wire(to_dict())
    raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def field_names(cls: type) -> list[tuple[str, str]]:
    """(wire name, attribute name) of each field of a generated model."""
    return [
        (f.name.rstrip("_"), f.name) for f in attrs.fields(cls) if f.name != "additional_properties"
    ]
