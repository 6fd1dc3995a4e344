"""``xpander-emulator`` / ``python -m xpander_sdk.emulator``: the emulator from a shell."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from .app import Emulator
from .config import (
    DEFAULT_HEARTBEAT,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_STEP_DELAY,
    EmulatorConfig,
)
from .server import _Server, bind, uvicorn_config

log = logging.getLogger("xpander_sdk.emulator")


def parse_args(argv: list[str] | None = None) -> tuple[EmulatorConfig, str]:
    """The emulator settings and uvicorn's log level from the command line."""
    parser = argparse.ArgumentParser(
        prog="xpander-emulator", description="A local emulator of the xpander.ai Tasks API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--db", default=":memory:", help="SQLite file (default :memory:)")
    parser.add_argument("--api-key", help="the only accepted x-api-key (default: any)")
    parser.add_argument("--organization-id", default="local-org")
    parser.add_argument(
        "--step-delay", type=float, default=DEFAULT_STEP_DELAY, help="seconds between run steps"
    )
    parser.add_argument("--agent", help="module:function running each task (default: demo)")
    parser.add_argument("--faults", action="store_true", help="enable /_emulator/faults")
    parser.add_argument(
        "--heartbeat", type=float, default=DEFAULT_HEARTBEAT, help="seconds between keep-alives"
    )
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    parser.add_argument("--log-level", default="warning", help="uvicorn's log level")
    args = parser.parse_args(argv)
    if args.step_delay < 0 or args.heartbeat <= 0 or args.max_body_bytes < 1:
        parser.error("--step-delay must be >= 0, --heartbeat and --max-body-bytes > 0")
    config = EmulatorConfig(
        host=args.host,
        port=args.port,
        db=args.db,
        api_key=args.api_key,
        organization_id=args.organization_id,
        step_delay=args.step_delay,
        agent=args.agent,
        faults=args.faults,
        heartbeat=args.heartbeat,
        max_body_bytes=args.max_body_bytes,
    )
    return config, args.log_level


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted; logs one line saying where it listens."""
    config, log_level = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        emulator = Emulator(config)
    except (ImportError, ValueError) as exc:  # a bad --agent
        sys.exit(f"xpander-emulator: {exc}")
    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    host = f"[{config.host}]" if ":" in config.host else config.host
    log.info(
        "xpander-emulator listening on http://%s:%d (organization %s)",
        host,
        port,
        config.organization_id,
    )
    server = _Server(uvicorn_config(emulator, log_level), emulator)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        emulator.store.close()


if __name__ == "__main__":
    main()
