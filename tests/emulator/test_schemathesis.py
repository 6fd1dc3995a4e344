"""Property-based checks with schemathesis: generated requests from openapi.yaml find no
5xx and no answer that breaks the spec. ``make fuzz`` runs the long version."""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.spec import load_spec

_spec = copy.deepcopy(load_spec())
for _item in _spec["paths"].values():
    for _operation in _item.values():
        if isinstance(_operation, dict):
            _operation.pop("servers", None)  # the emulator serves every path itself


@pytest.fixture(scope="module")
def api_schema() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(_spec)


@pytest.fixture
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis's lazy schema names each operation's subtest from ``node._nodeid``, which
    pytest 9 no longer has (``nodeid`` reads ``_id``): give it the node's id."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


# Lazy: the cases (schemathesis's coverage phase, about 1,300 of them) are built when the test
# runs, in the one process that runs it, not while every pytest-xdist worker collects
# (about 5 s of CPU per worker).
schema = schemathesis.pytest.from_fixture("api_schema")

FUZZ = os.environ.get("XPANDER_FUZZ") == "1"
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("_node_id_for_schemathesis")]


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """One session for every case: its connections are kept from case to case (a fresh
    session per case opened a connection each time), and the emulator, on loopback, is
    reached without a proxy from the environment."""
    with requests.Session() as shared:
        shared.trust_env = False
        yield shared


def _exercise(case: schemathesis.Case, emulator: EmulatorServer, session: requests.Session) -> None:
    if case.headers and case.headers.get("Idempotency-Key"):
        # Generated keys repeat across generated bodies, which the spec answers with 422
        # by design; a fresh key per case keeps "valid data is accepted" meaningful.
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
    if case.headers and any(k.lower() == "x-api-key" for k in case.headers):
        # A generated key becomes the real one; a case without one tests the 401.
        headers["x-api-key"] = emulator.api_key
    case.headers = headers
    case.call_and_validate(base_url=emulator.base_url, session=session, timeout=10)


@schema.parametrize()
@hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_conform(
    case: schemathesis.Case, emulator: EmulatorServer, session: requests.Session
) -> None:
    _exercise(case, emulator, session)


if FUZZ:  # schemathesis builds each operation's cases as it collects: only for a fuzz run

    @pytest.mark.fuzz
    @schema.parametrize()
    @hypothesis.settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    def test_generated_requests_conform_fuzz(
        case: schemathesis.Case, emulator: EmulatorServer, session: requests.Session
    ) -> None:
        _exercise(case, emulator, session)
