"""The common dumps of a task, written by pydantic-core itself when it is installed.

The published SDK's ``model_dump`` ran in pydantic-core (Rust); `_dump` does the same
work in Python, field by field. Where pydantic-core can be imported (wherever pydantic
or FastAPI is), a class whose objects hold their fields as attributes of an instance
with a ``__dict__`` (`Task`, `TasksListItem`, `PlanFollowingStatus`) gets, once per
mode, a ``SchemaSerializer`` built from its `Plan`: a model schema whose computed
fields are the published shape's fields, in the published order, which pydantic-core
reads from the object's attributes (a task's lazy fields: the first dump reads them
all) and writes as a dict or JSON text itself, datetimes, enumerations and floats
included.

Python still runs where the published model's validators did something our objects
leave undone, or where pydantic-core cannot read the object:

- a generated model (attrs, with slots and no ``__dict__``: pydantic-core's model
  serializer reads a ``__dict__``) and a model with a computed field (`Tokens`) or
  attributes of its own (the task's `Configuration`) are dumped by `_dump`'s compiled
  function, which pydantic-core calls;
- an MCP server (a dict here) takes the published defaults and its transport in Python,
  and pydantic-core writes the dict;
- a ``Literal`` field holds an enumeration's value (python mode), and a float field an
  int as a float;
- a facade object whose model lacks a field with a default other than None (the facade
  shows None, the dump its default) is dumped by `_dump` as a whole.

Output is `_dump`'s, byte for byte (the tests hold the two together). A value of a type
pydantic-core does not know, or a field read that fails, gives the object back to
`_dump` (whose error, if any, the caller gets). Options (``include``, ``exclude``,
``exclude_*``, ``fallback``) always take `_dump`'s path.

pydantic-core is imported at the first dump of such a class, never by
``import xpander_sdk``; results are never kept (each dump reads the object afresh).
"""

from __future__ import annotations

import operator
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, Union

from xpander_api_client.types import UNSET, Model, Unset

from . import _shapes
from ._dump import JSON, NOT_BUILT, PYTHON, Plan, convert, plan_of
from ._shapes import REQUIRED, Field, Shape

#: pydantic-core's ``(SchemaSerializer, core_schema)``, or None: one entry once asked.
_CORE: list[Any] = []


def _core() -> tuple[Any, Any] | None:
    """``(SchemaSerializer, core_schema)``, or None without a pydantic-core that writes an
    object by its attributes as this module needs (tried on one, at the first call)."""
    if not _CORE:
        try:
            from pydantic_core import SchemaSerializer, core_schema

            found: Any = (SchemaSerializer, core_schema)
            if not _works(*found):
                found = None
        except (ImportError, TypeError, ValueError, AttributeError):
            found = None
        _CORE.append(found)
    core: tuple[Any, Any] | None = _CORE[0]
    return core


class _Probe:
    __slots__ = ("__dict__", "type_")

    def __init__(self) -> None:
        self.type_ = "\u00e9"


def _works(serializer: Any, cs: Any) -> bool:
    """Whether this pydantic-core writes an object by its attributes, under another
    name, with the keywords `Native` passes (older releases lack some of them)."""
    fields = [cs.computed_field("type_", cs.any_schema(), alias="type")]
    schema = cs.model_schema(
        _Probe,
        cs.model_fields_schema({}, computed_fields=fields),
        config=cs.CoreConfig(serialize_by_alias=True),
    )
    written = serializer(schema)
    found = written.to_python(_Probe(), mode="json", fallback=_unknown, warnings=False)
    text = written.to_json(
        _Probe(), indent=None, ensure_ascii=True, fallback=_unknown, warnings=False
    )  # fmt: skip
    return bool(found == {"type": "\u00e9"} and text == b'{"type":"\\u00e9"}')


class _GaveUp(Exception):
    """A value the native serializer was not built for: `_dump` dumps the object."""


def _unknown(value: Any) -> Any:
    # pydantic-core met a value of a type it does not know, in an untyped field
    raise _GaveUp(type(value).__name__)


class Native:
    """One class's serializers, python mode and JSON mode; a dump gives None for an object
    they cannot write as `_dump` does (the caller then takes `_dump`'s path)."""

    __slots__ = ("_check", "_json", "_python")

    def __init__(self, python: Any, as_json: Any, check: Callable[[Any], bool] | None) -> None:
        self._python = python
        self._json = as_json
        #: For a facade class: whether a field its model lacks shows None but dumps a
        #: default (rare: an answer carries every field), which only `_dump` knows.
        self._check = check

    def dump(self, obj: Any, as_json: bool) -> dict[str, Any] | None:
        if self._check is not None and self._check(obj):
            return None
        try:
            if as_json:
                out: dict[str, Any] = self._json.to_python(
                    obj, mode="json", fallback=_unknown, warnings=False
                )
            else:
                out = self._python.to_python(obj, fallback=_unknown, warnings=False)
        except Exception:  # `_dump` dumps it, or raises what it raises
            return None
        return out

    def text(self, obj: Any, indent: int | None, ensure_ascii: bool) -> str | None:
        if self._check is not None and self._check(obj):
            return None
        try:
            written: bytes = self._json.to_json(
                obj, indent=indent, ensure_ascii=ensure_ascii, fallback=_unknown, warnings=False
            )
        except Exception:  # as in `dump`
            return None
        return written.decode()


