"""Which fields hold secrets, and how they are masked wherever a task is shown.

The API key never enters a task; these fields do: ``user_oidc_token``,
``user_tokens``, and an MCP server's ``api_key``, ``client_secret`` and
``headers``. Reprs, logs and the command line's output mask them with `MASK`.
"""

from __future__ import annotations

from typing import Any

MASK = "***"
SECRET_FIELDS = frozenset({"user_oidc_token", "user_tokens"})
MCP_SECRET_KEYS = frozenset({"api_key", "client_secret", "headers"})


def redact(name: str, value: Any) -> Any:
    """A task field's value with its secrets masked, for reprs and logs."""
    if value is None:
        return None
    if name in SECRET_FIELDS:
        return MASK
    if name == "mcp_servers" and isinstance(value, list):
        return [
            {k: (MASK if k in MCP_SECRET_KEYS else v) for k, v in s.items()}
            if isinstance(s, dict)
            else MASK
            for s in value
        ]
    return value


def masked(value: Any, secrets: frozenset[str] = SECRET_FIELDS) -> Any:
    """JSON ``value`` with every secret masked, at any depth (a task inside an event included)."""
    if isinstance(value, list):
        return [masked(item, secrets) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in secrets and item is not None:
            out[key] = MASK
        elif key == "mcp_servers" and isinstance(item, list):
            # A server that is not an object cannot be masked field by field: all of it is.
            out[key] = [
                masked(server, secrets | MCP_SECRET_KEYS) if isinstance(server, dict) else MASK
                for server in item
            ]
        elif key == "mcp_servers":
            out[key] = masked(item, secrets | MCP_SECRET_KEYS)
        else:
            out[key] = masked(item, secrets)
    return out
