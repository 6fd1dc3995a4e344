from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.task import Task
from ...models.task_update import TaskUpdate
from ...types import Response

#: The operation's path template (relative to the base URL) and HTTP method.
PATH = "/agent-execution/{task_id}/update"
METHOD = "PATCH"


def _get_kwargs(
    task_id: str,
    *,
    body: TaskUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/agent-execution/{task_id}/update".format(
            task_id=quote(str(task_id), safe=""),
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
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskUpdate,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | Task]:
    """Update a task

     Changes the fields sent and leaves the rest as they are. Any status may
    be set, also out of `stopped`. The body may be a whole task as read,
    read-only fields (`id`, `organization_id`, `created_at`, …) included:
    those are ignored and the rest applied.

    Args:
        task_id (str):
        body (TaskUpdate): The body of an update: any Task fields, only those sent change. A
            whole task as read is accepted; its read-only fields (`id`,
            `agent_id`, `organization_id`, `created_at`, …) are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskUpdate,
) -> Error | Task | None:
    """Update a task

     Changes the fields sent and leaves the rest as they are. Any status may
    be set, also out of `stopped`. The body may be a whole task as read,
    read-only fields (`id`, `organization_id`, `created_at`, …) included:
    those are ignored and the rest applied.

    Args:
        task_id (str):
        body (TaskUpdate): The body of an update: any Task fields, only those sent change. A
            whole task as read is accepted; its read-only fields (`id`,
            `agent_id`, `organization_id`, `created_at`, …) are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Task
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskUpdate,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | Task]:
    """Update a task

     Changes the fields sent and leaves the rest as they are. Any status may
    be set, also out of `stopped`. The body may be a whole task as read,
    read-only fields (`id`, `organization_id`, `created_at`, …) included:
    those are ignored and the rest applied.

    Args:
        task_id (str):
        body (TaskUpdate): The body of an update: any Task fields, only those sent change. A
            whole task as read is accepted; its read-only fields (`id`,
            `agent_id`, `organization_id`, `created_at`, …) are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Task]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TaskUpdate,
) -> Error | Task | None:
    """Update a task

     Changes the fields sent and leaves the rest as they are. Any status may
    be set, also out of `stopped`. The body may be a whole task as read,
    read-only fields (`id`, `organization_id`, `created_at`, …) included:
    those are ignored and the rest applied.

    Args:
        task_id (str):
        body (TaskUpdate): The body of an update: any Task fields, only those sent change. A
            whole task as read is accepted; its read-only fields (`id`,
            `agent_id`, `organization_id`, `created_at`, …) are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Task
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            body=body,
        )
    ).parsed
