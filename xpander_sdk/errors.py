"""Every error the SDK raises on purpose, in one tree.

ModuleException                    (the published SDK's name: status_code, description)
├── ConfigurationError             no API key, or another unusable setting (also a ValueError)
├── APIStatusError                 the server answered with an error status
│   ├── BadRequestError            400, 413: the request could not be read
│   │   └── ValidationError        422: the request does not match the API
│   ├── AuthenticationError        401: missing or wrong API key
│   ├── PermissionDeniedError      403
│   ├── NotFoundError              404: no such task (or agent)
│   ├── ConflictError              409
│   ├── RateLimitError             429: slow down (see retry_after)
│   └── ServerError                5xx (and 408): the server failed; retried before raised
├── APIConnectionError             no answer: connection refused, reset or cut
│   ├── APITimeoutError            no answer in time (also a TimeoutError)
│   └── StreamError                an event stream kept dropping and could not be resumed
├── MalformedResponseError         an answer that is not what the API promises
└── TaskWaitTimeout                a task did not finish in the time given (also a TimeoutError)

Each error carries the HTTP status (or None when there was no answer), the
parsed error body, the request's method and URL, and the server's request id
(``x-request-id``, shown in the message: quote it to find the call in the
platform's logs). The API key travels in a header and never appears in any of
them.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "MalformedResponseError",
    "ModuleException",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamError",
    "TaskWaitTimeout",
    "ValidationError",
]


class ModuleException(Exception):
    """The root of every SDK error.

    Attributes:
        status_code: the HTTP status of the answer, or None when there was none.
        description: what went wrong, in words (the server's own when it gave some).
        body: the parsed error body (a dict when the server sent JSON, else its text).
        method: the request's HTTP method, when a request was made.
        url: the request's URL, when a request was made.
        request_id: the server's id of the request (its ``x-request-id``
            answer header), None when there was no answer or it gave none.
        idempotency_key: on an error of a create, the ``Idempotency-Key`` it
            was sent with (the caller's, or the one the SDK made). The create
            may have reached the server although no answer came back: send it
            again with ``idempotency_key=`` this key, and the server answers
            with the task it stored rather than making a second one.
    """

    idempotency_key: str | None = None

    def __init__(
        self,
        status_code: int | None = None,
        description: str = "",
        *,
        body: Any = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.description = description
        self.body = body
        self.method = method
        self.url = url
        self.request_id = request_id
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.method} {self.url}" if self.method and self.url else None
        parts = [p for p in (where, str(self.status_code) if self.status_code else None) if p]
        prefix = f"[{' -> '.join(parts)}] " if parts else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        key = f" (idempotency key {self.idempotency_key})" if self.idempotency_key else ""
        return f"{prefix}{self.description}{rid}{key}"

    def __str__(self) -> str:
        # Built when shown, so a request id (or idempotency key) learnt after
        # construction shows too.
        return self._message()

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status_code={self.status_code!r}, description={self.description!r})"


class ConfigurationError(ModuleException, ValueError):
    """The configuration cannot be used (for example, there is no API key)."""

    def __init__(self, description: str) -> None:
        super().__init__(None, description)


class APIStatusError(ModuleException):
    """The server answered with an error status."""


class BadRequestError(APIStatusError):
    """400 or 413: the server could not read the request."""


class ValidationError(BadRequestError):
    """422: the request does not match the API; ``errors`` says which field and why."""

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The server's list of ``{"field": ..., "reason": ...}``, when it gave one."""
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), list):
            return [e for e in self.body["errors"] if isinstance(e, dict)]
        return []


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such task (or agent)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the task's state."""


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the wait the server asked for, in seconds."""

    retry_after: float | None = None


class ServerError(APIStatusError):
    """5xx (or 408): the server failed, and retries did not help."""


class APIConnectionError(ModuleException):
    """No answer: the connection was refused, reset or cut."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """No answer within the timeout."""


class StreamError(APIConnectionError):
    """An event stream dropped and could not be resumed within the reconnect limit."""


class MalformedResponseError(ModuleException):
    """The server's answer is not what the API promises (not JSON, wrong shape, empty)."""


class TaskWaitTimeout(ModuleException, TimeoutError):
    """A task did not reach a final status within the time given."""


def error_for_status(status: int) -> type[APIStatusError]:
    """The error class for an HTTP error status."""
    if status in (400, 413):
        return BadRequestError
    if status == 422:
        return ValidationError
    return _BY_STATUS.get(status) or (
        ServerError if status >= 500 or status == 408 else APIStatusError
    )


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}
