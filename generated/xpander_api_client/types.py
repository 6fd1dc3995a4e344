"""Contains some shared types for properties"""

from collections.abc import Callable, Iterator, Mapping, MutableMapping, Set
from http import HTTPStatus
from types import MappingProxyType
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    BinaryIO,
    ClassVar,
    Generic,
    Literal,
    Protocol,
    TypeVar,
)

from attrs import define


class Unset:
    """The value of a field the JSON object did not hold (one, `UNSET`, kept by copies)."""

    def __bool__(self) -> Literal[False]:
        return False

    def __copy__(self) -> "Unset":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "Unset":
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


#: pydantic's ``include`` / ``exclude``: field names (or list indices), or a mapping of
#: them to True or to the same for the nested value (``"__all__"`` for every item).
IncEx = Set[str] | Set[int] | Mapping[str, Any] | Mapping[int, Any]
M = TypeVar("M", bound="Model")


class _Undefined:
    """The default of a required field (pydantic's name for it, shown the same)."""

    def __repr__(self) -> str:
        return "PydanticUndefined"


UNDEFINED: Any = _Undefined()


class FieldInfo:
    """One field of a model, as pydantic's ``model_fields`` describe it."""

    __slots__ = (
        "alias",
        "annotation",
        "default",
        "default_factory",
        "description",
        "exclude",
        "required",
    )

    def __init__(
        self,
        annotation: Any,
        default: Any = UNDEFINED,
        default_factory: Callable[[], Any] | None = None,
        required: bool = False,
    ) -> None:
        self.annotation = annotation
        self.default = default
        self.default_factory = default_factory
        self.required = required
        self.alias: str | None = None
        self.description: str | None = None
        self.exclude: bool | None = None

    def is_required(self) -> bool:
        return self.required

    def get_default(self, *, call_default_factory: bool = False) -> Any:
        if self.default_factory is not None:
            return self.default_factory() if call_default_factory else None
        return self.default

    def __repr__(self) -> str:
        shown = f"annotation={self.annotation!r}, required={self.required}"
        if self.default_factory is not None:
            return f"FieldInfo({shown}, default_factory={self.default_factory!r})"
        return f"FieldInfo({shown}, default={self.default!r})"


class ModelProtocol(Protocol):
    """What serves `Model`'s methods (xpander_sdk registers it: `set_model_protocol`)."""

    def dump(self, model: Any, options: dict[str, Any]) -> dict[str, Any]: ...
    def dump_json(self, model: Any, options: dict[str, Any]) -> str: ...
    def copy(self, model: M, update: Mapping[str, Any] | None, deep: bool) -> M: ...
    def validate(self, cls: type[M], obj: Any, from_json: bool) -> M: ...
    def fields(self, cls: type) -> dict[str, FieldInfo]: ...
    def computed_fields(self, cls: type) -> dict[str, FieldInfo]: ...
    def fields_set(self, model: Any) -> set[str]: ...
    def items(self, model: Any) -> Iterator[tuple[str, Any]]: ...
    def json_schema(self, cls: type, options: dict[str, Any]) -> dict[str, Any]: ...
    def core_schema(self, cls: type, handler: Any) -> Any: ...
    def any_serializer(self) -> Any: ...


_provider: Callable[[], ModelProtocol] | None = None
_protocol: ModelProtocol | None = None

#: The module that registers the protocol when imported: this package ships inside
#: xpander-sdk, whose facade serves it. Imported at the first call of a `Model` method, so
#: neither importing this package nor importing xpander_sdk pays for it.
PROTOCOL_MODULE = "xpander_sdk.task"


def set_model_protocol(provider: Callable[[], ModelProtocol]) -> None:
    """Register what gives the `ModelProtocol` that serves `Model`'s methods; it is called
    when one is first called (`PROTOCOL_MODULE` registers it when imported)."""
    global _provider, _protocol
    _provider, _protocol = provider, None


def _served() -> ModelProtocol:
    global _protocol
    if _protocol is None:
        if _provider is None:
            import importlib

            importlib.import_module(PROTOCOL_MODULE)
        if _provider is None:
            raise RuntimeError(
                f"{PROTOCOL_MODULE} registered no protocol for the models' methods"
            )
        _protocol = _provider()
    return _protocol


class _ClassAttribute:
    """``model_fields`` and ``model_computed_fields``: read on the class or on an instance."""

    def __init__(self, read: Callable[[ModelProtocol, type], Any]) -> None:
        self.read = read

    def __get__(self, instance: object, owner: type) -> Any:
        return self.read(_served(), owner)


