"""Fixtures of the emulator's tests (helpers live in ``emulator_helpers``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from emulator_helpers import make_client

from xpander_sdk.emulator import EmulatorServer


@pytest.fixture
def api(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    """An httpx client of the session emulator; every answer is checked against the spec."""
    with make_client(emulator) as client:
        yield client


@pytest.fixture
def agent_id() -> str:
    """A fresh agent id, so a test sees only its own tasks in listings."""
    return f"agent-{uuid.uuid4().hex[:8]}"
