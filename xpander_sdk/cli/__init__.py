"""``xpander-tasks``: the Tasks API from a terminal.

Create, list, get, update and stop tasks, follow a task's events live, wait
for one to finish, read its activity log. Run it as ``xpander-tasks`` or
``python -m xpander_sdk``; it needs the ``cli`` extra
(``pip install 'xpander-sdk[cli]'``). ``import xpander_sdk`` never imports
this package.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = "xpander-tasks needs the 'cli' extra: pip install 'xpander-sdk[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``xpander-tasks`` with ``argv`` (default: the process's); the exit code."""
    # rich is an optional extra: without it, one line saying how to get it.
    try:
        import rich  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    from .commands import run

    return run(argv)
