"""Request validation against ``openapi.yaml``: a compiled check first, openapi-core for errors.

The emulator keeps no second copy of the schemas. Two checks read the same spec:

* the **fast check**: each operation's parameter and body schemas, compiled once into Python
  code by fastjsonschema (formats checked by openapi-core's own format checker). A request it
  passes is valid, and costs tens of microseconds to check; this is every request a working
  client sends.
* the **full check**, openapi-core, runs only on a request the fast check refused (or could
  not decide: a repeated parameter, an operation with a non-string parameter). It reports
  every error as a ``FieldError`` with a dotted field (``body.input.text``, ``query.status``,
  ``header.Idempotency-Key``), as it always did; if it finds nothing, the request is valid.

So an answer never depends on which check ran: the fast one may only refuse more, and a
refusal is then decided (and worded) by openapi-core. ``tests/emulator/test_validation.py``
holds the two to the same verdict on generated and mutated requests.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import fastjsonschema
from jsonschema.exceptions import ValidationError as SchemaError
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    MissingRequestBodyError,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_schema_validator import oas31_format_checker
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .errors import FieldError
from .spec import load_spec, openapi, query_parameter_names

# The emulator does not care about the host a request names; openapi-core needs some URL.
_HOST_URL = "http://emulator.invalid"
_NOT_PARSED: Any = object()


class _SpecRequest:
    """An already-routed request, in the shape openapi-core's Request protocol expects."""

    def __init__(
        self,
        method: str,
        path_pattern: str,
        path_params: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        headers: Sequence[tuple[str, str]],
        body: bytes | None,
    ) -> None:
        self.host_url = _HOST_URL
        self.path = path_pattern
        # Giving the spec's own pattern spares openapi-core a second routing pass, which
        # could pick the wrong one of two overlapping templates.
        self.path_pattern = path_pattern
        self.method = method.lower()
        self.body = body
        # Bodies are read as JSON whatever Content-Type claims (the platform does the same).
        self.content_type = "application/json"
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(query)),
            header=Headers(list(headers)),
            path=dict(path_params),
        )


def validate_request(
    *,
    method: str,
    path_pattern: str,
    path_params: Mapping[str, str],
    query: Sequence[tuple[str, str]] = (),
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    parsed: Any = _NOT_PARSED,
) -> list[FieldError]:
    """Every way the request breaks the spec's operation ``method path_pattern``.

    ``body`` is the raw JSON (``None`` for no body); ``parsed``, when given, is that body
    already parsed (spares parsing it again). An empty list means the request is valid.
    Security is not checked here (the app checks the API key itself, before validation).
    """
    if method.upper() == "HEAD":
        method = "GET"
    operation = _compiled(path_pattern, method.lower())
    found: list[FieldError] = []
    if operation is None or not operation.passes(path_params, query, headers, body, parsed):
        found = _full_errors(method, path_pattern, path_params, query, headers, body)
    # Unknown query parameters are refused rather than ignored: a misspelt filter would
    # otherwise silently list everything.
    if query:
        known = query_parameter_names(path_pattern, method)
        found.extend(
            FieldError(f"query.{name}", "is not a parameter of this operation")
            for name in dict.fromkeys(name for name, _ in query)
            if name not in known
        )
    return found


def _full_errors(
    method: str,
    path_pattern: str,
    path_params: Mapping[str, str],
    query: Sequence[tuple[str, str]],
    headers: Sequence[tuple[str, str]],
    body: bytes | None,
) -> list[FieldError]:
    """openapi-core's verdict: each error as a FieldError (the slow path, on refusals)."""
    if not any(name.lower() == "x-api-key" for name, _ in headers):
        # openapi-core stops at a failed security check; the key was checked already.
        headers = [*headers, ("x-api-key", "checked-by-the-app")]
    request = _SpecRequest(method, path_pattern, path_params, query, headers, body)
    found: list[FieldError] = []
    with warnings.catch_warnings():
        # openapi-core warns on each use of allowEmptyValue, which spec.openapi() sets
        warnings.simplefilter("ignore", DeprecationWarning)
        errors = list(openapi().request_validator.iter_errors(request))
    for exc in errors:
        if isinstance(exc, SecurityValidationError):
            continue
        found.extend(_field_errors(exc))
    return found


# -- the fast check -------------------------------------------------------------------------

Check = Callable[[Any], object]
"""A compiled schema: returns when the value is valid, raises when it is not."""


@dataclass(frozen=True)
class _Parameter:
    location: str  # "path", "query" or "header"
    name: str  # as the spec spells it; headers are looked up in lower case
    required: bool
    check: Check


