"""A local emulator of the xpander.ai Tasks API, for demos and tests.

Start it with ``xpander-emulator`` (or ``python -m xpander_sdk.emulator``), or in-process::

    from xpander_sdk.emulator import EmulatorServer

    with EmulatorServer(api_key="k", step_delay=0.05) as emu:
        ...  # point a client at emu.base_url with x-api-key: emu.api_key

Agent scripts and Python agents (``agents``, ``steps``): ``EmulatorServer(agents=...)`` takes
rules that pick what runs each task; a Python agent yields the step classes exported here
(``Chunk``, ``ToolCall``, ``Think``, ``Plan``, ``Identity``, ``Wait``, ``Pause``, ``Result``,
``Structured``, ``Fail``, ``Status``, ``Event``) and may take an ``AgentTask``.

The rest of ``xpander_sdk`` never imports this package. Its names are imported on first use,
so the command line can explain a missing ``[emulator]`` extra instead of failing here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .agents import AgentsError
    from .app import Emulator, EmulatorApp, create_app, create_emulator
    from .config import EmulatorConfig
    from .runner import AgentFunction, pause
    from .server import EmulatorServer
    from .steps import (
        AgentTask,
        Chunk,
        Event,
        Fail,
        Identity,
        Pause,
        Plan,
        Result,
        Status,
        Structured,
        Think,
        ToolCall,
        Wait,
    )

_STEPS = (
    "AgentTask",
    "Chunk",
    "Event",
    "Fail",
    "Identity",
    "Pause",
    "Plan",
    "Result",
    "Status",
    "Structured",
    "Think",
    "ToolCall",
    "Wait",
)
_WHERE = {
    "AgentFunction": "runner",
    "AgentsError": "agents",
    "Emulator": "app",
    "EmulatorApp": "app",
    "EmulatorConfig": "config",
    "EmulatorServer": "server",
    "create_app": "app",
    "create_emulator": "app",
    "pause": "runner",
    **dict.fromkeys(_STEPS, "steps"),
}

__all__ = [
    "AgentFunction",
    "AgentTask",
    "AgentsError",
    "Chunk",
    "Emulator",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorServer",
    "Event",
    "Fail",
    "Identity",
    "Pause",
    "Plan",
    "Result",
    "Status",
    "Structured",
    "Think",
    "ToolCall",
    "Wait",
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
