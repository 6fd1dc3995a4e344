"""Between the generated models and the facade's plain values.

The generated models mark an absent field with ``UNSET`` and wrap free-form
JSON objects in classes of their own. The facade shows ``None`` and plain
``dict``s (its enums are the generated ones); on the way back it turns facade
values into JSON the generated models can read.
"""

from __future__ import annotations

import math
import sys
import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from xpander_api_client import models as gen
from xpander_api_client.types import UNSET


def is_free_form(cls: type) -> bool:
    """Whether ``cls`` is a generated class for a JSON object without declared properties.

    Asked of a class when first met (`_CONVERTERS` keeps the answer), not of every generated
    class up front: the generated models are imported when first used.
    """
    fields = attrs.fields(cls) if attrs.has(cls) else ()
    return bool(fields) and all(f.name == "additional_properties" for f in fields)


def to_facade(value: Any) -> Any:
    """A generated value as the facade shows it."""
    if value is None or value is UNSET:
        return None
    if _CONVERTERS[type(value)] is _free_form:
        return _free_form(value)
    if isinstance(value, list):
        return [to_facade(v) for v in value]
    return value


#: JSON values as they are: sent unchanged, and checked by exact type (not a subclass).
_PLAIN: frozenset[type] = frozenset({str, int, bool, type(None)})


def to_wire(value: Any) -> Any:
    """A facade value as JSON (what the API sends and accepts)."""
    kind = type(value)
    # The common shapes first, by exact type: this runs for every value of a
    # create, and the leaves of a dict or list are read in line, not by a call.
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN else to_wire(v)
            for k, v in value.items()
        }
    if kind is list:
        return [v if type(v) in _PLAIN else to_wire(v) for v in value]
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


def _list(values: list[Any]) -> list[Any]:
    return [to_facade(v) for v in values] if values else []


def _free_form(value: Any) -> dict[str, Any]:
    return dict(value.additional_properties)


class _Converters(dict[type, Any]):
    """type -> how a value of it becomes a facade value (``None``: it stays as it is).

    A type is looked at when first met (``__missing__``), then found in one dict look-up.
    """

    def __missing__(self, kind: type) -> Any:
        convert = _free_form if is_free_form(kind) else None
        self[kind] = convert
        return convert


_CONVERTERS = _Converters({type(UNSET): lambda _: None, list: _list})


class FacadeFields:
    """The fields of a generated model as attributes of a facade class, read on first use.

    A caller who looks at three fields of a task pays for converting three,
    not fifty (``UNSET`` to None, free-form objects to ``dict``s).
    """

    __slots__ = ("names", "pairs")

    def __init__(self, cls: type) -> None:
        self.pairs = field_names(cls)
        self.names = tuple(wire for wire, _ in self.pairs)

    def install(self, facade: type) -> None:
        """Make each field an attribute of ``facade`` read from its instance's ``_model``.

        The value is converted on first access and kept in the instance's
        ``__dict__``, which then wins (as with ``functools.cached_property``):
        assigning a field replaces it, and `forget` makes it read again.
        """
        for wire, attr in self.pairs:
            setattr(facade, wire, _LazyField(wire, attr))

    def forget(self, instance: Any) -> None:
        """Drop the fields ``instance`` has read or been given, so the next read is afresh."""
        state = instance.__dict__
        for name in self.names:
            state.pop(name, None)


class _LazyField:
    """One model field as a facade attribute, read from ``instance._model`` when first used."""

    __slots__ = ("attr", "name")

    def __init__(self, name: str, attr: str) -> None:
        self.name = name
        self.attr = attr

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = getattr(instance._model, self.attr)
        convert = _CONVERTERS[type(value)]
        if convert is not None:
            value = convert(value)
        instance.__dict__[self.name] = value
        return value


def field_types(cls: type) -> dict[str, Any]:
    """Attribute name -> type annotation of each field of a generated model, resolved.

    The generated modules import their nested models only for type checking,
    so the names are resolved in the models package as well as the class's own module.
    """
    return typing.get_type_hints(
        cls, globalns=vars(sys.modules[cls.__module__]), localns=_GeneratedNames()
    )


class _GeneratedNames(Mapping[str, Any]):
    """The generated models by name, each imported when a type annotation names it."""

    def __getitem__(self, name: str) -> Any:
        if name not in gen.__all__:
            raise KeyError(name)  # found in the module's own names, or a NameError
        return getattr(gen, name)

    def __iter__(self) -> Iterator[str]:
        return iter(gen.__all__)

    def __len__(self) -> int:
        return len(gen.__all__)


def field_names(cls: type) -> list[tuple[str, str]]:
    """(wire name, attribute name) of each field of a generated model."""
    return [
        (f.name.rstrip("_"), f.name) for f in attrs.fields(cls) if f.name != "additional_properties"
    ]
