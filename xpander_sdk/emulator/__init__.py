"""A local emulator of the xpander.ai Tasks API, for demos and tests.

Start it with ``xpander-emulator`` (or ``python -m xpander_sdk.emulator``), or in-process::

    from xpander_sdk.emulator import EmulatorServer

    with EmulatorServer(api_key="k", step_delay=0.05) as emu:
        ...  # point a client at emu.base_url with x-api-key: emu.api_key

The rest of ``xpander_sdk`` never imports this package.
"""

from .app import Emulator, create_app
from .config import EmulatorConfig
from .runner import AgentFunction, Identity
from .server import EmulatorServer

__all__ = [
    "AgentFunction",
    "Emulator",
    "EmulatorConfig",
    "EmulatorServer",
    "Identity",
    "create_app",
]
