"""Dumping an object as pydantic dumps the published model it stands for.

Each class has a `Plan`: its published shape (`_shapes`), and how its values are
read (a task's from its generated model, a generated model's from its attributes,
an MCP server's from its dict). `dump` walks it: the published field order, the
published default where the object holds no value, computed fields last. Values
come out as pydantic 2 gives them: in ``json`` mode datetimes as ISO 8601 text
(``Z`` for UTC, an offset in minutes), enumerations as their values, non-finite
floats as None except in a float field (pydantic's float serializer keeps them);
`json_text` writes them byte for byte as ``model_dump_json`` (non-finite as null).

Two walks: `dump` without ``include`` / ``exclude`` / ``exclude_*`` is the common
call and takes a short path (types looked up once per class, a converter each);
the options take `dump_with`.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import keyword
import math
import re
import secrets
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum
from functools import partial
from pathlib import PurePath
from typing import Any, Union
from uuid import UUID

import attrs
from dateutil.tz import tzutc
from xpander_api_client.types import UNSET, Model

from . import _shapes
from ._convert import field_names, field_types, is_free_form
from ._shapes import REQUIRED, Field, Shape

#: What a plan reads for a field the object holds no value for: its default is dumped.
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
_SCALARS = frozenset({str, int, bool, type(None)})
#: A plan's `native` before `_native` was asked for it.
NOT_BUILT: Any = type("NotBuilt", (), {"__repr__": lambda self: "NOT_BUILT"})()
#: Is a class a generated free-form object? Asked per class, answered once.
_free_form: Callable[[type], bool] = functools.cache(is_free_form)


# -- plans -------------------------------------------------------------------------------

#: Where a class keeps its fields: a facade object reads them from its generated model
#: (``_model``), a generated model has them as attributes, a dict (an MCP server in a
#: task) or a free-form generated model as keys, an event or a dataclass as attributes
#: that do not record whether they were given.
READINGS = ("facade", "attributes", "mapping", "free-form", "object")


class Plan:
    """How one class is dumped, copied and made: its shape, and where its values are."""

    def __init__(
        self,
        shape: Shape,
        reading: str,
        make: Callable[[dict[str, Any], Any], Any],
        attributes: tuple[str, ...] | None = None,
        first: Callable[[Any], Any] | None = None,
        rebuild: Callable[[Any, dict[str, Any]], Any] | None = None,
    ) -> None:
        assert reading in READINGS, reading
        self.shape = shape
        self.fields = shape.fields
        self.names = shape.names
        self.reading = reading
        #: Per field, the attribute that holds it (a generated model's ``type_``).
        self.attributes = attributes or shape.names
        #: The first field, when read by a function (a task's ``configuration``).
        self.first = first
        #: A new object from JSON values (checked) and the owner a task is bound to.
        self.make = make
        #: A copy with some fields changed, for a class that is not copied by its state.
        self.rebuild = rebuild
        #: Whether a value read as `MISSING` means the field was not given.
        self.absent_known = reading != "object"
        #: Per field: the shape a dict value is dumped by (an MCP server is a dict here).
        self.dict_shapes = tuple(_shapes.GENERATED.get(_unwrap(f.annotation)) for f in shape.fields)
        #: Per field: None (its default is immutable), or what makes its default.
        self.defaults = tuple(_default_maker(f) for f in shape.fields)
        self.floats = tuple(
            (i, f.name) for i, f in enumerate(shape.fields) if _is(f.annotation, float)
        )
        self.float_names = frozenset(name for _, name in self.floats)
        self.literals = tuple(f.name for f in shape.fields if _is_literal(f.annotation))
        self.finish = bool(self.floats or self.literals or shape.normalize or shape.computed)
        self._quick: dict[int, Callable[[Any], dict[str, Any]]] = {}
        self.info: Any = None
        #: The class it dumps (set by `plan_of`; None for a dict's plan).
        self.cls: type | None = None
        #: What `_native` built for it: `NOT_BUILT` until asked, then its serializers or None.
        self.native: Any = NOT_BUILT

    def read(self, obj: Any) -> list[Any]:
        """The object's values, field by field (`MISSING` where it holds none)."""
        names, reading = self.attributes, self.reading
        if reading == "mapping" or reading == "free-form":
            data = obj if reading == "mapping" else obj.additional_properties
            return [data.get(name, MISSING) for name in names]
        if reading == "object":
            return [getattr(obj, name, MISSING) for name in names]
        if reading == "attributes":
            return [MISSING if v is UNSET else v for v in [getattr(obj, n, UNSET) for n in names]]
        model = obj._model
        values = [self.first(obj)] if self.first is not None else []
        for name, attr in zip(self.names[len(values) :], names[len(values) :], strict=True):
            value = getattr(obj, name)
            if value is None and getattr(model, attr, None) is UNSET:
                value = MISSING
            values.append(value)
        return values

    def quick(self, mode: int) -> Callable[[Any], dict[str, Any]]:
        """This plan's dump in ``mode`` (`PYTHON`, `JSON`, `SKELETON`), written out."""
        found = self._quick.get(mode)
        if found is None:
            found = self._quick[mode] = _compile(self, mode)
        return found


