"""How pydantic reads and writes this SDK's objects, when pydantic is installed.

pydantic asks a class for its core schema (``__get_pydantic_core_schema__``) when
FastAPI builds a route's response model or a program makes a ``TypeAdapter``.
The answer here: an instance passes as it is and a dict is made into one by
``model_validate``; writing one takes its own ``model_dump`` (python values), which
pydantic writes by the published model's field types, so a route gives the same JSON
as ``model_dump_json``; the JSON Schema (OpenAPI) is those fields, typed. Where pydantic
meets one untyped (an ``Any``), it finds ``__pydantic_serializer__`` (`any_serializer`).
pydantic is imported only inside these functions, which only pydantic calls:
``import xpander_sdk`` never loads it.
"""

from __future__ import annotations

from typing import Any

from ._shapes import Shape


def core_schema(cls: type, handler: Any, shape: Shape) -> Any:
    """The pydantic-core schema of ``cls``, dumped and made by its own methods."""
    from pydantic_core import core_schema as cs

    fields = {
        f.name: cs.typed_dict_field(handler.generate_schema(f.annotation), required=f.required)
        for f in shape.fields
    }
    for name, kind, _ in shape.computed:  # written, never read (model_validate ignores them)
        fields[name] = cs.typed_dict_field(handler.generate_schema(kind), required=False)
    described = cs.typed_dict_schema(fields, cls_name=shape.name)

    def validate(value: Any) -> Any:
        try:
            return cls.model_validate(value)  # type: ignore[attr-defined]
        except TypeError as exc:  # pydantic reports ValueErrors as validation errors
            raise ValueError(str(exc)) from None

    def serialize(value: Any, info: Any) -> Any:
        if not isinstance(value, cls):
            return value
        # python values, which pydantic then writes (as JSON, too) by the published types
        return value.model_dump(  # type: ignore[attr-defined]
            include=info.include,
            exclude=info.exclude,
            exclude_unset=info.exclude_unset,
            exclude_defaults=info.exclude_defaults,
            exclude_none=info.exclude_none,
            exclude_computed_fields=getattr(info, "exclude_computed_fields", False),
            round_trip=info.round_trip,
        )

    return cs.no_info_plain_validator_function(
        validate,
        ref=f"{cls.__module__}.{cls.__qualname__}:{id(cls)}",
        json_schema_input_schema=described,
        serialization=cs.plain_serializer_function_ser_schema(
            serialize, info_arg=True, return_schema=described
        ),
    )


_ANY: list[Any] = []


def any_serializer() -> Any:
    """A pydantic-core serializer of any of this SDK's objects, by its own ``model_dump``
    (what pydantic-core looks for on an object it meets untyped)."""
    if not _ANY:
        try:
            from pydantic_core import SchemaSerializer
            from pydantic_core import core_schema as cs
        except ImportError:
            raise AttributeError("__pydantic_serializer__ needs pydantic-core") from None

        def serialize(value: Any, info: Any) -> Any:
            return value.model_dump(
                mode="json" if info.mode_is_json() else "python",
                include=info.include,
                exclude=info.exclude,
                exclude_none=info.exclude_none,
                round_trip=info.round_trip,
            )

        writes = cs.plain_serializer_function_ser_schema(serialize, info_arg=True)
        _ANY.append(SchemaSerializer(cs.any_schema(serialization=writes)))
    return _ANY[0]


def json_schema(cls: type, options: dict[str, Any]) -> dict[str, Any]:
    """``model_json_schema``: pydantic's JSON Schema of ``cls`` (ImportError without it)."""
    try:
        from pydantic import TypeAdapter
    except ImportError:
        raise ImportError("model_json_schema needs pydantic: pip install pydantic") from None
    arguments = {k: v for k, v in options.items() if v is not None and k != "union_format"}
    if arguments.pop("schema_generator", None) is not None:
        arguments["schema_generator"] = options["schema_generator"]
    schema: dict[str, Any] = TypeAdapter(cls).json_schema(**arguments)
    return schema
