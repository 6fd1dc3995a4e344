"""``xpander-emulator`` / ``python -m xpander_sdk.emulator``: the emulator from a shell.

Options are ``EmulatorConfig``'s fields (``--help`` lists them). SIGINT and SIGTERM stop it
cleanly: streams and runs end, and with ``--export-on-exit PATH`` the state is written to
PATH atomically.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from .app import Emulator
from .config import EmulatorConfig, add_arguments, from_arguments
from .server import _Server, bind, uvicorn_config

log = logging.getLogger("xpander_sdk.emulator")


def parse_args(argv: list[str] | None = None) -> EmulatorConfig:
    """The emulator's settings from the command line (exit 2 for a bad one)."""
    parser = argparse.ArgumentParser(
        prog="xpander-emulator", description="A local emulator of the xpander.ai Tasks API."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return from_arguments(args)
    except ValueError as exc:
        parser.error(str(exc))


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted; logs where the API and the web page are."""
    config = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    # Per-request lines (with their request ids) only when asked: --log-level info/debug.
    logging.getLogger("xpander_sdk.emulator.requests").setLevel(config.log_level.upper())
    try:
        emulator = Emulator(config)
    except (ImportError, ValueError) as exc:  # a bad --agent or --import
        sys.exit(f"xpander-emulator: {exc}")
    try:
        sock = bind(config.host, config.port)
    except OSError as exc:
        emulator.close()
        sys.exit(f"xpander-emulator: cannot listen on {config.host}:{config.port}: {exc}")
    port = sock.getsockname()[1]
    host = f"[{config.host}]" if ":" in config.host else config.host
    log.info(
        "xpander-emulator listening on http://%s:%d (organization %s)",
        host,
        port,
        config.organization_id,
    )
    log.info("web page: http://%s:%d/_emulator/ui", host, port)
    if emulator.interrupted:
        log.info("ended %d run(s) interrupted by the last stop", len(emulator.interrupted))
    server = _Server(uvicorn_config(emulator), emulator)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        emulator.close()
