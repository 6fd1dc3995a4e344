"""The emulator's control API over HTTP, as tests use it: faults, their counters, request ids.

Control calls carry the x-api-key header (the control API is to require it).
"""

from __future__ import annotations

from typing import Any

import httpx


def inject(emulator: Any, **rule: Any) -> None:
    """Add a fault rule with ``POST /_emulator/faults`` (the fields of a rule)."""
    answer = httpx.post(
        f"{emulator.base_url}/_emulator/faults", json=rule, headers={"x-api-key": emulator.api_key}
    )
    assert answer.status_code == 201, answer.text


def faults(emulator: Any, kind: str) -> int:
    """How many faults of ``kind`` the emulator has injected so far (compare before and after)."""
    return int(emulator.stats()["faults_injected"].get(kind, 0))


def sends_request_ids(emulator: Any) -> bool:
    """Whether the emulator answers with an ``x-request-id`` header."""
    answer = httpx.get(
        f"{emulator.base_url}/agent-execution/nope/status", headers={"x-api-key": emulator.api_key}
    )
    return "x-request-id" in answer.headers