def native(plan: Plan) -> Native | None:
    """``plan``'s native serializers, built at its first call (None: `_dump`'s path)."""
    made: Native | None = plan.native
    if made is NOT_BUILT:
        core = _core() if _readable(plan) else None
        made = plan.native = _Builder(*core).native(plan) if core is not None else None
    return made


def _readable(plan: Plan) -> bool:
    """Whether pydantic-core can read ``plan``'s objects field by field as `_dump` does:
    an instance ``__dict__`` (which its model serializer asks for), every field an
    attribute (a facade object's from its model), no computed field, no validator."""
    shape, cls = plan.shape, plan.cls
    if cls is None or shape.computed or shape.normalize is not None:
        return False
    if not getattr(cls, "__dictoffset__", 0):
        return False  # slots only: a generated model, an event
    if plan.reading == "object":  # every field must be an attribute the object always has
        declared = set(getattr(cls, "__slots__", ()))
        declared.update(getattr(cls, "__dataclass_fields__", {}))
        return all(name in declared for name in plan.names)
    return plan.reading == "facade"


class _Builder:
    """The core schemas of one class and of the models it holds, in one mode at a time."""

    def __init__(self, serializer: Any, cs: Any) -> None:
        self.serializer = serializer
        self.cs = cs
        self.mode = PYTHON
        self.definitions: dict[type, Any] = {}

    def native(self, plan: Plan) -> Native:
        made = []
        for mode in (PYTHON, JSON):
            self.mode, self.definitions = mode, {}
            assert plan.cls is not None
            schema = self._model(plan.cls)
            if self.definitions:
                schema = self.cs.definitions_schema(schema, list(self.definitions.values()))
            made.append(self.serializer(schema))
        return Native(made[0], made[1], _facade_check(plan))

    # -- a class and its fields ----------------------------------------------------------

    def _object(self, plan: Plan) -> Any:
        """pydantic-core reads a model schema's computed fields from the object's
        attributes, in their order, without checking its class (any object with a
        ``__dict__`` will do): each published field is one of them, under its
        published name (a facade object's attribute has that name)."""
        cs = self.cs
        fields = [cs.computed_field(field.name, self._field(plan, field)) for field in plan.fields]
        return cs.model_schema(
            plan.cls,
            cs.model_fields_schema({}, computed_fields=fields),
            config=cs.CoreConfig(serialize_by_alias=True),
        )

    def _field(self, plan: Plan, field: Field) -> Any:
        """A field's schema: its value's, after what the published validators did."""
        cs = self.cs
        if field.name in plan.float_names:
            # pydantic-core's float, as the published field's: a NaN stays a NaN in a
            # JSON-mode dict (its guess at an untyped float would give None), null as text
            return cs.any_schema(
                serialization=cs.plain_serializer_function_ser_schema(
                    _float, return_schema=cs.nullable_schema(cs.float_schema())
                )
            )
        value = self._value(field.annotation)
        if self.mode != PYTHON or field.name not in plan.literals:
            return value
        return cs.any_schema(
            serialization=cs.plain_serializer_function_ser_schema(_literal, return_schema=value)
        )

    def _value(self, annotation: Any) -> Any:
        """The schema of a value of ``annotation``."""
        cs = self.cs
        kind, optional = _unwrap(annotation)
        origin = typing.get_origin(kind)
        if origin is list or kind is list:
            (item,) = typing.get_args(kind) or (Any,)
            inner = self._value(item)
            if inner["type"] == "any" and "serialization" not in inner:
                return cs.any_schema()
            schema = cs.list_schema(inner)
        elif isinstance(kind, type) and issubclass(kind, Model):
            schema = self._model(kind)
        elif isinstance(kind, type) and issubclass(kind, Enum) and issubclass(kind, str):
            # a str enumeration: its text is its value, which pydantic-core writes in JSON
            # mode without asking Python for ``.value`` (python mode keeps the member)
            schema = cs.str_schema()
        elif isinstance(kind, type) and issubclass(kind, Enum):
            # typed: pydantic-core's guess at an enumeration costs it ten times more
            schema = cs.enum_schema(kind, list(kind), sub_type=_sub_type(kind))
        else:
            return cs.any_schema()
        return cs.nullable_schema(schema) if optional else schema

    def _model(self, cls: type) -> Any:
        """A model: read by pydantic-core, or dumped by `_dump` (a generated model, a
        computed field, attributes of its own), or a dict by its shape (an MCP server)."""
        cs = self.cs
        shape = _shapes.GENERATED.get(cls)
        if shape is not None and shape.normalize is not None:
            return self._merged_value(shape)  # an MCP server: a dict here
        plan = plan_of(cls)
        if not _readable(plan):
            return cs.any_schema(
                serialization=cs.plain_serializer_function_ser_schema(_dumped(plan, self.mode))
            )
        ref = f"{cls.__module__}.{cls.__qualname__}"
        if cls not in self.definitions:
            self.definitions[cls] = None  # a model that holds itself refers to this one
            self.definitions[cls] = {**self._object(plan), "ref": ref}
        return cs.definition_reference_schema(ref)

    def _merged_value(self, shape: Shape) -> Any:
        """A dict (or free-form object) dumped by ``shape``: `_merged` in Python, then
        a typed dict of its fields written by pydantic-core."""
        cs = self.cs
        if any(f.factory is not None for f in shape.fields):
            convert_one = _python_converter(shape, self.mode)
            return cs.any_schema(serialization=cs.plain_serializer_function_ser_schema(convert_one))
        fields = {
            f.name: cs.typed_dict_field(self._value(f.annotation), required=False)
            for f in shape.fields
        }
        return cs.any_schema(serialization=cs.plain_serializer_function_ser_schema(
            _merged(shape), return_schema=cs.typed_dict_schema(fields)
        ))  # fmt: skip


