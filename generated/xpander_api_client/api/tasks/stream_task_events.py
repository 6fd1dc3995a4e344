from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Response, Unset

#: The operation's path template (relative to the base URL) and HTTP method.
PATH = "/{organization_id}/agent-execution/{task_id}/events"
METHOD = "GET"


def _get_kwargs(
    organization_id: str,
    task_id: str,
    *,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/{organization_id}/agent-execution/{task_id}/events".format(
            organization_id=quote(str(organization_id), safe=""),
            task_id=quote(str(task_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | str | None:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[Error | str]:
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
    organization_id: str,
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | str]:
    """Stream a task's events

     Server-sent events for one task, served from the events base URL
    (`https://agent-controller.xpander.ai` for the hosted platform, the
    base URL itself elsewhere). Each event has an `id:` line (the event's
    place in the task's log, increasing) and one `data:` line holding a
    JSON `TaskUpdateEvent`. The stream starts from the task's first event
    (`task_created`), then sends live events, and ends after
    `task_finished`. Comment lines (`: keep-alive`) keep an idle stream
    open. A client that reconnects with `Last-Event-ID` resumes right after
    that event, nothing lost or repeated.

    Args:
        organization_id (str):
        task_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        task_id=task_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


def sync(
    organization_id: str,
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a task's events

     Server-sent events for one task, served from the events base URL
    (`https://agent-controller.xpander.ai` for the hosted platform, the
    base URL itself elsewhere). Each event has an `id:` line (the event's
    place in the task's log, increasing) and one `data:` line holding a
    JSON `TaskUpdateEvent`. The stream starts from the task's first event
    (`task_created`), then sends live events, and ends after
    `task_finished`. Comment lines (`: keep-alive`) keep an idle stream
    open. A client that reconnects with `Last-Event-ID` resumes right after
    that event, nothing lost or repeated.

    Args:
        organization_id (str):
        task_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return sync_detailed(
        organization_id=organization_id,
        task_id=task_id,
        client=client,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    organization_id: str,
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
    extensions: dict[str, Any] | None = None,
) -> Response[Error | str]:
    """Stream a task's events

     Server-sent events for one task, served from the events base URL
    (`https://agent-controller.xpander.ai` for the hosted platform, the
    base URL itself elsewhere). Each event has an `id:` line (the event's
    place in the task's log, increasing) and one `data:` line holding a
    JSON `TaskUpdateEvent`. The stream starts from the task's first event
    (`task_created`), then sends live events, and ends after
    `task_finished`. Comment lines (`: keep-alive`) keep an idle stream
    open. A client that reconnects with `Last-Event-ID` resumes right after
    that event, nothing lost or repeated.

    Args:
        organization_id (str):
        task_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        task_id=task_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(
        **kwargs,
        extensions=extensions,
    )

    return _build_response(client=client, response=response)


async def asyncio(
    organization_id: str,
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Stream a task's events

     Server-sent events for one task, served from the events base URL
    (`https://agent-controller.xpander.ai` for the hosted platform, the
    base URL itself elsewhere). Each event has an `id:` line (the event's
    place in the task's log, increasing) and one `data:` line holding a
    JSON `TaskUpdateEvent`. The stream starts from the task's first event
    (`task_created`), then sends live events, and ends after
    `task_finished`. Comment lines (`: keep-alive`) keep an idle stream
    open. A client that reconnects with `Last-Event-ID` resumes right after
    that event, nothing lost or repeated.

    Args:
        organization_id (str):
        task_id (str):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return (
        await asyncio_detailed(
            organization_id=organization_id,
            task_id=task_id,
            client=client,
            last_event_id=last_event_id,
        )
    ).parsed