class Model:
    """The pydantic ``BaseModel`` methods of the published xpander-sdk's models.

    In that SDK these models were pydantic models; code written for it calls
    `model_dump`, `model_dump_json`, `model_copy`, `model_validate`, reads
    `model_fields`, and returns them from FastAPI routes. The same calls give the
    same output here (the same keys in the same order, values, and JSON), without
    pydantic: it is needed only for `model_json_schema`, and used, when installed,
    through ``__get_pydantic_core_schema__`` (FastAPI, ``pydantic.TypeAdapter``);
    pydantic-core, when installed, writes `model_dump_json`'s text. A task's dump
    holds where its client connects under ``configuration``, never the API key.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        model_fields: ClassVar[dict[str, FieldInfo]]
        model_computed_fields: ClassVar[dict[str, FieldInfo]]
    else:
        model_fields = _ClassAttribute(lambda served, cls: served.fields(cls))
        model_computed_fields = _ClassAttribute(
            lambda served, cls: served.computed_fields(cls)
        )

    #: pydantic's settings of the published model: none of them is set.
    model_config: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    @property
    def model_fields_set(self) -> set[str]:
        """The fields given a value (by the answer it was read from, or since), not defaulted."""
        return _served().fields_set(self)

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """None, as in the published models: fields they do not know are not kept as fields."""
        return None

    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
        fallback: Callable[[Any], Any] | None = None,
        serialize_as_any: bool = False,
        polymorphic_serialization: bool | None = None,
    ) -> dict[str, Any]:
        """The model as a dict, as pydantic's ``model_dump`` gives it.

        ``mode="json"`` gives only JSON values (datetimes as ISO 8601 text, ``Z``
        for UTC; enumerations as their values); ``"python"`` keeps them as objects.
        ``include`` / ``exclude`` pick fields by name (nested: a dict of them,
        ``"__all__"`` for every item of a list); ``exclude_unset`` drops the
        fields the answer did not carry, ``exclude_defaults`` those at their
        default, ``exclude_none`` those that are None. ``fallback`` turns a value
        of an unknown type into one that can be dumped. The other arguments are
        pydantic's and change nothing here (no aliases, no custom serializers), but
        ``round_trip``, which leaves the computed fields out, as pydantic does.
        """
        return _served().dump(
            self,
            {
                "mode": mode,
                "include": include,
                "exclude": exclude,
                "exclude_unset": exclude_unset,
                "exclude_defaults": exclude_defaults,
                "exclude_none": exclude_none,
                "exclude_computed_fields": exclude_computed_fields,
                "round_trip": round_trip,
                "fallback": fallback,
            },
        )

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        ensure_ascii: bool = False,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
        fallback: Callable[[Any], Any] | None = None,
        serialize_as_any: bool = False,
        polymorphic_serialization: bool | None = None,
    ) -> str:
        """The model as JSON text, byte for byte as pydantic's ``model_dump_json`` writes it
        (compact unless ``indent``; non-ASCII kept unless ``ensure_ascii``). The other
        arguments are `model_dump`'s."""
        return _served().dump_json(
            self,
            {
                "mode": "json",
                "include": include,
                "exclude": exclude,
                "exclude_unset": exclude_unset,
                "exclude_defaults": exclude_defaults,
                "exclude_none": exclude_none,
                "exclude_computed_fields": exclude_computed_fields,
                "round_trip": round_trip,
                "fallback": fallback,
                "indent": indent,
                "ensure_ascii": ensure_ascii,
            },
        )

    def model_dump_safe(
        self,
        *,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        fallback: Callable[[Any], Any] | None = None,
    ) -> dict[str, Any]:
        """The published SDK's JSON-ready dict: ``model_dump(mode="json", ...)``."""
        return _served().dump(
            self,
            {
                "mode": "json",
                "include": include,
                "exclude": exclude,
                "exclude_unset": exclude_unset,
                "exclude_defaults": exclude_defaults,
                "exclude_none": exclude_none,
                "exclude_computed_fields": exclude_computed_fields,
                "fallback": fallback,
            },
        )

    def model_copy(
        self: M, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> M:
        """A copy (``deep``: nested values copied too), with the fields in ``update``
        set, unchecked, as pydantic does. A name in ``update`` that is not a field
        raises ValueError. A task's copy shares its client."""
        return _served().copy(self, update, deep)

    @classmethod
    def model_validate(
        cls: type[M],
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> M:
        """A model from a dict of its fields (as `model_dump` gives them, or as the API
        sends them); an instance is returned as it is. A value of the wrong type raises
        ValueError (TypeError for ``obj`` itself) naming the field; fields the model
        does not know are ignored. A task made so is bound to the default client
        (built when it first sends a request), or to its ``configuration``'s when
        that is a `Configuration`. The other arguments are pydantic's and change nothing."""
        return _served().validate(cls, obj, False)

    @classmethod
    def model_validate_json(
        cls: type[M],
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> M:
        """`model_validate` of a JSON document (ValueError when it is not JSON)."""
        return _served().validate(cls, json_data, True)

    @classmethod
    def model_validate_strings(
        cls: type[M],
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> M:
        """`model_validate` of a dict whose values may be strings (dates, enumerations)."""
        return _served().validate(cls, obj, False)

    @classmethod
    def model_construct(
        cls: type[M], _fields_set: set[str] | None = None, **values: Any
    ) -> M:
        """`model_validate` of ``values`` (unlike pydantic's, checked: a model is never
        built from values the SDK could not send back)."""
        return _served().validate(cls, values, False)

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool = True,
        ref_template: str = "#/$defs/{model}",
        schema_generator: Any = None,
        mode: Literal["validation", "serialization"] = "validation",
        *,
        union_format: Literal["any_of", "primitive_type_array"] = "any_of",
    ) -> dict[str, Any]:
        """The model's JSON Schema, by pydantic (ImportError when it is not installed)."""
        return _served().json_schema(
            cls,
            {
                "by_alias": by_alias,
                "ref_template": ref_template,
                "schema_generator": schema_generator,
                "mode": mode,
                "union_format": union_format,
            },
        )

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """``(field, value)`` pairs, as a pydantic model's (``dict(model)`` works)."""
        return _served().items(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """pydantic's hook: how FastAPI and ``pydantic.TypeAdapter`` read and write it."""
        return _served().core_schema(cls, handler)

    @property
    def __pydantic_serializer__(self) -> Any:
        """pydantic-core's writer of it where pydantic meets it untyped (an ``Any`` field, a
        FastAPI route returning ``Any``): its own `model_dump`. AttributeError without
        pydantic-core."""
        return _served().any_serializer()


__all__ = [
    "UNDEFINED",
    "UNSET",
    "File",
    "FieldInfo",
    "FileTypes",
    "IncEx",
    "Model",
    "ModelProtocol",
    "RequestFiles",
    "Response",
    "Unset",
    "set_model_protocol",
]
