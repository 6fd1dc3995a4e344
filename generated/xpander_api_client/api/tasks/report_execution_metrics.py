from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.execution_metrics_accepted import ExecutionMetricsAccepted
from ...models.execution_metrics_report import ExecutionMetricsReport
from ...types import UNSET, Response, Unset

#: The operation's path template (relative to the base URL) and HTTP method.
PATH = "/agents-metrics/{agent_id}/execution"
METHOD = "POST"


def _get_kwargs(
    agent_id: str,
    *,
    body: ExecutionMetricsReport,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/agents-metrics/{agent_id}/execution".format(
            agent_id=quote(str(agent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExecutionMetricsAccepted | None:
    if response.status_code == 200:
        response_200 = ExecutionMetricsAccepted.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ExecutionMetricsAccepted]:
    try:
        parsed = _parse_response(client=client, response=response)
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        OverflowError,
    ) as exc:
        raise errors.UnreadableResponse(response, exc) from exc
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecutionMetricsReport,
    idempotency_key: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | ExecutionMetricsAccepted]:
    """Report a run's metrics

     Records the metrics of one run of the agent named in the path: its
    status, duration, model, tokens and the tools it called. The
    published SDK's `Task.report_metrics()` sends it after a run, filled
    from the task (`execution_id` and `memory_thread_id` are the task's
    id, `task` its input text, `llm_tokens.worker` its tokens). The
    answer's body carries nothing a client needs (the published SDK
    reads none); a 2xx status means the report was recorded.

    A retried report that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers like the first and records nothing new.

    Args:
        agent_id (str):
        idempotency_key (str | Unset):
        body (ExecutionMetricsReport): The body of a metrics report for one run of an agent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExecutionMetricsAccepted]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecutionMetricsReport,
    idempotency_key: str | Unset = UNSET,
) -> Error | ExecutionMetricsAccepted | None:
    """Report a run's metrics

     Records the metrics of one run of the agent named in the path: its
    status, duration, model, tokens and the tools it called. The
    published SDK's `Task.report_metrics()` sends it after a run, filled
    from the task (`execution_id` and `memory_thread_id` are the task's
    id, `task` its input text, `llm_tokens.worker` its tokens). The
    answer's body carries nothing a client needs (the published SDK
    reads none); a 2xx status means the report was recorded.

    A retried report that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers like the first and records nothing new.

    Args:
        agent_id (str):
        idempotency_key (str | Unset):
        body (ExecutionMetricsReport): The body of a metrics report for one run of an agent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExecutionMetricsAccepted
    """

    return sync_detailed(
        agent_id=agent_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecutionMetricsReport,
    idempotency_key: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | ExecutionMetricsAccepted]:
    """Report a run's metrics

     Records the metrics of one run of the agent named in the path: its
    status, duration, model, tokens and the tools it called. The
    published SDK's `Task.report_metrics()` sends it after a run, filled
    from the task (`execution_id` and `memory_thread_id` are the task's
    id, `task` its input text, `llm_tokens.worker` its tokens). The
    answer's body carries nothing a client needs (the published SDK
    reads none); a 2xx status means the report was recorded.

    A retried report that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers like the first and records nothing new.

    Args:
        agent_id (str):
        idempotency_key (str | Unset):
        body (ExecutionMetricsReport): The body of a metrics report for one run of an agent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExecutionMetricsAccepted]
    """

    kwargs = _get_kwargs(
        agent_id=agent_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


async def asyncio(
    agent_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecutionMetricsReport,
    idempotency_key: str | Unset = UNSET,
) -> Error | ExecutionMetricsAccepted | None:
    """Report a run's metrics

     Records the metrics of one run of the agent named in the path: its
    status, duration, model, tokens and the tools it called. The
    published SDK's `Task.report_metrics()` sends it after a run, filled
    from the task (`execution_id` and `memory_thread_id` are the task's
    id, `task` its input text, `llm_tokens.worker` its tokens). The
    answer's body carries nothing a client needs (the published SDK
    reads none); a 2xx status means the report was recorded.

    A retried report that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers like the first and records nothing new.

    Args:
        agent_id (str):
        idempotency_key (str | Unset):
        body (ExecutionMetricsReport): The body of a metrics report for one run of an agent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExecutionMetricsAccepted
    """

    return (
        await asyncio_detailed(
            agent_id=agent_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
