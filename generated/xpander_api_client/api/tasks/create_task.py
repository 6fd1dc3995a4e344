from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.task import Task
from ...models.task_create import TaskCreate
from ...types import UNSET, Response, Unset

#: The operation's path template (relative to the base URL) and HTTP method.
PATH = "/agent-execution/{agent_or_task_id}"
METHOD = "POST"


def _get_kwargs(
    agent_or_task_id: str,
    *,
    body: TaskCreate,
    x_agent_version: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_agent_version, Unset):
        headers["x-agent-version"] = x_agent_version

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/agent-execution/{agent_or_task_id}".format(
            agent_or_task_id=quote(str(agent_or_task_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

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
) -> Response[Error | Task]:
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
    agent_or_task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskCreate,
    x_agent_version: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | Task]:
    """Create a task

     Creates a task for the agent named in the path and queues it to run.
    The answer is the new task, with status `pending`. Send `id` to
    continue an existing task instead of starting a new one.

    A retried create that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers with the first create's task and makes
    no second task.

    Args:
        agent_or_task_id (str):
        x_agent_version (str | Unset):
        idempotency_key (str | Unset):
        body (TaskCreate): The body of a create. Every field is optional and accepts `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Task]
    """

    kwargs = _get_kwargs(
        agent_or_task_id=agent_or_task_id,
        body=body,
        x_agent_version=x_agent_version,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_or_task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskCreate,
    x_agent_version: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Error | Task | None:
    """Create a task

     Creates a task for the agent named in the path and queues it to run.
    The answer is the new task, with status `pending`. Send `id` to
    continue an existing task instead of starting a new one.

    A retried create that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers with the first create's task and makes
    no second task.

    Args:
        agent_or_task_id (str):
        x_agent_version (str | Unset):
        idempotency_key (str | Unset):
        body (TaskCreate): The body of a create. Every field is optional and accepts `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Task
    """

    return sync_detailed(
        agent_or_task_id=agent_or_task_id,
        client=client,
        body=body,
        x_agent_version=x_agent_version,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    agent_or_task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskCreate,
    x_agent_version: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | Task]:
    """Create a task

     Creates a task for the agent named in the path and queues it to run.
    The answer is the new task, with status `pending`. Send `id` to
    continue an existing task instead of starting a new one.

    A retried create that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers with the first create's task and makes
    no second task.

    Args:
        agent_or_task_id (str):
        x_agent_version (str | Unset):
        idempotency_key (str | Unset):
        body (TaskCreate): The body of a create. Every field is optional and accepts `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Task]
    """

    kwargs = _get_kwargs(
        agent_or_task_id=agent_or_task_id,
        body=body,
        x_agent_version=x_agent_version,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


async def asyncio(
    agent_or_task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskCreate,
    x_agent_version: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Error | Task | None:
    """Create a task

     Creates a task for the agent named in the path and queues it to run.
    The answer is the new task, with status `pending`. Send `id` to
    continue an existing task instead of starting a new one.

    A retried create that carries the same `Idempotency-Key` as an earlier
    one (within 24 hours) answers with the first create's task and makes
    no second task.

    Args:
        agent_or_task_id (str):
        x_agent_version (str | Unset):
        idempotency_key (str | Unset):
        body (TaskCreate): The body of a create. Every field is optional and accepts `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Task
    """

    return (
        await asyncio_detailed(
            agent_or_task_id=agent_or_task_id,
            client=client,
            body=body,
            x_agent_version=x_agent_version,
            idempotency_key=idempotency_key,
        )
    ).parsed
