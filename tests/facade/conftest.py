"""Facade fixtures: a `Configuration` and `Tasks` clients pointed at the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from xpander_sdk import Configuration, Tasks


@pytest.fixture()
def configuration(emulator: Any) -> Configuration:
    """Where the emulator listens, as the SDK's configuration."""
    return Configuration(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        organization_id=emulator.organization_id,
    )


@pytest.fixture()
def tasks(configuration: Configuration) -> Iterator[Tasks]:
    with Tasks(configuration=configuration) as client:
        yield client


@pytest.fixture()
async def atasks(configuration: Configuration) -> AsyncIterator[Tasks]:
    async with Tasks(configuration=configuration) as client:
        yield client
