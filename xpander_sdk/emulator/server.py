"""``EmulatorServer``: the emulator on a real socket, in a background thread.

with EmulatorServer(api_key="k", step_delay=0.05, faults=True) as emu:
    os.environ["XPANDER_BASE_URL"] = emu.base_url
    ...
    emu.inject(kind="status", status=503, retry_after="1")
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
import time
from datetime import datetime
from typing import Any

import httpx
import uvicorn

from .agents import load_agents
from .app import Emulator
from .clock import check_mode, check_seconds
from .config import EmulatorConfig
from .faults import FaultRule, parse_rule


class _Server(uvicorn.Server):
    """uvicorn, told to end the emulator's streams first when it shuts down, and to close
    it (``--export-on-exit``, the database) last.

    Without the first, an open event stream would hold uvicorn's graceful shutdown forever.
    """

    def __init__(self, config: uvicorn.Config, emulator: Emulator) -> None:
        super().__init__(config)
        self.emulator = emulator

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self.emulator.shutdown()
        await super().shutdown(sockets)
        # Here, not after serve() returns: on SIGTERM uvicorn re-raises the signal once
        # serving ends, which would kill the process before a later export could run.
        self.emulator.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family in (socket.AF_INET, socket.AF_INET6):
        # accepted connections inherit it: no Nagle delay between a header and a body write
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def uvicorn_config(emulator: Emulator) -> uvicorn.Config:
    return uvicorn.Config(
        emulator.app,
        log_level=emulator.config.log_level,
        access_log=False,  # an access log would be noise (and headers carry the API key)
        http="h11",
        ws="none",
        lifespan="on",
        loop="asyncio",
        timeout_graceful_shutdown=5,
    )


class EmulatorServer:
    """A running emulator on loopback (a free port unless ``port`` is given).

    Use as a context manager, or call ``start()``/``stop()``. ``restart()`` stops and starts
    again on the same port with the same settings: with ``db`` a file, tasks and events stay.
    Settings are ``EmulatorConfig``'s fields (the CLI options), given as a config, as keyword
    arguments, or both (keywords win); ``TypeError`` names an unknown one.
    """

    def __init__(self, config: EmulatorConfig | None = None, **settings: Any) -> None:
        if config is None:
            settings.setdefault("port", 0)
            config = EmulatorConfig(**settings)
        elif settings:
            config = dataclasses.replace(config, **settings)
        self.config = config
        self.emulator: Emulator | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = config.port

    # -- what a client needs -------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (the one picked, when started with port 0)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``http://host:port``: the value for ``XPANDER_BASE_URL``."""
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self._port}"

    @property
    def api_key(self) -> str:
        """The key to send (any non-empty key works when none was set)."""
        return self.config.api_key or "emulator-key"

    @property
    def organization_id(self) -> str:
        """The organization its tasks belong to: the value for ``XPANDER_ORGANIZATION_ID``."""
        return self.config.organization_id

    def env(self) -> dict[str, str]:
        """``XPANDER_BASE_URL``, ``XPANDER_API_KEY``, ``XPANDER_ORGANIZATION_ID`` for a client."""
        return {
            "XPANDER_BASE_URL": self.base_url,
            "XPANDER_API_KEY": self.api_key,
            "XPANDER_ORGANIZATION_ID": self.organization_id,
        }

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> EmulatorServer:
        """Start serving; returns once the port accepts requests."""
        if self._thread is not None:
            raise RuntimeError("the emulator is running already")
        sock = bind(self.config.host, self._port)
        self._port = sock.getsockname()[1]
        try:
            self.emulator = Emulator(self.config)
        except BaseException:
            sock.close()
            raise
        server = _Server(uvicorn_config(self.emulator), self.emulator)
        thread = threading.Thread(
            target=self._serve,
            args=(server, sock),
            name=f"xpander-emulator:{self._port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    @staticmethod
    def _serve(server: _Server, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        finally:
            sock.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: open streams end, runs are cancelled, the database is closed."""
        server, thread, emulator = self._server, self._thread, self.emulator
        self._server = self._thread = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
        if emulator is not None:
            emulator.close()

    def restart(self) -> EmulatorServer:
        """Stop, then start on the same port with the same settings."""
        self.stop()
        return self.start()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- faults and figures --------------------------------------------------------------

    def inject(self, kind: str, **rule: Any) -> str:
        """Add a fault rule (the fields of ``POST /_emulator/faults``); its id.

        Needs ``faults=True``; ``ValueError`` for an invalid rule.
        """
        if not self.config.faults:
            raise RuntimeError("start the emulator with faults=True to inject faults")
        parsed: FaultRule = parse_rule({"kind": kind, **rule})
        return self._running().faults.add(parsed)

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._running().faults.clear()

    def stats(self) -> dict[str, Any]:
        """``{"requests": n, "faults_injected": {kind: n}, "tasks": n}``."""
        return self._running().stats()

    # -- agent scripts -------------------------------------------------------------------

    def set_agents(self, agents: object) -> None:
        """Replace the agent rules with ``agents``: a document (``{"agents": [...]}``), its
        list of rules, or the path of a YAML or JSON file (see ``xpander_sdk.emulator.agents``;
        Python agents allowed). ``AgentsError`` (a ``ValueError``) naming the rule, the step
        and what is wrong, and the rules in force stay."""
        rules = load_agents(agents)
        self._running().agents.replace(rules)

    def get_agents(self) -> dict[str, Any]:
        """The rules in force as a document, each with ``served`` (its runs so far)."""
        return self._running().agents.rules.document()

    def clear_agents(self) -> None:
        """No rules: every task runs the default agent."""
        self._running().agents.replace(None)

    # -- the control API -----------------------------------------------------------------

    def requests(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """The journal's entries, newest last: those with ``method``, and whose path matches
        ``path`` (a regular expression in RE2 syntax, searched anywhere in the path), if given.
        See ``journal``; ``PatternError`` (a ``ValueError``) for a pattern RE2 refuses."""
        return self._running().journal.entries(method=method, path=path)

    def reset(self) -> None:
        """No tasks, events, idempotency keys, journal entries or fault rules left."""
        self._control("POST", "/_emulator/reset")

    def export_state(self) -> dict[str, Any]:
        """The whole state as one JSON-ready document (see ``xpander_sdk.emulator.state``)."""
        return self._running().export_state()

    def import_state(self, doc: dict[str, Any]) -> None:
        """Replace the whole state with ``doc`` (as ``export_state`` gives); ``ValueError``
        naming what is wrong, and nothing changed, for a malformed one."""
        self._control("PUT", "/_emulator/state", doc)

    @property
    def clock(self) -> ClockControl:
        """The emulator's clock: ``.advance(seconds)``, ``.now()``, ``.mode``, ``.set_mode()``,
        ``.pending()`` (see ``xpander_sdk.emulator.clock``)."""
        return ClockControl(self)

    def _control(self, method: str, path: str, body: object = None) -> Any:
        # Over HTTP: these act on the server's event loop (runs, streams), which lives in
        # the server's thread.
        self._running()
        response = httpx.request(
            method,
            self.base_url + path,
            headers={"x-api-key": self.api_key},
            json=body,
            timeout=60.0,
        )
        if response.status_code >= 400:
            raise ValueError(response.json().get("detail", response.text))
        return response.json()

    def _running(self) -> Emulator:
        if self.emulator is None or self._thread is None:
            raise RuntimeError("the emulator is not running")
        return self.emulator


class ClockControl:
    """The clock of a running ``EmulatorServer``, through its control API (the clock lives
    on the server's event loop, in the server's thread)."""

    def __init__(self, server: EmulatorServer) -> None:
        self._server = server

    def describe(self) -> dict[str, Any]:
        """``{"mode", "now", "pending"}``, as ``GET /_emulator/clock`` answers."""
        answer: dict[str, Any] = self._server._control("GET", "/_emulator/clock")
        return answer

    @property
    def mode(self) -> str:
        """``"real"``, ``"manual"`` or ``"auto"``."""
        return str(self.describe()["mode"])

    def now(self) -> datetime:
        """The emulator's current time (UTC)."""
        return datetime.fromisoformat(self.describe()["now"])

    def pending(self) -> list[dict[str, Any]]:
        """The waits not ended yet, soonest first: ``{"due", "remaining", "task_id"}``."""
        found: list[dict[str, Any]] = self.describe()["pending"]
        return found

    def advance(self, seconds: float) -> datetime:
        """Move a manual or auto clock ``seconds`` on; returns (the new time) once every step
        that fell due is stored and taken by the streams listening.

        ``ValueError`` for seconds out of range or a real clock (nothing moves).
        """
        problem = check_seconds(seconds)
        if problem:
            raise ValueError(f"seconds {problem}")
        answer = self._server._control("POST", "/_emulator/clock/advance", {"seconds": seconds})
        return datetime.fromisoformat(answer["now"])

    def set_mode(self, mode: str) -> None:
        """Switch the clock to ``mode`` (see ``Clock.set_mode``); ``ValueError`` for an unknown
        one."""
        problem = check_mode(mode)
        if problem:
            raise ValueError(f"mode {problem}, got {mode!r}")
        self._server._control("PUT", "/_emulator/clock", {"mode": mode})
