"""The emulator's settings, in one place: ``EmulatorConfig`` drives the server
(``create_app``/``create_emulator``), ``EmulatorServer(**settings)`` and the command line,
whose options are made from these fields (``add_arguments``).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import MODES, check_mode
from .hosts import ANY_HOST, normal_name

DEFAULT_PORT = 9016
DEFAULT_STEP_DELAY = 0.25
"""Seconds between the steps of a run: the demo task finishes in about a second."""
DEFAULT_HEARTBEAT = 15.0
DEFAULT_STREAM_RETRY = 0.5
"""Seconds a client waits before reconnecting a dropped event stream (its ``retry:`` field)."""
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_STATE_BYTES = 256 * 1024 * 1024
"""A state document is the whole database: far larger than any request of the API."""
DEFAULT_JOURNAL_SIZE = 10_000


def _option(help: str, *, flag: str | None = None, type: Any = None, **more: Any) -> Any:
    """A field's command-line option: its help text, flag (default ``--field-name``), type."""
    return {"help": help, "flag": flag, "type": type, **more}


@dataclass
class EmulatorConfig:
    """How one emulator behaves (each field is also a command-line option).

    ``api_key=None`` accepts any non-empty ``x-api-key``; ``agent`` is a callable or a
    ``"module:function"`` string (see ``xpander_sdk.emulator.runner`` for the contract), or
    ``None`` for the built-in demo agent; ``agents`` the rules of agent scripts (a document,
    its list of rules, or the path of a YAML or JSON file: see
    ``xpander_sdk.emulator.agents``), which pick what runs each task before ``agent`` does;
    ``clock`` is ``"real"``, ``"manual"`` or ``"auto"`` (see ``xpander_sdk.emulator.clock``).
    ``ValueError`` for a setting out of range.
    """

    host: str = field(default="127.0.0.1", metadata=_option("address to listen on"))
    allowed_hosts: list[str] = field(
        default_factory=list,
        metadata=_option(
            "also answer requests whose Host header names NAME (repeatable; '*' answers any"
            " Host). Without it, only localhost, 127.0.0.1, [::1] and the --host address are"
            " answered, and with --host 0.0.0.0 or :: also the machine's host name and any IP"
            " address; other Host headers get 400, a guard against DNS rebinding",
            flag="--allowed-host",
            metavar="NAME",
            action="append",
        ),
    )
    port: int = field(default=DEFAULT_PORT, metadata=_option("0 picks a free port", type=int))
    db: str = field(
        default=":memory:", metadata=_option("SQLite file; with a file, state survives restarts")
    )
    api_key: str | None = field(
        default=None, metadata=_option("the only accepted x-api-key (default: any)")
    )
    organization_id: str = field(
        default="local-org", metadata=_option("the organization tasks belong to")
    )
    step_delay: float = field(
        default=DEFAULT_STEP_DELAY, metadata=_option("seconds between run steps", type=float)
    )
    agent: str | Callable[[Any], Any] | None = field(
        default=None, metadata=_option("module:function running each task (default: demo)")
    )
    agents: str | os.PathLike[str] | Mapping[str, Any] | list[Any] | None = field(
        default=None,
        metadata=_option(
            "agent scripts: a YAML or JSON file of rules picking what runs each task",
            metavar="FILE",
        ),
    )
    clock: str = field(
        default="real",
        metadata=_option(
            "real: the wall clock; manual: time moves only when told"
            " (POST /_emulator/clock/advance); auto: jumps to the next wait when nothing"
            " is working",
            choices=MODES,
        ),
    )
    faults: bool = field(
        default=False, metadata=_option("enable the fault API (/_emulator/faults)", type=bool)
    )
    heartbeat: float = field(
        default=DEFAULT_HEARTBEAT,
        metadata=_option("seconds between keep-alives on idle streams", type=float),
    )
    stream_retry: float = field(
        default=DEFAULT_STREAM_RETRY,
        metadata=_option(
            "seconds a client should wait before reconnecting a dropped event stream "
            "(the stream's retry: field)",
            type=float,
        ),
    )
    max_body_bytes: int = field(
        default=DEFAULT_MAX_BODY_BYTES,
        metadata=_option("larger bodies get 413 (the API's and fault rules')", type=int),
    )
    max_state_bytes: int = field(
        default=DEFAULT_MAX_STATE_BYTES,
        metadata=_option("larger state documents (PUT /_emulator/state) get 413", type=int),
    )
    journal_size: int = field(
        default=DEFAULT_JOURNAL_SIZE,
        metadata=_option("requests the journal keeps (0 turns it off)", type=int),
    )
    import_path: str | None = field(
        default=None,
        metadata=_option("load this state document at start", flag="--import", metavar="PATH"),
    )
    export_on_exit: str | None = field(
        default=None,
        metadata=_option("write the state document here on exit", metavar="PATH"),
    )
    log_level: str = field(
        default="warning",
        metadata=_option("log level (info logs each request with its id)"),
    )

    def __post_init__(self) -> None:
        problems = []
        if not (math.isfinite(self.step_delay) and self.step_delay >= 0):
            problems.append("step_delay must be >= 0")
        if not (math.isfinite(self.heartbeat) and self.heartbeat > 0):
            problems.append("heartbeat must be > 0")
        if not (math.isfinite(self.stream_retry) and self.stream_retry >= 0):
            problems.append("stream_retry must be >= 0")
        if self.max_body_bytes < 1:
            problems.append("max_body_bytes must be > 0")
        if self.max_state_bytes < 1:
            problems.append("max_state_bytes must be > 0")
        if isinstance(self.allowed_hosts, str):  # a bare string would be its characters
            problems.append("allowed_hosts must be a list of host names")
        else:
            for name in self.allowed_hosts:
                if name == ANY_HOST:
                    continue
                try:
                    normal_name(name)
                except ValueError as exc:
                    problems.append(f"allowed_hosts: {exc}")
        if self.journal_size < 0:
            problems.append("journal_size must be >= 0")
        if not 0 <= self.port <= 65535:
            problems.append("port must be 0 to 65535")
        mode_problem = check_mode(self.clock)
        if mode_problem:
            problems.append(f"clock {mode_problem}, got {self.clock!r}")
        if problems:
            raise ValueError("; ".join(problems))


