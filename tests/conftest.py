"""Fixtures shared by the whole suite: a running emulator on loopback.

* ``emulator``: one emulator for the session (faults enabled, API key ``test-key``,
  step delay 0.02 s, heartbeat 1 s); fault rules are cleared after each test.
* ``emulator_factory``: start emulators with other settings (``EmulatorServer`` kwargs).
* from the plugin: ``xpander_emulator``, ``xpander_emulator_factory``, ``xpander_env``.

Tests marked ``fuzz`` run only with ``XPANDER_FUZZ=1`` (``make fuzz``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from xpander_sdk.emulator import EmulatorServer

pytest_plugins = ["xpander_sdk.emulator.pytest_plugin"]

API_KEY = "test-key"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: long fuzzing runs; only with XPANDER_FUZZ=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("XPANDER_FUZZ") == "1":
        return
    skip = pytest.mark.skip(reason="a fuzz run: set XPANDER_FUZZ=1 (make fuzz)")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_key=API_KEY, step_delay=0.02, faults=True, heartbeat=1.0) as server:
        yield server


@pytest.fixture
def emulator(emulator_session: EmulatorServer) -> Iterator[EmulatorServer]:
    """The session's emulator, with no fault rules left over from other tests."""
    emulator_session.clear_faults()
    yield emulator_session
    emulator_session.clear_faults()


@pytest.fixture
def emulator_factory(
    xpander_emulator_factory: Callable[..., EmulatorServer],
) -> Callable[..., EmulatorServer]:
    """Start emulators with other settings; all stop after the test."""
    return xpander_emulator_factory