@dataclass(frozen=True)
class CompiledOperation:
    """One operation's parameters and body schema, compiled."""

    parameters: tuple[_Parameter, ...]
    headers: frozenset[str]  # lower-case names of its header parameters
    body_required: bool
    check_body: Check | None

    def passes(
        self,
        path_params: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        headers: Sequence[tuple[str, str]],
        body: bytes | None,
        parsed: Any = _NOT_PARSED,
    ) -> bool:
        """Whether the request is certainly valid; ``False`` when invalid or undecided."""
        given_query = dict(query)
        if len(given_query) != len(query):
            return False  # a repeated parameter: openapi-core decides which value counts
        given_headers: dict[str, str] = {}
        for name, value in headers:
            lower = name.lower()
            if lower in self.headers:
                if lower in given_headers:
                    return False
                given_headers[lower] = value
        try:
            for parameter in self.parameters:
                given: str | None
                if parameter.location == "path":
                    given = path_params.get(parameter.name)
                elif parameter.location == "query":
                    given = given_query.get(parameter.name)
                else:
                    given = given_headers.get(parameter.name.lower())
                if given is None:
                    if parameter.required:
                        return False
                    continue
                parameter.check(given)
            if body is None:
                return not self.body_required
            if self.check_body is None:
                return False  # a body the operation does not take: openapi-core decides
            if parsed is _NOT_PARSED:
                parsed = json.loads(body)
            self.check_body(parsed)
        except Exception:  # refused (or unparseable): the full check finds out why
            return False
        return True


@functools.cache
def _compiled(path_pattern: str, method: str) -> CompiledOperation | None:
    """The operation compiled, or ``None`` when the fast check cannot judge it (then every
    request to it goes to openapi-core)."""
    spec = load_spec()
    item = spec["paths"].get(path_pattern, {})
    operation = item.get(method)
    if not isinstance(operation, dict):
        return None
    parameters = []
    for declared in [*item.get("parameters", []), *operation.get("parameters", [])]:
        declared = _resolve(declared)
        schema = declared.get("schema", {})
        if declared.get("in") not in ("path", "query", "header") or (
            _resolve(schema).get("type") != "string"
        ):
            # Values arrive as text: only string schemas check them as they are (others
            # would need openapi-core's casting).
            return None
        parameters.append(
            _Parameter(
                declared["in"], declared["name"], bool(declared.get("required")), _compile(schema)
            )
        )
    body = operation.get("requestBody")
    check_body = None
    if body is not None:
        body = _resolve(body)
        media = body.get("content", {}).get("application/json")
        if media is None or "schema" not in media:
            return None
        check_body = _compile(media["schema"])
    return CompiledOperation(
        tuple(parameters),
        frozenset(p.name.lower() for p in parameters if p.location == "header"),
        bool(body and body.get("required")),
        check_body,
    )


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """``node``, or the local object its ``$ref`` names."""
    while "$ref" in node:
        found: Any = load_spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part.replace("~1", "/").replace("~0", "~")]
        node = found
    return node


def _compile(schema: dict[str, Any]) -> Check:
    """``schema`` (its ``$ref``s resolved within the spec) as a fastjsonschema function.

    Defaults are not filled in (the body stays as sent); each ``format`` the spec uses is
    checked by openapi-core's own format checker, so both checks agree on what conforms.
    """
    spec = load_spec()
    document = {"components": spec.get("components", {}), **schema}
    checker = oas31_format_checker
    formats: dict[str, Callable[[str], bool]] = {
        name: functools.partial(_conforms, checker, name) for name in _formats(spec)
    }
    check: Check = fastjsonschema.compile(
        document, formats=formats, use_default=False, use_formats=True
    )
    return check


def _conforms(checker: Any, name: str, value: str) -> bool:
    return bool(checker.conforms(value, name))


def _formats(node: object) -> set[str]:
    """Every ``format`` named anywhere in ``node``."""
    found: set[str] = set()
    if isinstance(node, dict):
        value = node.get("format")
        if isinstance(value, str):
            found.add(value)
        for item in node.values():
            found |= _formats(item)
    elif isinstance(node, list):
        for item in node:
            found |= _formats(item)
    return found


def _field_errors(exc: Exception) -> list[FieldError]:
    if isinstance(exc, ParameterValidationError):
        field = f"{exc.location}.{exc.name}"
        causes = _schema_errors(exc.__cause__) or _schema_errors(exc)
        if not causes:
            reason = str(exc.__cause__ or exc)
            if "Missing" in type(exc).__name__:
                reason = "is required"
            return [FieldError(field, reason)]
        return [FieldError(field, _leaf(e).message) for e in causes]
    if isinstance(exc, MissingRequestBodyError):
        return [FieldError("body", "a JSON body is required")]
    if isinstance(exc, RequestBodyValidationError):
        causes = _schema_errors(exc.__cause__) or _schema_errors(exc)
        if not causes:
            return [FieldError("body", str(exc.__cause__ or exc))]
        out = []
        for error in causes:
            leaf = _leaf(error)
            path = ".".join(str(p) for p in leaf.absolute_path)
            out.append(FieldError(f"body.{path}" if path else "body", leaf.message))
        return out
    return [FieldError("request", str(exc))]


def _schema_errors(exc: object) -> list[SchemaError]:
    errors: Iterable[Any] = getattr(exc, "schema_errors", None) or ()
    return [e for e in errors if isinstance(e, SchemaError)]


def _leaf(error: SchemaError) -> SchemaError:
    """The most specific cause of an ``anyOf`` failure.

    ``anyOf: [X, null]`` fails with one error per branch; the deepest one that is not the
    "is not of type 'null'" branch names the real field (``body.input.text``, not ``body.input``).
    """
    while error.context:
        error = max(
            error.context,
            key=lambda e: (
                len(e.absolute_path),
                e.validator != "type" or e.validator_value != "null",
            ),
        )
    return error
