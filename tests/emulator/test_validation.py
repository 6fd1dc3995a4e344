"""The fast check of requests and openapi-core reach the same verdict.

The emulator answers a request the fast check passes without asking openapi-core; so a
request the fast check passes must be one openapi-core finds nothing wrong with, and a valid
request should take the fast path. Requests are generated from ``openapi.yaml`` (schemathesis,
valid and invalid), and valid bodies are mutated at a random spot with values chosen to sit
on the edges where two validators could differ (booleans for integers, ``1.0``, bad dates,
a trailing newline, empty strings, nulls).

In-process on purpose: the verdicts are compared directly, request by request; the HTTP
behaviour built on them is held by test_bad_input, test_routes and test_schemathesis.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis import GenerationMode

from xpander_sdk.emulator.spec import load_spec, path_templates
from xpander_sdk.emulator.validation import _compiled, _full_errors, validate_request

schema = schemathesis.openapi.from_dict(copy.deepcopy(load_spec()))
OPERATIONS = [(path, method) for path, methods in path_templates() for method in methods]
WITH_BODY = [
    (path, method)
    for path, method in OPERATIONS
    if "requestBody" in load_spec()["paths"][path][method]
]
EDGE_VALUES: list[Any] = [
    True, False, 0, 1, -1, 1.0, 1.5, 2**70, "", "x", "a\n", "a:b", " ", None, [], {}, [None],
    {"": None}, "pending", "completed", "PENDING", "2024-05-01T12:00:00Z",
    "2024-05-01T12:00:00", "2024-13-01T00:00:00Z", "not a date", "x" * 256,
]  # fmt: skip


def _request(case: schemathesis.Case) -> dict[str, Any]:
    """A generated case in the shape ``validate_request`` takes."""
    body = case.body
    raw: bytes | None
    if isinstance(body, schemathesis.core.NotSet):
        raw = None
    elif isinstance(body, bytes):  # another media type's body, sent as it is
        raw = body
        try:
            json.loads(raw)
        except ValueError:
            hypothesis.reject()  # the app answers 400 before any validation
    else:
        raw = json.dumps(body).encode()
    return {
        "path_params": {
            k: urllib.parse.unquote(str(v)) for k, v in (case.path_parameters or {}).items()
        },
        "query": [(k, str(v)) for k, v in (case.query or {}).items()],
        "headers": [(k, str(v)) for k, v in (case.headers or {}).items()],
        "body": raw,
    }


def _verdicts(path: str, method: str, request: dict[str, Any]) -> tuple[bool, list[Any]]:
    operation = _compiled(path, method)
    assert operation is not None
    fast = operation.passes(
        request["path_params"], request["query"], request["headers"], request["body"]
    )
    full = _full_errors(method.upper(), path, **request)
    return fast, full


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_has_a_fast_check(path: str, method: str) -> None:
    assert _compiled(path, method) is not None


# A fixed sample in the suite (30 generated and 60 mutated requests per operation: drawing
# them is most of this module's time, which halved from 60 and 150); the fuzz runs
# (`make fuzz`, 1000 and 3000 per operation) draw new ones each time.
_SETTINGS = hypothesis.settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _check_generated(path: str, method: str, mode: GenerationMode, examples: int) -> None:
    @given(schema[path][method.upper()].as_strategy(generation_mode=mode))
    @hypothesis.settings(_SETTINGS, max_examples=examples, derandomize=examples <= 150)
    def check(case: schemathesis.Case) -> None:
        request = _request(case)
        fast, full = _verdicts(path, method, request)
        assert fast == (full == []), (request, full)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_get_one_verdict(path: str, method: str, mode: GenerationMode) -> None:
    _check_generated(path, method, mode, 30)


@pytest.mark.fuzz
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_get_one_verdict_fuzz(
    path: str, method: str, mode: GenerationMode
) -> None:
    _check_generated(path, method, mode, 1000)


def _spots(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``value`` (dict keys and list indexes), the root included."""
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _spots(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _spots(item, (*at, index))
    return found


def _replaced(value: Any, at: tuple[Any, ...], new: Any) -> Any:
    if not at:
        return new
    out = copy.copy(value)
    out[at[0]] = _replaced(value[at[0]], at[1:], new)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("path", "method"), WITH_BODY)
def test_mutated_bodies_get_one_verdict(path: str, method: str) -> None:
    _check_mutated(path, method, 60)


@pytest.mark.fuzz
@pytest.mark.parametrize(("path", "method"), WITH_BODY)
def test_mutated_bodies_get_one_verdict_fuzz(path: str, method: str) -> None:
    _check_mutated(path, method, 3000)


def _check_mutated(path: str, method: str, examples: int) -> None:
    strategy = schema[path][method.upper()].as_strategy(generation_mode=GenerationMode.POSITIVE)

    @given(strategy, st.data())
    @hypothesis.settings(_SETTINGS, max_examples=examples, derandomize=examples <= 150)
    def check(case: schemathesis.Case, data: st.DataObject) -> None:
        request = _request(case)
        body = case.body
        spot = data.draw(st.sampled_from(_spots(body)))
        new = data.draw(st.sampled_from(EDGE_VALUES))
        if isinstance(body, dict) and spot == () and isinstance(new, dict):
            new = {**body, "unexpected": new}  # also try a property the spec does not name
        request["body"] = json.dumps(_replaced(body, spot, new)).encode()
        fast, full = _verdicts(path, method, request)
        assert fast == (full == []), (spot, new, full)

    check()


def test_where_the_checks_differ_openapi_core_decides() -> None:
    """fastjsonschema reads ``$`` as the end of the text (as JSON Schema's regexes do);
    openapi-core, through Python's ``re``, also lets it match before a final newline. The
    fast check refuses ``"ab\\n"`` as a principal id; openapi-core, which then decides,
    accepts it, as the emulator always did."""
    path = "/agent-execution/{agent_or_task_id}"
    request: dict[str, Any] = {
        "path_params": {"agent_or_task_id": "a"},
        "query": [],
        "headers": [],
        "body": json.dumps({"input": {"principal": {"kind": "user", "id": "ab\n"}}}).encode(),
    }
    assert _verdicts(path, "post", request) == (False, [])
    assert validate_request(method="POST", path_pattern=path, **request) == []
