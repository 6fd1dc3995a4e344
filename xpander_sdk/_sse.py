"""A server-sent events decoder that follows the WHATWG rules, fed text a chunk at a time.

A few dozen lines written here rather than a private module of another package:
`feed` takes whatever text the connection delivered and returns the events it
completed. Lines end in ``\\r\\n``, ``\\n`` or ``\\r`` (a ``\\r`` at the end of a
chunk may be the first half of a ``\\r\\n``); a line starting with ``:`` is a
comment (a heartbeat); an empty line dispatches the event being built.
"""

from __future__ import annotations

from typing import NamedTuple


class SSEvent(NamedTuple):
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
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        self._pending = lines.pop()  # the unfinished last line
        events = []
        # A stream is mostly "data:" and "id:" lines and the blank lines that
        # end its events: those are read here, in line; other fields in `_field`.
        for line in lines:
            if not line:
                event = self._dispatch()
                if event is not None:
                    events.append(event)
            elif line.startswith("data:"):
                self._data.append(line[6:] if line.startswith(" ", 5) else line[5:])
            elif line.startswith("id:"):
                value = line[4:] if line.startswith(" ", 3) else line[3:]
                if "\0" not in value:
                    self._id = value
            elif not line.startswith(":"):  # a line starting with ":" is a comment
                self._field(line)
        return events

    def _field(self, line: str) -> None:
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

    def _dispatch(self) -> SSEvent | None:
        data, event, retry = self._data, self._event, self._retry
        if not data and retry is None:
            self._event = ""
            return None
        self._data, self._event, self._retry = [], "", None
        # The last event id persists across events, as the spec says.
        return SSEvent("\n".join(data), event or "message", self._id or None, retry)
