"""Docstrings good enough to publish: every public module, class, function, method and
property of the facade, the command line's entry point and the emulator's Python API has
one (the reference renders them; the strict build fails on one it cannot read)."""

from __future__ import annotations

from typing import Any

import griffe
import pytest

from xpander_sdk import emulator

from .pages import ROOT

#: The facade's public modules: those of xpander_sdk not named with a leading underscore.
FACADE = ["configuration", "errors", "events", "models", "task", "tasks", "transport"]


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    return griffe.load(
        "xpander_sdk", search_paths=[str(ROOT), str(ROOT / "generated")], resolve_aliases=False
    )


def _public(obj: Any) -> list[Any]:
    """``obj`` and its public members, defined here (not imported), at any depth of classes."""
    out = [obj]
    for name, member in obj.members.items():
        if member.is_alias or name.startswith("_"):
            continue
        if member.is_class or member.is_function or "property" in member.labels:
            out += _public(member) if member.is_class else [member]
    return out


def _undocumented(objects: list[Any]) -> list[str]:
    return sorted(o.path for o in objects if not (o.docstring and o.docstring.value.strip()))


def test_the_facade_is_documented(package: griffe.Module) -> None:
    assert package.docstring
    objects = [o for name in FACADE for o in _public(package[name])]
    assert len(objects) > 100  # the walk reaches methods
    assert _undocumented(objects) == []


def test_the_command_line_entry_point_is_documented(package: griffe.Module) -> None:
    assert _undocumented([package["cli"], package["cli.main"]]) == []


def test_the_emulator_api_is_documented(package: griffe.Module) -> None:
    api = package["emulator"]
    objects = [api, package["emulator.pytest_plugin"]]
    for name in emulator.__all__:
        objects += _public(api[name].final_target if api[name].is_alias else api[name])
    objects += [
        package[f"emulator.pytest_plugin.{fixture}"]
        for fixture in (
            "xpander_emulator",
            "xpander_emulator_factory",
            "xpander_env",
            "xpander_emulator_shared",
        )
    ]
    assert _undocumented(objects) == []