def add_arguments(parser: argparse.ArgumentParser, **defaults: Any) -> None:
    """One option per ``EmulatorConfig`` field (``defaults`` override the fields' own)."""
    for spec in dataclasses.fields(EmulatorConfig):
        meta = spec.metadata
        flag = option_flag(spec)
        default = defaults.get(spec.name, spec.default)
        if meta.get("type") is bool:
            parser.add_argument(flag, dest=spec.name, action="store_true", help=meta["help"])
            continue
        if meta.get("action") == "append":
            parser.add_argument(
                flag,
                dest=spec.name,
                action="append",
                default=defaults.get(spec.name),
                metavar=meta["metavar"],
                help=meta["help"],
            )
            continue
        extra = {name: meta[name] for name in ("metavar", "choices") if name in meta}
        parser.add_argument(
            flag,
            dest=spec.name,
            type=meta.get("type") or str,
            default=default,
            help=meta["help"] + ("" if default is None else f" (default: {default})"),
            **extra,
        )


def option_flag(spec: dataclasses.Field[Any]) -> str:
    """The command-line flag of an ``EmulatorConfig`` field (``--field-name`` by default)."""
    flag: str = spec.metadata.get("flag") or "--" + spec.name.replace("_", "-")
    return flag


def from_arguments(args: argparse.Namespace) -> EmulatorConfig:
    """The config the options of ``add_arguments`` were given (``ValueError`` if invalid)."""
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(EmulatorConfig)}
    # An option given no time leaves its field's default (a repeatable one's is a list).
    return EmulatorConfig(**{name: value for name, value in given.items() if value is not None})
