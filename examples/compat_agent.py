"""The agent `make compat` runs the emulator with (``--agent compat_agent:run``): the demo
answer, under a named skill, so the published SDK reads each chunk's ``identity``."""

from collections.abc import AsyncIterator
from typing import Any

from xpander_sdk.emulator import Identity


async def run(task_input: dict[str, Any]) -> AsyncIterator[object]:
    yield Identity("Compat skill", icon="https://example.com/skill.png")
    yield "Emulated answer to: "
    yield task_input.get("text") or "(no prompt)"
