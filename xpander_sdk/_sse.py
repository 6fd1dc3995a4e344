"""A server-sent events decoder that follows the WHATWG rules, fed text a chunk at a time.

A few dozen lines written here rather than a private module of another package:
`feed` takes whatever text the connection delivered and returns the events it
completed. Lines end in ``\\r\\n``, ``\\n`` or ``\\r`` (a ``\\r`` at the end of a
chunk may be the first half of a ``\\r\\n``); a line starting with ``:`` is a
comment (a heartbeat); an empty line dispatches the event being built.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SSEvent:
    """One dispatched event: its ``data`` (lines joined), ``event``, ``id`` and ``retry``."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Decodes one event stream; keep one per connection."""

    __slots__ = ("_data", "_event", "_id", "_pending", "_retry", "_skip_lf")

    def __init__(self) -> None:
        self._pending = ""
        self._skip_lf = False
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, text: str) -> list[SSEvent]:
        """The events this chunk of text completes, in order."""
        if not text:
            return []
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]
        self._skip_lf = text.endswith("\r")
        text = self._pending + text
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._pending = lines.pop()  # the unfinished last line
        events = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> SSEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SSEvent | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data and retry is None:
            return None
        # The last event id persists across events, as the spec says.
        return SSEvent("\n".join(data), event or "message", self._id or None, retry)
