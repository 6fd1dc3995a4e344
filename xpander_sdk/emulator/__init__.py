"""A local emulator of the xpander.ai Tasks API, for demos and tests.

Start it with ``xpander-emulator`` (or ``python -m xpander_sdk.emulator``), or in-process::

    from xpander_sdk.emulator import EmulatorServer

    with EmulatorServer(api_key="k", step_delay=0.05) as emu:
        ...  # point a client at emu.base_url with x-api-key: emu.api_key

The rest of ``xpander_sdk`` never imports this package. Its names are imported on first use,
so the command line can explain a missing ``[emulator]`` extra instead of failing here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Emulator, EmulatorApp, create_app, create_emulator
    from .clock import pause
    from .config import EmulatorConfig
    from .runner import AgentFunction, Identity
    from .server import EmulatorServer

_WHERE = {
    "AgentFunction": "runner",
    "Emulator": "app",
    "EmulatorApp": "app",
    "EmulatorConfig": "config",
    "EmulatorServer": "server",
    "Identity": "runner",
    "create_app": "app",
    "create_emulator": "app",
    "pause": "clock",
}

__all__ = [
    "AgentFunction",
    "Emulator",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorServer",
    "Identity",
    "create_app",
    "create_emulator",
    "pause",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
