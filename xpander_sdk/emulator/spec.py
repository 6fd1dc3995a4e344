"""The Tasks API spec as the emulator reads it: one file, shipped with the generated client.

The spec is loaded from the installed ``xpander_api_client`` package (not the repository
root), so an emulator installed from a wheel validates against the very spec its client
was generated from. Everything the emulator knows about field names comes from here.
"""

from __future__ import annotations

import copy
import functools
from importlib.resources import files
from typing import Any

import yaml
from openapi_core import OpenAPI

SPEC_PACKAGE = "xpander_api_client"
SPEC_FILE = "openapi.yaml"


@functools.cache
def load_spec() -> dict[str, Any]:
    """The parsed ``openapi.yaml`` (shared; callers must not mutate it)."""
    text = files(SPEC_PACKAGE).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    if not isinstance(spec, dict):
        raise RuntimeError(f"{SPEC_PACKAGE}/{SPEC_FILE} is not an OpenAPI document")
    return spec


@functools.cache
def openapi() -> OpenAPI:
    """The spec as an openapi-core object, for request (and, in tests, response) validation.

    The ``servers`` entries are dropped from a copy: they name the hosted platform, while the
    emulator answers on whatever address it was given, and openapi-core would otherwise refuse
    every request as coming from an unknown server.

    Query parameters are marked ``allowEmptyValue``: openapi-core otherwise refuses
    ``?user_id=`` outright, although the parameter's schema (the truth) accepts ``""``; with
    it, an empty value is checked against the schema like any other (``?status=`` still fails).
    Schemas are untouched.
    """
    spec = copy.deepcopy(load_spec())
    spec.pop("servers", None)
    parameters = list(spec.get("components", {}).get("parameters", {}).values())
    for path_item in spec.get("paths", {}).values():
        path_item.pop("servers", None)
        parameters += path_item.get("parameters", [])
        for operation in path_item.values():
            if isinstance(operation, dict):
                operation.pop("servers", None)
                parameters += operation.get("parameters", [])
    for parameter in parameters:
        if parameter.get("in") == "query":
            parameter["allowEmptyValue"] = True
    return OpenAPI.from_dict(spec)


def schema(name: str) -> dict[str, Any]:
    """The component schema called ``name``."""
    found = load_spec()["components"]["schemas"][name]
    assert isinstance(found, dict)
    return found


def properties(name: str) -> tuple[str, ...]:
    """The property names of component schema ``name``, in spec order."""
    return tuple(schema(name).get("properties", {}))


@functools.cache
def task_fields() -> tuple[str, ...]:
    """Every field of a Task: each answer carries all of them, null where unset."""
    return properties("Task")


@functools.cache
def task_defaults() -> dict[str, Any]:
    """Task fields whose spec ``default`` an answer carries instead of ``null`` when unset.

    Only fields with a non-null default (``background_auth_eligible: false``, which the
    published SDK refuses to read as ``null``); every other unset field stays ``null``.
    """
    return {
        name: prop["default"]
        for name, prop in schema("Task").get("properties", {}).items()
        if prop.get("default") is not None
    }


@functools.cache
def create_copied_fields() -> tuple[str, ...]:
    """TaskCreate fields that are copied onto the new Task as given."""
    task = set(task_fields())
    return tuple(f for f in properties("TaskCreate") if f in task and f not in {"id", "input"})


@functools.cache
def updatable_fields() -> tuple[str, ...]:
    """Task fields an update may change (TaskUpdate's own properties that are Task fields)."""
    task = set(task_fields())
    return tuple(f for f in properties("TaskUpdate") if f in task)


def path_templates() -> list[tuple[str, list[str]]]:
    """Each spec path with the methods it serves (lower case)."""
    out: list[tuple[str, list[str]]] = []
    for path, item in load_spec()["paths"].items():
        methods = [m for m in item if m in {"get", "post", "put", "patch", "delete"}]
        out.append((path, methods))
    return out


@functools.cache
def query_parameter_names(path_pattern: str, method: str) -> frozenset[str]:
    """The query parameters the spec declares for one operation."""
    spec = load_spec()
    item = spec["paths"][path_pattern]
    declared = [*item.get("parameters", []), *item[method.lower()].get("parameters", [])]
    names = set()
    for parameter in declared:
        if "$ref" in parameter:
            parameter = spec["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[-1]]
        if parameter.get("in") == "query":
            names.add(parameter["name"])
    return frozenset(names)
