"""The path patterns a caller gives the emulator: the journal's ``?path=`` filter and a fault
rule's ``path``. Both run on the server's event loop, so both must be cheap whatever the
caller sends.

A pattern is a regular expression in RE2 syntax (Python's ``re`` syntax without
backreferences and lookaround), matched with ``search`` (anywhere in the path), at most
``MAX_PATTERN_LENGTH`` characters. Why that is safe: RE2 never backtracks, so a match costs
time linear in the path's length (Python's ``re`` can take exponential time on
``(a|a)*b``), and a path is at most the request line uvicorn accepts (16 KiB). Filtering
the journal therefore costs no more than writing the same paths into its JSON answer; the
length cap bounds the compiled program (RE2 also refuses repeat counts above 1000).
"""

from __future__ import annotations

import re2

MAX_PATTERN_LENGTH = 256

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the caller's 422, not a line on stderr


class PatternError(ValueError):
    """A pattern that cannot be used; the message says why (for a ``FieldError``'s reason)."""


class PathPattern:
    """A compiled path pattern; ``PatternError`` for one too long or not RE2 syntax."""

    __slots__ = ("_regexp", "text")

    def __init__(self, text: str) -> None:
        if len(text) > MAX_PATTERN_LENGTH:
            raise PatternError(f"longer than {MAX_PATTERN_LENGTH} characters")
        try:
            self._regexp = re2.compile(text, _OPTIONS)
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise PatternError(f"not a regular expression (RE2 syntax): {reason}") from None
        self.text = text

    def search(self, path: str) -> bool:
        """Whether the pattern matches anywhere in ``path``."""
        return self._regexp.search(path) is not None

    def __repr__(self) -> str:
        return f"PathPattern({self.text!r})"
