"""Contains shared errors types that can be raised from API functions"""

import httpx


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class UnreadableResponse(Exception):
    """Raised by api functions when an answer cannot be parsed as the spec describes it.

    ``response`` is the httpx answer as received; ``__cause__`` says what failed.
    """

    def __init__(self, response: httpx.Response, error: Exception):
        self.response = response
        self.error = error
        super().__init__(
            f"the answer could not be parsed: {type(error).__name__}: {error}"
        )


__all__ = ["UnexpectedStatus", "UnreadableResponse"]
