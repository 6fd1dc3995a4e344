"""Request validation against ``openapi.yaml`` with openapi-core.

The emulator keeps no second copy of the schemas: each request is checked by openapi-core
against the operation it was routed to, and every error is reported as a ``FieldError``
with a dotted field (``body.input.text``, ``query.status``, ``header.Idempotency-Key``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaError
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import (
    MissingRequestBodyError,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .errors import FieldError
from .spec import openapi, query_parameter_names

# The emulator does not care about the host a request names; openapi-core needs some URL.
_HOST_URL = "http://emulator.invalid"


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
) -> list[FieldError]:
    """Every way the request breaks the spec's operation ``method path_pattern``.

    ``body`` is the raw JSON (``None`` for no body). An empty list means the request is valid.
    Security is not checked here (the app checks the API key itself, before validation).
    """
    if method.upper() == "HEAD":
        method = "GET"
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
    # Unknown query parameters are refused rather than ignored: a misspelt filter would
    # otherwise silently list everything.
    known = query_parameter_names(path_pattern, method)
    found.extend(
        FieldError(f"query.{name}", "is not a parameter of this operation")
        for name in dict.fromkeys(name for name, _ in query)
        if name not in known
    )
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