def _default_maker(field: Field) -> Any:
    if field.factory is not None:
        return field.factory
    if isinstance(field.default, (list, dict)):
        return partial(copy.copy, field.default)
    return None


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``Optional[...]`` / ``List[...]``, else the annotation."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (Union, list) and args:
        inner = [a for a in args if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else annotation
    return annotation


def _is(annotation: Any, kind: type) -> bool:
    return annotation is kind or kind in typing.get_args(annotation)


def _is_literal(annotation: Any) -> bool:
    kinds = (annotation, *typing.get_args(annotation))
    return any(typing.get_origin(a) is typing.Literal for a in kinds)


_REGISTERED: dict[type, Callable[[type], Plan]] = {}
_PLANS: dict[type, Plan] = {}
_MAPPING_PLANS: dict[Shape, Plan] = {}


def plan_of(cls: type) -> Plan:
    """The plan of ``cls``: registered (for it or a base), else its generated model's."""
    plan = _PLANS.get(cls)
    if plan is None:
        build = next((_REGISTERED[b] for b in cls.__mro__ if b in _REGISTERED), None)
        if build is None and not attrs.has(cls):
            raise TypeError(f"{cls.__name__} has no published shape to dump it by")
        plan = _PLANS[cls] = build(cls) if build is not None else _generated_plan(cls)
        plan.cls = cls
    return plan


def install(cls: type, build: Callable[[type], Plan]) -> None:
    """Dump, copy and make ``cls`` (and its subclasses) by the plan ``build`` makes."""
    _REGISTERED[cls] = build
    for known in [k for k in _PLANS if issubclass(k, cls)]:
        del _PLANS[known]


def _generated_plan(cls: type) -> Plan:
    """A generated model: its published shape, else one made of its own fields."""
    pairs = field_names(cls)
    shape = _shapes.GENERATED.get(cls)
    if shape is None:
        hints = field_types(cls)
        defaults = {f.name: f.default for f in attrs.fields(cls)}
        shape = Shape(cls.__name__, [
            Field(wire, hints[attr], REQUIRED if defaults[attr] is attrs.NOTHING else None)
            for wire, attr in pairs
        ])  # fmt: skip
    attr_of = dict(pairs)

    def make(data: dict[str, Any], owner: Any) -> Any:
        return cls.from_dict(data)  # type: ignore[attr-defined]

    if _free_form(cls):  # an MCP server: its fields are the keys of its dict
        return Plan(shape, "free-form", make)
    return Plan(shape, "attributes", make, tuple(attr_of.get(n, n) for n in shape.names))


def facade_plan(
    shape: Shape,
    model_cls: type,
    make: Callable[[dict[str, Any], Any], Any],
    first: Callable[[Any], Any] | None = None,
) -> Callable[[type], Plan]:
    """The plan of a facade class whose fields are read from its generated ``_model``
    (`Task`, `TasksListItem`): a None it shows is absent when the answer lacked the
    field. ``first`` reads the first field otherwise (the task's ``configuration``)."""
    attr_of = dict(field_names(model_cls))
    attributes = tuple(attr_of.get(name, name) for name in shape.names)
    return lambda cls: Plan(shape, "facade", make, attributes, first)


def object_plan(
    shape: Shape,
    make: Callable[[dict[str, Any], Any], Any],
    rebuild: Callable[[Any, dict[str, Any]], Any],
) -> Callable[[type], Plan]:
    """The plan of a class whose fields are its attributes (an event, a dataclass)."""
    return lambda cls: Plan(shape, "object", make, rebuild=rebuild)


def _mapping_plan(shape: Shape) -> Plan:
    plan = _MAPPING_PLANS.get(shape)
    if plan is None:
        plan = _MAPPING_PLANS[shape] = Plan(shape, "mapping", _as_given)
    return plan


def _as_given(data: dict[str, Any], owner: Any) -> dict[str, Any]:
    return data


# -- the common dump ---------------------------------------------------------------------

#: What a compiled dump makes: pydantic's python mode, its JSON mode, or a skeleton for
#: pydantic-core to write as JSON (models made dicts, every other value as it is, uncopied).
PYTHON, JSON, SKELETON = 0, 1, 2


def dump(obj: Any, plan: Plan, as_json: bool) -> dict[str, Any]:
    """``model_dump(mode="json" if as_json else "python")`` of ``obj``, without options."""
    return plan.quick(JSON if as_json else PYTHON)(obj)


def dump_text(obj: Any, plan: Plan, indent: int | None, ensure_ascii: bool) -> str:
    """``model_dump_json(indent=indent, ensure_ascii=ensure_ascii)`` of ``obj``.

    With pydantic-core installed (wherever the published SDK ran), pydantic's own writer
    writes the object's skeleton: values are made JSON there, in Rust, as pydantic makes
    them. Without it, the JSON-mode dump is written by `json_text` (the tests hold the
    two to the same bytes).
    """
    writer = _writer()
    if writer is None:
        return json_text(plan.quick(JSON)(obj), indent, ensure_ascii)
    return _written(writer, plan.quick(SKELETON)(obj), indent, ensure_ascii)


def text_of(data: Any, indent: int | None, ensure_ascii: bool) -> str:
    """JSON-mode ``data`` as pydantic's ``model_dump_json`` writes it."""
    writer = _writer()
    if writer is None:
        return json_text(data, indent, ensure_ascii)
    return _written(writer, data, indent, ensure_ascii)


def _written(writer: Any, data: Any, indent: int | None, ensure_ascii: bool) -> str:
    try:
        text: bytes = writer(data, indent=indent, ensure_ascii=ensure_ascii, fallback=_fallback)
    except ValueError as exc:  # pydantic-core's serialization error: a value of no known type
        raise TypeError(f"cannot dump a value: {exc}") from None
    return text.decode()


def _fallback(value: Any) -> Any:
    """What pydantic-core calls for a value of a type it does not know: a model in a dict."""
    if isinstance(value, Model):
        return _CONVERTERS[SKELETON][type(value)](value, None)
    raise TypeError(f"cannot dump a {type(value).__name__} (give model_dump a fallback=)")


_WRITER: list[Any] = []


def _writer() -> Any:
    """pydantic-core's writer of any value as JSON, or None without pydantic-core."""
    if not _WRITER:
        try:
            from pydantic_core import SchemaSerializer, core_schema

            found: Any = SchemaSerializer(core_schema.any_schema()).to_json
            found({}, indent=None, ensure_ascii=False, fallback=repr)  # pydantic-core 2.30+
        except (ImportError, TypeError):
            found = None
        _WRITER.append(found)
    return _WRITER[0]


def _compile(plan: Plan, mode: int) -> Callable[[Any], dict[str, Any]]:
    """``plan``'s dump as one function, written out field by field.

    A loop over the fields that tests each one for what this plan never needs costs
    about twice as much (bench/pydantic_dump.py). A task's fields are read from its
    generated model, unless set on the task (then from its ``__dict__``).
    """
    space: dict[str, Any] = {
        "S": _PASS[mode], "C": _CONVERTERS[mode], "U": UNSET, "M": MISSING,
        "Enum": Enum, "float": float, "getattr": getattr,
    }  # fmt: skip
    lines = ["def dump(obj):"]
    if plan.reading == "facade":
        lines += ["    model = obj._model", "    given = obj.__dict__"]
    elif plan.reading == "free-form":
        lines.append("    data = obj.additional_properties")
    literals = set(plan.literals) if mode == PYTHON else set()
    floats = plan.float_names
    fields = zip(plan.fields, plan.attributes, plan.defaults, strict=True)
    for i, (field, attr, default) in enumerate(fields):
        name = field.name
        space[f"D{i}"] = None if field.required else (default or field.default)
        space[f"H{i}"] = plan.dict_shapes[i]
        take = f"D{i}()" if default is not None else f"D{i}"
        v = f"v{i}"
        if i == 0 and plan.first is not None:
            space["first"] = plan.first
            lines.append(f"    {v} = first(obj)")
        elif plan.reading == "facade":
            lines.append(f"    {v} = {_attribute('model', attr)}")
            lines.append(
                f"    if {name!r} in given and (given[{name!r}] is not None or {v} is not U):"
            )
            lines.append(f"        {v} = given[{name!r}]")  # set on the task (or read: the same)
            lines.append(f"    if {v} is U: {v} = {take}")
        elif plan.reading == "attributes":
            lines.append(f"    {v} = {_attribute('obj', attr)}")
            lines.append(f"    if {v} is U: {v} = {take}")
        else:
            source = {"mapping": "obj.get", "free-form": "data.get"}.get(plan.reading)
            read = f"{source}({name!r}, M)" if source else f"getattr(obj, {name!r}, M)"
            lines.append(f"    {v} = {read}")
            lines.append(f"    if {v} is M: {v} = {take}")
        if name in floats:
            # pydantic's float field holds an int given to it as a float (in python mode
            # its int default stays an int)
            where = len(lines) - 1 if mode == PYTHON else len(lines)
            lines.insert(where, f"    if type({v}) is int: {v} = float({v})")
        if name in literals:
            lines.append(f"    if isinstance({v}, Enum): {v} = {v}.value")  # a published Literal
        if name in floats and mode == JSON:
            # a float field keeps a NaN or an infinity in a JSON-mode dict, as pydantic's
            # float serializer does (the text writes null); elsewhere they become None
            lines.append(f"    if type({v}) is not float and type({v}) not in S:")
            lines.append(f"        {v} = C[type({v})]({v}, H{i})")
            continue
        lines.append(f"    if type({v}) not in S: {v} = C[type({v})]({v}, H{i})")
    entries = ", ".join(f"{f.name!r}: v{i}" for i, f in enumerate(plan.fields))
    lines.append(f"    out = {{{entries}}}")
    if plan.shape.normalize is not None:
        space["normalize"] = plan.shape.normalize
        lines.append("    normalize(out)")
    for i, (name, _, compute) in enumerate(plan.shape.computed):
        space[f"computed{i}"] = compute
        lines.append(f"    out[{name!r}] = computed{i}(out)")
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<dump of {plan.shape.name}>", "exec"), space)
    function: Callable[[Any], dict[str, Any]] = space["dump"]
    return function


def _attribute(owner: str, name: str) -> str:
    """Python for reading attribute ``name`` of ``owner``."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return f"{owner}.{name}"
    return f"getattr({owner}, {name!r})"


# Converters, one table per mode: type -> what turns a value of it into its dump, given
# the shape a dict of it is dumped by (an MCP server's). A value whose type is in the
# mode's `_PASS` stays as it is. Both fill in as types are met (`_Converters.__missing__`).

_PASS: tuple[set[type], set[type], set[type]] = (
    {str, int, bool, type(None), float, datetime},  # python: datetimes and floats as they are
    {str, int, bool, type(None)},  # JSON
    {str, int, bool, type(None), float, datetime},  # skeleton: pydantic-core makes them JSON
)


class _Converters(dict[type, Callable[[Any, Any], Any]]):
    def __init__(self, mode: int) -> None:
        super().__init__()
        self.mode = mode

    def __missing__(self, kind: type) -> Callable[[Any, Any], Any]:
        found = self[kind] = _converter(kind, self.mode)
        return found


_CONVERTERS = (_Converters(PYTHON), _Converters(JSON), _Converters(SKELETON))


def convert(value: Any, mode: int, hint: Any = None) -> Any:
    """One value as the compiled dumps make it in ``mode`` (a dict by the shape ``hint``)."""
    return value if type(value) in _PASS[mode] else _CONVERTERS[mode][type(value)](value, hint)


def _converter(kind: type, mode: int) -> Callable[[Any, Any], Any]:
    """How values of ``kind`` are dumped in ``mode``, worked out once per type."""
    if issubclass(kind, Enum):
        if mode != JSON:  # as they are: from now on not even looked up
            _PASS[mode].add(kind)
            return _as_it_is
        return _enum_json
    if _free_form(kind) and kind not in _shapes.GENERATED:
        convert_dict = _CONVERTERS[mode][dict]
        return lambda value, hint: convert_dict(value.additional_properties, None)
    if issubclass(kind, Model):
        compiled = plan_of(kind).quick(mode)
        return lambda value, hint: compiled(value)
    if kind is dict:
        return _dict_converter(mode)
    if kind is list or kind is tuple:
        return _list_converter(mode, kind is tuple)
    if mode == JSON and kind is float:
        return _float_json
    if mode == JSON and kind is datetime:
        return _datetime_json
    return partial(_other, mode=mode)


def _dict_converter(mode: int) -> Callable[[Any, Any], Any]:
    keep, convert = _PASS[mode], _CONVERTERS[mode]

    def python(value: dict[Any, Any], hint: Shape | None) -> Any:
        if hint is not None:
            return _mapping_plan(hint).quick(mode)(value)
        return {k: v if type(v) in keep else convert[type(v)](v, None) for k, v in value.items()}

    def as_json(value: dict[Any, Any], hint: Shape | None) -> Any:
        if hint is not None:
            return _mapping_plan(hint).quick(mode)(value)
        return {
            k if type(k) is str else _key(k): v if type(v) in keep else convert[type(v)](v, None)
            for k, v in value.items()
        }

    def skeleton(value: dict[Any, Any], hint: Shape | None) -> Any:
        # as it is: pydantic-core copies it as it writes it (and asks `_fallback` for a model)
        return value if hint is None else _mapping_plan(hint).quick(mode)(value)

    return (python, as_json, skeleton)[mode]


def _list_converter(mode: int, is_tuple: bool) -> Callable[[Any, Any], Any]:
    keep, convert = _PASS[mode], _CONVERTERS[mode]

    def items(value: Any, hint: Shape | None) -> Any:
        out = [v if type(v) in keep else convert[type(v)](v, hint) for v in value]
        return tuple(out) if is_tuple and mode == PYTHON else out

    return items


def _as_it_is(value: Any, hint: Any) -> Any:
    return value


def _enum_json(value: Enum, hint: Any) -> Any:
    inner = value._value_
    return inner if type(inner) in _PASS[JSON] else convert(inner, JSON)


def _float_json(value: float, hint: Any) -> Any:
    return value if math.isfinite(value) else None


def _datetime_json(value: datetime, hint: Any) -> Any:
    return datetime_text(value)


def _other(value: Any, hint: Any, mode: int) -> Any:
    if mode == SKELETON:
        return value  # pydantic-core writes what it knows (and asks `_fallback` the rest)
    return value_with(value, Options(mode == JSON), None, None, hint)


def _finish(out: dict[str, Any], plan: Plan, as_json: bool, values: Any, keep: Any) -> None:
    """What follows the fields: floats, Literal strings, validators, computed fields."""
    for i, name in plan.floats:
        # pydantic's float field holds an int given to it as a float (not its int default)
        if type(out.get(name)) is int and (as_json or values[i] is not MISSING):
            out[name] = float(out[name])
    if not as_json:
        for name in plan.literals:
            if isinstance(out.get(name), Enum):
                out[name] = out[name].value  # a Literal of the published model: a str
    if plan.shape.normalize is not None:
        plan.shape.normalize(out)
    for name, _, compute in plan.shape.computed:
        if keep(name):
            out[name] = compute(out)


def _key(key: Any) -> str:
    return str(key.value if isinstance(key, Enum) else key)


def datetime_text(value: datetime) -> str:
    """``value`` as pydantic writes it: ISO 8601, ``Z`` for UTC, an offset in minutes."""
    zone = value.tzinfo
    if zone is timezone.utc:
        return value.isoformat()[:-6] + "Z"
    if type(zone) is tzutc:  # not asked: dateutil's answers in Python
        return value.replace(tzinfo=None).isoformat() + "Z"
    offset = value.utcoffset()
    if offset is None:
        return value.isoformat()
    if not offset:
        return value.replace(tzinfo=None).isoformat() + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{value.replace(tzinfo=None).isoformat()}{sign}{hours:02d}:{minutes:02d}"


# -- the dump with options ---------------------------------------------------------------


class Options:
    """``model_dump``'s options: the mode, the ``exclude_*`` flags, the fallback."""

    __slots__ = ("defaults", "fallback", "json", "no_computed", "none", "unset")

    def __init__(
        self,
        as_json: bool,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        fallback: Callable[[Any], Any] | None = None,
    ) -> None:
        self.json = as_json
        self.unset = exclude_unset
        self.defaults = exclude_defaults
        self.none = exclude_none
        self.no_computed = exclude_computed_fields
        self.fallback = fallback

    @property
    def plain(self) -> bool:
        return not (self.unset or self.defaults or self.none or self.no_computed or self.fallback)


def selection(value: Any, name: str) -> Any:
    """An ``include`` / ``exclude`` as a dict (a set's names map to True); None for none."""
    if value is None or isinstance(value, Mapping):
        return value
    if isinstance(value, (set, frozenset, list, tuple)):
        return dict.fromkeys(value, True)
    raise TypeError(f"{name} must be a set or a dict of field names, not {type(value).__name__}")


def _part(spec: Any, key: Any) -> Any:
    """What ``spec`` says of ``key``: None (nothing), True (all of it), or a nested spec."""
    if spec is None:
        return None
    here = spec.get(key)
    every = spec.get("__all__")
    if every not in (None, True, False) and here not in (None, True, False):
        return {**selection(every, "include"), **selection(here, "include")}  # both narrow
    chosen = here if here is not None else every
    if chosen is None or chosen is False:
        return None
    return True if chosen is True or chosen is ... else selection(chosen, "include")


def _kept(key: Any, include: Any, exclude: Any) -> tuple[bool, Any, Any]:
    """Whether ``key`` is dumped, and the include / exclude of its value."""
    inner_exclude = _part(exclude, key)
    if inner_exclude is True:
        return False, None, None
    if include is None:
        return True, None, inner_exclude
    inner_include = _part(include, key)
    if inner_include is None:
        return False, None, None
    return True, None if inner_include is True else inner_include, inner_exclude


def dump_with(obj: Any, plan: Plan, o: Options, include: Any = None, exclude: Any = None) -> Any:
    """``model_dump`` of ``obj`` with the options ``o`` and ``include`` / ``exclude``."""
    if include is None and exclude is None and o.plain:
        return dump(obj, plan, o.json)
    values = plan.read(obj)
    is_set = fields_set(plan, values) if o.unset else None
    out: dict[str, Any] = {}
    for name, value, default, hint, field in zip(
        plan.names, values, plan.defaults, plan.dict_shapes, plan.fields, strict=True
    ):
        keep, inner_include, inner_exclude = _kept(name, include, exclude)
        if not keep or (is_set is not None and name not in is_set):
            continue
        if value is MISSING:
            value = field.default if default is None else default()
        if (o.none and value is None) or (o.defaults and is_default(value, field)):
            continue
        if type(value) is float and name in plan.float_names:
            out[name] = value  # as pydantic's float field: a NaN stays, even in JSON mode
            continue
        out[name] = value_with(value, o, inner_include, inner_exclude, hint)
    if plan.finish:

        def computed(name: str) -> bool:
            return not o.no_computed and _kept(name, include, exclude)[0]

        _finish(out, plan, o.json, values, computed)
    return out


def value_with(value: Any, o: Options, include: Any, exclude: Any, hint: Shape | None) -> Any:
    """One value as pydantic dumps it with options (and a skeleton finished, without
    pydantic-core): copied, and JSON in JSON mode."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is float:
        return value if not o.json or math.isfinite(value) else None
    if kind is datetime:
        return datetime_text(value) if o.json else value
    if kind is dict or (isinstance(value, Mapping) and not isinstance(value, Model)):
        if hint is not None:
            return dump_with(value, _mapping_plan(hint), o, include, exclude)
        out = {}
        for key, item in value.items():
            keep, inner_include, inner_exclude = _kept(key, include, exclude)
            if keep:
                key = key if not o.json or type(key) is str else _key(key)
                out[key] = value_with(item, o, inner_include, inner_exclude, None)
        return out
    if kind is list or kind is tuple:
        if include is None and exclude is None:
            items = [value_with(item, o, None, None, hint) for item in value]
        else:
            items = [
                value_with(item, o, inner_include, inner_exclude, hint)
                for i, item in enumerate(value)
                for keep, inner_include, inner_exclude in (_kept(i, include, exclude),)
                if keep
            ]
        return items if o.json or kind is list else tuple(items)
    if isinstance(value, Enum):
        return value_with(value.value, o, None, None, None) if o.json else value
    if _free_form(kind) and kind not in _shapes.GENERATED:
        return value_with(value.additional_properties, o, include, exclude, None)
    if isinstance(value, Model):
        return dump_with(value, plan_of(kind), o, include, exclude)
    return _other_value(value, o)


def _other_value(value: Any, o: Options) -> Any:
    if isinstance(value, (list, tuple)):
        return value_with(
            list(value) if isinstance(value, list) else tuple(value), o, None, None, None
        )
    if isinstance(value, (set, frozenset)):
        items = [value_with(item, o, None, None, None) for item in value]
        return items if o.json else type(value)(items)
    if isinstance(value, (float, datetime)):
        return value_with(float(value) if isinstance(value, float) else value, o, None, None, None)
    if not o.json and isinstance(value, (date, time, timedelta, Decimal, UUID, PurePath, bytes)):
        return value
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID, PurePath)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return value_with(fields, o, None, None, None)
    if o.fallback is not None:
        return value_with(o.fallback(value), o, None, None, None)
    raise TypeError(f"cannot dump a {type(value).__name__} (give model_dump a fallback=)")


def is_default(value: Any, field: Field) -> bool:
    """Whether ``value`` equals ``field``'s default, as dumped (a model by its fields)."""
    if field.required:
        return False
    default = field.factory() if field.factory is not None else field.default
    plain = Options(False)
    return bool(
        value_with(value, plain, None, None, None) == value_with(default, plain, None, None, None)
    )


def fields_set(plan: Plan, values: list[Any]) -> set[str]:
    """The fields given a value: those read (for an object that does not record what it
    was given, those not at an optional field's default)."""
    if plan.absent_known:
        return {
            name for name, value in zip(plan.names, values, strict=True) if value is not MISSING
        }
    return {
        field.name
        for field, value in zip(plan.fields, values, strict=True)
        if value is not MISSING and not is_default(value, field)
    }


# -- JSON text ---------------------------------------------------------------------------

#: How Python writes a float with a padded negative exponent (``1e-05``), unlike pydantic.
_PADDED_EXPONENT = "e-0"
_ESCAPED_DEL = re.compile(r"(?<!\\)((?:\\\\)*)\\u007f")


def float_text(value: float) -> str:
    """A float as pydantic writes it: Python's ``repr``, but ``0.00001`` for ``1e-05``
    and no zero padding in a negative exponent (``1e-6``)."""
    text = repr(value)
    mantissa, _, exponent = text.partition("e-")
    if not exponent:
        return text
    power = int(exponent)
    if power != 5:
        return f"{mantissa}e-{power}"
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    return f"{sign}0.0000{digits}"


def _mark_floats(value: Any, marks: dict[str, str], nonce: str) -> Any:
    if type(value) is float and _PADDED_EXPONENT in repr(value):
        mark = f"\x00{nonce}{len(marks)}\x00"
        marks[json.dumps(mark)] = float_text(value)
        return mark
    if type(value) is dict:
        return {k: _mark_floats(v, marks, nonce) for k, v in value.items()}
    if type(value) is list:
        return [_mark_floats(v, marks, nonce) for v in value]
    return value


def _finite(value: Any) -> Any:
    """``value`` with every NaN and infinity made None."""
    if type(value) is float:
        return value if math.isfinite(value) else None
    if type(value) is dict:
        return {k: _finite(v) for k, v in value.items()}
    if type(value) is list:
        return [_finite(v) for v in value]
    return value


def json_text(data: Any, indent: int | None, ensure_ascii: bool) -> str:
    """JSON-mode ``data`` as pydantic's ``model_dump_json`` writes it."""
    separators = (",", ":") if indent is None else (",", ": ")
    try:
        text = json.dumps(
            data, ensure_ascii=ensure_ascii, separators=separators, indent=indent, allow_nan=False
        )
    except ValueError:  # a NaN or an infinity (a float field's): pydantic writes null
        data = _finite(data)
        text = json.dumps(data, ensure_ascii=ensure_ascii, separators=separators, indent=indent)
    if _PADDED_EXPONENT in text:  # a tiny float (or those three characters in some text)
        marks: dict[str, str] = {}
        marked = _mark_floats(data, marks, secrets.token_hex(8))
        if marks:
            text = json.dumps(
                marked, ensure_ascii=ensure_ascii, separators=separators, indent=indent
            )
            for mark, number in marks.items():
                text = text.replace(mark, number)
    if ensure_ascii and "\\u007f" in text:
        text = _ESCAPED_DEL.sub("\\1\x7f", text)  # pydantic leaves DEL as it is
    return text
