"""Run example files one after the other in this interpreter: ``run_examples.py OUT FILE...``.

Each file runs as ``__main__`` (as ``python FILE`` would run it), with what it prints
captured; OUT gets a JSON list of ``{"file", "output", "error"}`` (``error``: the
traceback, or None). One interpreter per page keeps the doc tests fast; a file still sees
only what the environment gives it, as when a reader runs it alone.
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import sys
import traceback


def run(path: str) -> dict[str, str | None]:
    printed = io.StringIO()
    error = None
    sys.argv = [path]
    try:
        with contextlib.redirect_stdout(printed):
            runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = f"SystemExit({exc.code!r})"
    except BaseException:
        error = traceback.format_exc()
    return {"file": path, "output": printed.getvalue(), "error": error}


def main() -> None:
    out, *files = sys.argv[1:]
    results = [run(path) for path in files]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