# -- what Python still does ----------------------------------------------------------------


def _float(value: Any) -> Any:
    # a published float field holds an int given to it as a float
    return float(value) if type(value) is int else value


def _literal(value: Any) -> Any:
    # python mode: a published ``Literal`` field holds a str, not our enumeration
    return value.value if isinstance(value, Enum) else value


def _python_converter(shape: Shape | None, mode: int) -> Callable[[Any], Any]:
    """`_dump`'s conversion of a value in ``mode`` (a dict by ``shape``, if any)."""
    return lambda value: convert(value, mode, shape)


def _merged(shape: Shape) -> Callable[[Any], Any]:
    """A dict dumped by ``shape`` (a free-form model's): its keys over the published
    defaults, in the published order, then the published validator (an MCP server's
    transport). pydantic-core copies it and leaves out keys the shape does not have."""
    defaults = {f.name: None if f.default is REQUIRED else f.default for f in shape.fields}
    normalize = shape.normalize
    assert normalize is not None

    def merged(value: Any) -> Any:
        data = value if type(value) is dict else getattr(value, "additional_properties", None)
        if type(data) is not dict:
            raise _GaveUp(type(value).__name__)
        out = {**defaults, **data}
        normalize(out)
        return out

    return merged


def _dumped(plan: Plan, mode: int) -> Callable[[Any], Any]:
    """`_dump`'s dump of an object of ``plan``'s class (of that class only: a dict there
    is dumped by the shape, which `_dump` does)."""
    cls, dump = plan.cls, plan.quick(mode)

    def dumped(value: Any) -> Any:
        if type(value) is not cls:
            raise _GaveUp(type(value).__name__)
        return dump(value)

    return dumped


def _facade_check(plan: Plan) -> Callable[[Any], bool] | None:
    """For a facade class: whether an object's model lacks a field whose published
    default is not None (the facade shows None there; `_dump` dumps the default)."""
    if plan.reading != "facade":
        return None
    start = 1 if plan.first is not None else 0
    pairs = list(zip(plan.fields, plan.attributes, strict=True))[start:]
    attributes = [
        attr
        for field, attr in pairs
        if not field.required and (field.factory is not None or field.default is not None)
    ]
    if not attributes:
        return None
    read: Callable[[Any], Any] = operator.attrgetter(*attributes)
    if len(attributes) == 1:
        return lambda obj: read(obj._model) is UNSET
    return lambda obj: UNSET in read(obj._model)


# -- types ---------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``(the type inside Optional / a union with Unset, whether None is allowed)``; the
    annotation itself for a union of several types."""
    if typing.get_origin(annotation) is not Union and not isinstance(annotation, types.UnionType):
        return annotation, False
    args = typing.get_args(annotation)
    kinds = [a for a in args if a is not type(None) and a is not Unset]
    return (kinds[0] if len(kinds) == 1 else annotation), type(None) in args


def _sub_type(kind: type[Enum]) -> str | None:
    for base, name in ((str, "str"), (int, "int"), (float, "float")):
        if issubclass(kind, base):
            return name
    return None
