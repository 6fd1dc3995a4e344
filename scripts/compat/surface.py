"""The public Tasks surface of an SDK, by introspection, and the drift between two of them.

    python surface.py dump published   # in the published SDK's venv: its surface as JSON
    python surface.py dump ours        # in this project's venv: ours
    python surface.py compare PUBLISHED.json OURS.json [--allowed allowed-differences.json]

A surface is ``{"methods": {Class: {method: {"params": [...], "positional": [...]}}},
"fields": {Class: [...]}}`` for the classes ``make compat`` compares: methods of ``Tasks``,
``Task`` and ``TasksListItem`` (their own and their SDK bases', not pydantic's), and the
fields of ``Task``, ``TasksListItem``, ``TaskUpdateEvent`` and ``AgentExecutionInput``.
A published sync method that only forwards ``*args, **kwargs`` (``Tasks.create``) is
described by its async twin's parameters.

``compare`` prints every difference. What the published SDK has and ours lacks (a method,
a parameter, a field, or a positional order that would bind arguments differently) fails,
unless the allowed-differences file names it with a reason; what only ours has is printed
as information (additions are ours to make). Standard library only: it runs in both venvs.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

# class name -> (module, attribute) in each SDK
PUBLISHED = {
    "Tasks": ("xpander_sdk.modules.tasks.tasks_module", "Tasks"),
    "Task": ("xpander_sdk.modules.tasks.sub_modules.task", "Task"),
    "TasksListItem": ("xpander_sdk.modules.tasks.models.tasks_list", "TasksListItem"),
    "TaskUpdateEvent": ("xpander_sdk.modules.tasks.sub_modules.task", "TaskUpdateEvent"),
    "AgentExecutionInput": ("xpander_sdk.modules.tasks.models.task", "AgentExecutionInput"),
}
OURS = {name: ("xpander_sdk", name) for name in PUBLISHED}
METHOD_CLASSES = ("Tasks", "Task", "TasksListItem")
FIELD_CLASSES = ("Task", "TasksListItem", "TaskUpdateEvent", "AgentExecutionInput")
SDK_MODULES = ("xpander_sdk", "xpander_api_client")


def _load(where: tuple[str, str]) -> type:
    cls = getattr(importlib.import_module(where[0]), where[1])
    assert isinstance(cls, type), where
    return cls


def _owner(cls: type, name: str) -> type | None:
    return next((base for base in cls.__mro__ if name in vars(base)), None)


def _is_sdk(owner: type | None) -> bool:
    return owner is not None and owner.__module__.split(".")[0] in SDK_MODULES


def _pydantic_names() -> set[str]:
    try:
        from pydantic import BaseModel
    except ImportError:
        return set()
    return set(dir(BaseModel))


def _params(function: Any) -> tuple[list[str], list[str]]:
    signature = inspect.signature(function)
    names, positional = [], []
    for parameter in signature.parameters.values():
        if parameter.name in {"self", "cls"}:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            names.append("*" + parameter.name)
        elif parameter.kind is parameter.VAR_KEYWORD:
            names.append("**" + parameter.name)
        else:
            names.append(parameter.name)
            if parameter.kind in {parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD}:
                positional.append(parameter.name)
    return names, positional


def _placeholder(function: Any) -> bool:
    """True for a method whose body only raises ``NotImplementedError`` (an abstract
    base's stub, such as the published ``ModuleBase.delete`` that ``Tasks`` inherits)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    definition = tree.body[0]
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = list(definition.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def methods(cls: type) -> dict[str, dict[str, Any]]:
    """Public methods defined by ``cls`` or its SDK bases, with their parameters."""
    skip = _pydantic_names()
    found: dict[str, dict[str, Any]] = {}
    for name in sorted(dir(cls)):
        owner = _owner(cls, name)
        if name.startswith("_") or name in skip or not _is_sdk(owner):
            continue
        raw = vars(owner)[name] if owner is not None else None
        if isinstance(raw, property) or not callable(getattr(cls, name, None)):
            continue
        params, positional = _params(getattr(cls, name))
        entry: dict[str, Any] = {"params": params, "positional": positional}
        if _placeholder(getattr(cls, name)):
            entry["placeholder"] = True
        twin = "a" + name
        if params == ["*args", "**kwargs"] and hasattr(cls, twin):
            entry["params"], entry["positional"] = _params(getattr(cls, twin))
            entry["via"] = twin
        found[name] = entry
    return found


def fields(cls: type) -> list[str]:
    """Public data attributes: pydantic/attrs/dataclass fields, annotations, slots, properties."""
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, dict):  # pydantic: its fields are the wire model's
        return sorted(n for n in model_fields if not n.startswith("_"))
    names = {f.name for f in getattr(cls, "__attrs_attrs__", ())}
    names |= set(getattr(cls, "__dataclass_fields__", {}) or {})
    for base in cls.__mro__:
        if not _is_sdk(base):
            continue
        names |= set(vars(base).get("__annotations__", {}))
        slots = vars(base).get("__slots__", ())
        names |= {slots} if isinstance(slots, str) else set(slots)
        names |= {n for n, v in vars(base).items() if isinstance(v, property)}
    return sorted(n for n in names if not n.startswith("_"))


def dump(which: str) -> dict[str, Any]:
    table = PUBLISHED if which == "published" else OURS
    classes = {name: _load(where) for name, where in table.items()}
    return {
        "sdk": which,
        "methods": {name: methods(classes[name]) for name in METHOD_CLASSES},
        "fields": {name: fields(classes[name]) for name in FIELD_CLASSES},
    }


def differences(published: dict[str, Any], ours: dict[str, Any]) -> tuple[list[str], list[str]]:
    """``(missing, added)``: what ours lacks (``Class.name ...`` lines), and what only ours has."""
    missing: list[str] = []
    added: list[str] = []
    for cls in METHOD_CLASSES:
        theirs, mine = published["methods"][cls], ours["methods"].get(cls, {})
        for name, entry in theirs.items():
            if entry.get("placeholder"):
                added.append(f"{cls}.{name}: published only as a stub raising NotImplementedError")
                continue
            if name not in mine:
                missing.append(f"{cls}.{name}: method missing ({', '.join(entry['params'])})")
                continue
            lacking = [p for p in entry["params"] if p not in mine[name]["params"]]
            lacking = [p for p in lacking if not p.startswith("*")]
            if lacking:
                missing.append(f"{cls}.{name}: parameters missing: {', '.join(lacking)}")
            order = entry["positional"]
            if mine[name]["positional"][: len(order)] != order and not lacking:
                missing.append(
                    f"{cls}.{name}: positional order differs:"
                    f" published ({', '.join(order)}), ours ({', '.join(mine[name]['positional'])})"
                )
            extra = [p for p in mine[name]["params"] if p not in entry["params"]]
            if extra:
                added.append(f"{cls}.{name}: parameters only ours: {', '.join(extra)}")
        added += [f"{cls}.{name}: method only ours" for name in mine if name not in theirs]
    for cls in FIELD_CLASSES:
        theirs, mine = set(published["fields"][cls]), set(ours["fields"].get(cls, []))
        missing += [f"{cls}.{name}: field missing" for name in sorted(theirs - mine)]
        added += [f"{cls}.{name}: field only ours" for name in sorted(mine - theirs)]
    return missing, added


def _allowed_reason(line: str, allowed: dict[str, str]) -> str | None:
    subject = line.split(":", 1)[0]
    return allowed.get(subject)


def compare(published: dict[str, Any], ours: dict[str, Any], allowed: dict[str, str]) -> int:
    missing, added = differences(published, ours)
    explained = [(line, _allowed_reason(line, allowed)) for line in missing]
    unexplained = [line for line, reason in explained if reason is None]
    print(f"Published surface vs ours: {len(missing)} missing, {len(added)} additions")
    if any(reason for _, reason in explained):
        print("\nAllowed (out of scope, see allowed-differences.json):")
        for line, reason in explained:
            if reason is not None:
                print(f"  ok    {line}\n        because: {reason}")
    if added:
        print("\nOnly in ours (additions, not drift):")
        for line in added:
            print(f"  info  {line}")
    if unexplained:
        print(f"\nUNEXPLAINED DIFFERENCES ({len(unexplained)}), in the published SDK, not ours:")
        for line in unexplained:
            print(f"  FAIL  {line}")
        return 1
    print("\nNo unexplained differences.")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dumping = sub.add_parser("dump")
    dumping.add_argument("which", choices=["published", "ours"])
    comparing = sub.add_parser("compare")
    comparing.add_argument("published", type=Path)
    comparing.add_argument("ours", type=Path)
    comparing.add_argument(
        "--allowed", type=Path, default=Path(__file__).with_name("allowed-differences.json")
    )
    args = parser.parse_args(argv)
    if args.command == "dump":
        json.dump(dump(args.which), sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    allowed_doc = json.loads(args.allowed.read_text())
    allowed = {name: entry["reason"] for name, entry in allowed_doc["allowed"].items()}
    return compare(
        json.loads(args.published.read_text()), json.loads(args.ours.read_text()), allowed
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
