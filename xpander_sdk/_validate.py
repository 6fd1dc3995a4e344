"""Argument checks run before any request: a wrong argument names itself."""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)

#: The longest wait a socket timeout or a sleep takes (about 31 years); more overflows.
MAX_SECONDS = 1e9


#: Ids that a URL resolves as "this folder" and "its parent" however they are encoded
#: (RFC 3986 makes ``%2E`` a dot), so they cannot be one segment of a path.
_DOT_SEGMENTS = frozenset({".", ".."})


def check_id(value: object, name: str) -> str:
    """A non-empty string id that can be a path segment, or TypeError / ValueError naming it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if value in _DOT_SEGMENTS:
        raise ValueError(f"{name} must not be {value!r}: it would leave its place in the URL path")
    return value


def check_token(value: object, name: str, *, max_length: int = 255) -> str:
    """A value sent in a header (an idempotency key, an event id): a str of 1 to
    ``max_length`` printable ASCII characters, without spaces at either end.

    TypeError / ValueError naming the argument otherwise.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not 0 < len(value) <= max_length:
        raise ValueError(f"{name} must be 1 to {max_length} characters long, not {len(value)}")
    if not value.isascii() or not value.isprintable() or value != value.strip():
        raise ValueError(
            f"{name} must be printable ASCII without spaces at either end (it is sent as a header)"
        )
    return value


def event_id(value: object, name: str) -> str | None:
    """An event id to start after (``None``: from the first event); an int is taken
    as its decimal string. TypeError / ValueError naming the argument otherwise."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"{name} must not be negative")
        return str(value)
    return check_token(value, name)


def check_optional_str(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    return value


def check_optional_bool(value: object, name: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool or None, not {type(value).__name__}")
    return value


def check_optional_mapping(value: object, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict or None, not {type(value).__name__}")
    return dict(value)


def check_str_list(value: object, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of str, not {type(value).__name__}")
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{name} must hold only str, not {type(item).__name__}")
    return list(value)


def check_enum(value: object, enum: type[E], name: str) -> E:
    """An enum member from a member or its value, or TypeError / ValueError naming the argument."""
    if isinstance(value, enum):
        return value
    if isinstance(value, Enum):
        value = value.value  # a twin enum (e.g. the generated one) with the same values
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a {enum.__name__} or str, not {type(value).__name__}")
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in enum)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}") from None


def check_optional_enum(value: object, enum: type[E], name: str) -> E | None:
    return None if value is None else check_enum(value, enum, name)


def check_seconds(value: object, name: str, *, allow_none: bool = False) -> float | None:
    """A non-negative number of seconds."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be zero or more seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise ValueError(f"{name} must be at most {MAX_SECONDS:.0f} seconds, got {value!r}")
    return float(value)


def check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be zero or more, got {value!r}")
    return value
