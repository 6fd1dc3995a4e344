"""The emulator's settings, shared by the CLI, ``EmulatorServer`` and ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_PORT = 9016
DEFAULT_STEP_DELAY = 0.25
"""Seconds between the steps of a run: the demo task finishes in about a second."""
DEFAULT_HEARTBEAT = 15.0
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass
class EmulatorConfig:
    """How one emulator behaves.

    ``api_key=None`` accepts any non-empty ``x-api-key``; ``agent`` is a callable or a
    ``"module:function"`` string (see ``xpander_sdk.emulator.runner`` for the contract), or
    ``None`` for the built-in demo agent.
    """

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    db: str = ":memory:"
    api_key: str | None = None
    organization_id: str = "local-org"
    step_delay: float = DEFAULT_STEP_DELAY
    agent: str | Callable[[dict[str, Any]], Any] | None = None
    faults: bool = False
    heartbeat: float = DEFAULT_HEARTBEAT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
