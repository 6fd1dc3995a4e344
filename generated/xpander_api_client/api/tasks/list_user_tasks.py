from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_execution_status import AgentExecutionStatus
from ...models.error import Error
from ...models.tasks_list_item import TasksListItem
from ...types import UNSET, Response, Unset

#: The operation's path template (relative to the base URL) and HTTP method.
PATH = "/agent-execution/executions/history/user/{user_id}"
METHOD = "GET"


def _get_kwargs(
    user_id: str,
    *,
    parent_task_id: str | Unset = UNSET,
    triggering_agent_id: str | Unset = UNSET,
    status: AgentExecutionStatus | Unset = UNSET,
    internal_status: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["parent_task_id"] = parent_task_id

    params["triggering_agent_id"] = triggering_agent_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["internal_status"] = internal_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/agent-execution/executions/history/user/{user_id}".format(
            user_id=quote(str(user_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[TasksListItem] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = TasksListItem.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Error | list[TasksListItem]]:
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
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    parent_task_id: str | Unset = UNSET,
    triggering_agent_id: str | Unset = UNSET,
    status: AgentExecutionStatus | Unset = UNSET,
    internal_status: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | list[TasksListItem]]:
    """List a user's tasks

     Every task created on behalf of the user (the `input.user.id` given at
    create), as one array, optionally narrowed by the query filters.

    Args:
        user_id (str):
        parent_task_id (str | Unset):
        triggering_agent_id (str | Unset):
        status (AgentExecutionStatus | Unset): Where a task stands in its run.
        internal_status (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[TasksListItem]]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        parent_task_id=parent_task_id,
        triggering_agent_id=triggering_agent_id,
        status=status,
        internal_status=internal_status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    parent_task_id: str | Unset = UNSET,
    triggering_agent_id: str | Unset = UNSET,
    status: AgentExecutionStatus | Unset = UNSET,
    internal_status: str | Unset = UNSET,
) -> Error | list[TasksListItem] | None:
    """List a user's tasks

     Every task created on behalf of the user (the `input.user.id` given at
    create), as one array, optionally narrowed by the query filters.

    Args:
        user_id (str):
        parent_task_id (str | Unset):
        triggering_agent_id (str | Unset):
        status (AgentExecutionStatus | Unset): Where a task stands in its run.
        internal_status (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[TasksListItem]
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        parent_task_id=parent_task_id,
        triggering_agent_id=triggering_agent_id,
        status=status,
        internal_status=internal_status,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    parent_task_id: str | Unset = UNSET,
    triggering_agent_id: str | Unset = UNSET,
    status: AgentExecutionStatus | Unset = UNSET,
    internal_status: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | list[TasksListItem]]:
    """List a user's tasks

     Every task created on behalf of the user (the `input.user.id` given at
    create), as one array, optionally narrowed by the query filters.

    Args:
        user_id (str):
        parent_task_id (str | Unset):
        triggering_agent_id (str | Unset):
        status (AgentExecutionStatus | Unset): Where a task stands in its run.
        internal_status (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[TasksListItem]]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        parent_task_id=parent_task_id,
        triggering_agent_id=triggering_agent_id,
        status=status,
        internal_status=internal_status,
    )

    response = await client.get_async_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    parent_task_id: str | Unset = UNSET,
    triggering_agent_id: str | Unset = UNSET,
    status: AgentExecutionStatus | Unset = UNSET,
    internal_status: str | Unset = UNSET,
) -> Error | list[TasksListItem] | None:
    """List a user's tasks

     Every task created on behalf of the user (the `input.user.id` given at
    create), as one array, optionally narrowed by the query filters.

    Args:
        user_id (str):
        parent_task_id (str | Unset):
        triggering_agent_id (str | Unset):
        status (AgentExecutionStatus | Unset): Where a task stands in its run.
        internal_status (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[TasksListItem]
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            parent_task_id=parent_task_id,
            triggering_agent_id=triggering_agent_id,
            status=status,
            internal_status=internal_status,
        )
    ).parsed
