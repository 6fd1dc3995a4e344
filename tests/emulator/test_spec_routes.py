"""Every operation of openapi.yaml is served: a request without a key reaches the handler's
first check (401), never a 404 or 405 for a route the emulator forgot."""

from __future__ import annotations

import re

import httpx
import pytest

from xpander_sdk.emulator import EmulatorServer
from xpander_sdk.emulator.spec import load_spec

OPERATIONS = [
    (op["operationId"], method.upper(), path)
    for path, item in load_spec()["paths"].items()
    for method, op in item.items()
    if isinstance(op, dict) and "operationId" in op
]


@pytest.mark.parametrize(("operation_id", "method", "template"), OPERATIONS)
def test_each_spec_operation_is_routed(
    emulator: EmulatorServer, operation_id: str, method: str, template: str
) -> None:
    path = re.sub(r"{(\w+)}", lambda m: f"x-{m.group(1)}", template)
    with httpx.Client(base_url=emulator.base_url) as anonymous:
        response = anonymous.request(method, path, json={} if method in {"POST", "PATCH"} else None)
    assert response.status_code == 401, (operation_id, response.status_code, response.text)
    assert response.json()["errors"][0]["field"] == "header.x-api-key"
