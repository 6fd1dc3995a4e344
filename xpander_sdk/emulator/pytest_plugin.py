"""pytest fixtures that run the emulator for your tests.

Load it from a ``conftest.py``::

    pytest_plugins = ["xpander_sdk.emulator.pytest_plugin"]

Fixtures:

* ``xpander_emulator``: a running ``EmulatorServer`` for one test (in-memory database, API
  key ``"test-key"``, fast runs, a dropped event stream resumed after 10 ms rather than
  half a second). Change its settings with a marker:
  ``@pytest.mark.xpander_emulator(faults=True, step_delay=0.1, agent="pkg.mod:fn")``;
  ``agents=`` gives it agent scripts (a document, its list of rules, or a file path; see
  ``xpander_sdk.emulator.agents``); ``clock="manual"`` or ``clock="auto"`` a clock you
  control (``server.clock``).
* ``xpander_emulator_factory``: ``factory(**settings)`` starts another server (stopped
  after the test); settings are ``EmulatorServer``'s keyword arguments.
* ``xpander_env``: sets ``XPANDER_BASE_URL``, ``XPANDER_API_KEY`` and
  ``XPANDER_ORGANIZATION_ID`` to ``xpander_emulator``'s for the test, so a client that
  reads its settings from the environment talks to the emulator unchanged.
* ``xpander_emulator_shared``: one emulator for the whole session (cheaper than one per
  test; faults enabled). State carries over from test to test unless asked otherwise: mark
  a test (or a module, with ``pytestmark``) ``@pytest.mark.xpander_emulator_reset`` and the
  emulator is reset before it (no tasks, events, keys, journal entries or fault rules).
  ``@pytest.mark.xpander_emulator_shared(agents=..., clock="manual")`` puts agent scripts
  in force and switches the clock (``"manual"`` or ``"auto"``) for one test. Fault rules,
  agent rules and the clock never outlive a test: after each, the shared emulator has no
  rules and a ``real`` clock, whatever the test did (a later manual or auto clock starts
  from the wall clock's time).

Under pytest-xdist (``pytest -n 2``) each worker is a session of its own, so each starts its
own emulators, on free ports. Tests that rely on one another's state in
``xpander_emulator_shared`` must then run on one worker: keep them in one module and run
with ``--dist loadfile``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .server import EmulatorServer

DEFAULTS: dict[str, Any] = {
    "api_key": "test-key",
    "step_delay": 0.02,
    "heartbeat": 1.0,
    "stream_retry": 0.01,
}
SHARED_CLOCK = "real"
"""The shared emulator's clock between tests."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "xpander_emulator(**settings): settings of the xpander_emulator fixture"
    )
    config.addinivalue_line(
        "markers",
        "xpander_emulator_reset: reset xpander_emulator_shared before this test",
    )
    config.addinivalue_line(
        "markers",
        "xpander_emulator_shared(agents=..., clock=...): settings of xpander_emulator_shared"
        " for this test",
    )


@pytest.fixture
def xpander_emulator_factory() -> Iterator[Callable[..., EmulatorServer]]:
    """Start emulators with any ``EmulatorServer`` settings; all stop after the test."""
    started: list[EmulatorServer] = []

    def factory(**settings: Any) -> EmulatorServer:
        server = EmulatorServer(**{**DEFAULTS, **settings})
        started.append(server.start())
        return server

    yield factory
    for server in reversed(started):
        server.stop()


@pytest.fixture
def xpander_emulator(
    request: pytest.FixtureRequest, xpander_emulator_factory: Callable[..., EmulatorServer]
) -> EmulatorServer:
    """A running emulator for this test (settings from an ``xpander_emulator`` marker)."""
    marker = request.node.get_closest_marker("xpander_emulator")
    settings = dict(marker.kwargs) if marker else {}
    return xpander_emulator_factory(**settings)


@pytest.fixture
def xpander_env(
    xpander_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> EmulatorServer:
    """``xpander_emulator``, with the XPANDER_* environment pointing at it."""
    for name, value in xpander_emulator.env().items():
        monkeypatch.setenv(name, value)
    return xpander_emulator


@pytest.fixture(scope="session")
def xpander_emulator_session() -> Iterator[EmulatorServer]:
    """The emulator behind ``xpander_emulator_shared`` (started once, faults enabled)."""
    with EmulatorServer(**{**DEFAULTS, "faults": True}) as server:
        yield server


@pytest.fixture
def xpander_emulator_shared(
    request: pytest.FixtureRequest, xpander_emulator_session: EmulatorServer
) -> Iterator[EmulatorServer]:
    """The session's emulator; reset first when the test is marked
    ``xpander_emulator_reset``; its agent rules and clock as an ``xpander_emulator_shared``
    marker says. Fault rules, agent rules and clock settings never outlive a test."""
    server = xpander_emulator_session
    marker = request.node.get_closest_marker("xpander_emulator_shared")
    settings = dict(marker.kwargs) if marker else {}
    agents = settings.pop("agents", None)
    clock = settings.pop("clock", None)
    if settings:
        raise pytest.UsageError(
            "xpander_emulator_shared takes agents= and clock=, not"
            f" {', '.join(map(repr, settings))}"
        )
    if request.node.get_closest_marker("xpander_emulator_reset") is not None:
        server.reset()
    if agents is not None:
        server.set_agents(agents)
    if clock is not None:
        server.clock.set_mode(clock)
    try:
        yield server
    finally:
        server.clear_faults()
        server.clear_agents()
        if server._running().clock.mode != SHARED_CLOCK:  # whatever the test did
            server.clock.set_mode(SHARED_CLOCK)
