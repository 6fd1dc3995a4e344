"""Run a command, then say how long it took: wall time, and CPU time (the command's and its
children's, xdist workers and test subprocesses included). Exits with the command's status.

    python scripts/timed.py make-test -- python -m pytest -n auto

CPU time beside wall time tells a slow machine from a slow suite: on a shared machine the
wall time grows with the others' load, the CPU time much less.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    name, separator, *command = argv
    if separator != "--" or not command:
        print("usage: timed.py NAME -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    start = time.monotonic()
    status = subprocess.call(command)
    wall = time.monotonic() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{name}: {wall:.1f} s wall time, {used.ru_utime + used.ru_stime:.1f} s CPU time")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
