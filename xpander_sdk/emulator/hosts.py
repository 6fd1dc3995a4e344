"""Which ``Host`` headers the emulator answers: its guard against DNS rebinding.

Started without ``--api-key``, the emulator accepts any key. A web page on a name its owner
makes resolve to 127.0.0.1 (DNS rebinding) is then, to the browser, on the same origin as
the emulator, and could read every task and replace the state. The browser still sends that
page's name as ``Host``, so the emulator answers only these (the port, if any, aside;
names compared without regard to case):

* ``localhost``, ``127.0.0.1`` and ``[::1]``;
* the address it was told to listen on (``--host``);
* listening on every address (``0.0.0.0``, ``::``): also the machine's host name
  (``socket.gethostname()``) and any IP address. An address cannot be rebound: a page
  reached by address has that address as its origin, which only the emulator serves;
* each name given with ``--allowed-host`` (``EmulatorConfig.allowed_hosts``), such as a
  docker-compose service name or a DNS name of the machine; ``*`` answers any Host (the
  check is off).

Any other Host, a malformed one, or none (HTTP/1.0) gets 400 naming ``header.Host``, before
the key, the body or a fault rule is looked at: nothing is read or stored.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import FieldError, error_response

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
ANY_HOST = "*"
_WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::", "[::]"})
# A DNS name (letters, digits, ".", "-", "_" as docker names have) or an IPv6 address in
# brackets, then an optional port.
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::[0-9]*)?")


def host_name(value: str) -> str | None:
    """The name in a ``Host`` header value (``name``, ``name:port``, ``[v6]:port``),
    lower-cased; ``None`` when the value is not of that form."""
    match = _HOST.fullmatch(value.strip().lower())
    return match.group(1) if match else None


def normal_name(name: str) -> str:
    """``name`` as it appears in a Host header: lower-cased, an IPv6 address in brackets, any
    port dropped. ``ValueError`` when it cannot be a host name."""
    text = name.strip()
    if ":" in text and not text.startswith("["):
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            pass  # name:port
        else:
            text = f"[{text}]"
    found = host_name(text)
    if found is None:
        raise ValueError(f"{name!r} is not a host name")
    return found


def _is_address(name: str) -> bool:
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return False
    # An IPv6 address is only a Host in brackets; an IPv4 one never is.
    return (address.version == 6) == (bare != name)


class HostRule:
    """The Host names one emulator answers (see the module docstring)."""

    def __init__(self, bind: str, allowed: Iterable[str] = ()) -> None:
        extra = list(allowed)
        self.any_host = ANY_HOST in extra
        self.wildcard = bind.strip() in _WILDCARD_BINDS
        names = set(LOOPBACK)
        if self.wildcard:
            names.add(socket.gethostname().lower())
        else:
            names.add(normal_name(bind))
        names.update(normal_name(name) for name in extra if name != ANY_HOST)
        self.names = frozenset(names)

    def allows(self, header: str | None) -> bool:
        """Whether a request with this ``Host`` header value (``None``: none) is answered."""
        if self.any_host:
            return True
        name = host_name(header) if header is not None else None
        if name is None:
            return False
        return name in self.names or (self.wildcard and _is_address(name))


class TrustedHosts:
    """ASGI middleware: 400 for an HTTP request whose Host ``rule`` does not allow."""

    def __init__(self, app: ASGIApp, rule: HostRule) -> None:
        self.app = app
        self.rule = rule

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = _host_header(scope)
            if not self.rule.allows(header):
                await _refusal(header)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_header(scope: Scope) -> str | None:
    found = [value for key, value in scope.get("headers", ()) if key.lower() == b"host"]
    # Two Host headers are a malformed request (RFC 9112 3.2): refused like a wrong one.
    return found[0].decode("latin-1") if len(found) == 1 else None


def _refusal(header: str | None) -> ASGIApp:
    if header is None:
        return error_response(
            400,
            "The request has no Host header (or more than one)",
            [FieldError("header.Host", "is required, once")],
        )
    shown = header if len(header) <= 100 else header[:100] + "..."
    name = host_name(header)
    hint = (
        f"; to trust it, start the emulator with --allowed-host {name}" if name is not None else ""
    )
    return error_response(
        400,
        f"The Host header {shown!r} is not a name this emulator answers to{hint}",
        [FieldError("header.Host", "is not a trusted host (a guard against DNS rebinding)")],
    )
