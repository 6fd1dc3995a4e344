"""Fixtures shared by the whole suite: a running emulator on loopback.

* ``emulator``: one emulator for the session (faults enabled, API key ``test-key``,
  step delay 0.02 s, heartbeat 1 s, streams resumed after 10 ms); fault rules are cleared
  after each test. Under pytest-xdist each worker has its own.
* ``emulator_factory``: start emulators with other settings (``EmulatorServer`` kwargs).
* from the plugin: ``xpander_emulator``, ``xpander_emulator_factory``, ``xpander_env``.

Tests marked ``fuzz`` run only with ``XPANDER_FUZZ=1`` (``make fuzz``).

A test that uses the ``http_backend`` fixture (a module can ask with
``pytestmark = pytest.mark.usefixtures("http_backend")``) runs once per async
HTTP backend when it is a coroutine or is marked ``both_backends``, and once
(httpx) otherwise: sync calls always go through httpx.
"""

from __future__ import annotations

import inspect
import os
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from xpander_sdk.emulator import EmulatorServer

# pytester: a pytest of its own for a plugin user's suite (tests/emulator/test_plugin.py)
pytest_plugins = ["xpander_sdk.emulator.pytest_plugin", "pytester"]

API_KEY = "test-key"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: long fuzzing runs; only with XPANDER_FUZZ=1")
    config.addinivalue_line(
        "markers", "both_backends: a sync test that makes async calls too; run on each backend"
    )
    config.addinivalue_line(
        "markers",
        "slow: takes seconds (real processes, a browser, a long run); runs first (the "
        "module with the longest test last run first), and -m 'not slow' leaves it out",
    )


HTTP_BACKENDS = ("httpx", "aiohttp")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "http_backend" not in metafunc.fixturenames:
        return
    both = inspect.iscoroutinefunction(metafunc.function) or (
        metafunc.definition.get_closest_marker("both_backends") is not None
    )
    metafunc.parametrize("http_backend", HTTP_BACKENDS if both else ("httpx",), indirect=True)


@pytest.fixture
def http_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The async backend of every `Configuration` made in this test (XPANDER_HTTP_BACKEND)."""
    backend = str(getattr(request, "param", "httpx"))
    monkeypatch.setenv("XPANDER_HTTP_BACKEND", backend)
    return backend


#: pytest's cache key (.pytest_cache): for each module, its longest slow test's seconds last run.
SLOW_SECONDS = "xpander/slow-module-seconds"
_slow_tests: Counter[str] = Counter()  # this run's slow tests: seconds, setup to teardown


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _slow_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow tests first, the modules whose longest test took longest last run first;
    then the rest.

    Spread over workers (make test), the longest tests then start first, and none is left
    to run alone at the end while the other workers wait. A module's tests stay together
    and in order, so its module fixtures (a browser, say) are made once.
    """
    cache = getattr(config, "cache", None)
    last: dict[str, float] = cache.get(SLOW_SECONDS, {}) if cache is not None else {}
    index = {item.nodeid: n for n, item in enumerate(items)}
    first_of: dict[str, int] = {}
    for item in items:
        first_of.setdefault(_module(item.nodeid), index[item.nodeid])

    def order(item: pytest.Item) -> tuple[bool, float, int, int]:
        if item.get_closest_marker("slow") is None:
            return (True, 0.0, 0, index[item.nodeid])
        module = _module(item.nodeid)
        return (False, -last.get(module, 0.0), first_of[module], index[item.nodeid])

    items.sort(key=order)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Under xdist the controller sees every worker's reports.
    if "slow" in report.keywords:
        _slow_tests[report.nodeid] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _slow_tests:
        return
    longest: dict[str, float] = {}
    for nodeid, seconds in _slow_tests.items():
        module = _module(nodeid)
        longest[module] = max(longest.get(module, 0.0), round(seconds, 2))
    cache.set(SLOW_SECONDS, {**cache.get(SLOW_SECONDS, {}), **longest})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _slow_first(config, items)
    if os.environ.get("XPANDER_FUZZ") == "1":
        return
    skip = pytest.mark.skip(reason="a fuzz run: set XPANDER_FUZZ=1 (make fuzz)")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[EmulatorServer]:
    with EmulatorServer(
        api_key=API_KEY, step_delay=0.02, faults=True, heartbeat=1.0, stream_retry=0.01
    ) as server:
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
