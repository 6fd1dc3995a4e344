"""The ``xpander-emulator`` entry point (and ``python -m xpander_sdk.emulator``).

It imports the emulator only inside ``main``, so that without the ``[emulator]`` extra the
command says what to install in one line (exit 2) instead of a traceback.
"""

from __future__ import annotations

import sys

# Top-level packages of the [emulator] extra (pyproject.toml).
_EXTRA_PACKAGES = frozenset(
    {
        "starlette",
        "uvicorn",
        "openapi_core",
        "yaml",
        "jsonschema",
        "fastjsonschema",
        "orjson",
        "re2",
    }
)
HINT = (
    "xpander-emulator: the emulator's dependencies are not installed; "
    "run: pip install 'xpander-sdk[emulator]'"
)


def main(argv: list[str] | None = None) -> None:
    """Run the emulator's command line, or explain in one line what is missing."""
    try:
        from .cli import main as cli_main
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _EXTRA_PACKAGES:
            raise  # not a missing extra: a bug worth its traceback
        print(f"{HINT} (missing: {missing})", file=sys.stderr)
        sys.exit(2)
    cli_main(argv)


if __name__ == "__main__":
    main()
