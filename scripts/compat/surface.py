"""The public surface of an SDK's Tasks classes, by introspection, and the drift between two.

    python surface.py dump published   # in the published SDK's venv: its surface as JSON
    python surface.py dump ours        # in this project's venv: ours
    python surface.py compare PUBLISHED.json OURS.json [--allowed allowed-differences.json]

A surface is, for each class ``make compat`` compares (`PUBLISHED`: ``Tasks``, ``Task``,
``TasksListItem``, ``TaskUpdateEvent`` and the models users get from them):

- ``methods``: every public attribute a user can reach on the class that is not one of its
  fields, inherited ones included (pydantic's ``model_dump``, ``model_validate``, ...):
  a method with its parameters, or a value (a property, a class attribute);
- ``fields``: its data fields (pydantic's ``model_fields``; attrs, dataclass, annotations,
  slots and properties otherwise), and for a pydantic model ``field_details``: each
  field's order, whether it is required, and its default (made, as JSON).

A published sync method that only forwards ``*args, **kwargs`` (``Tasks.create``) is
described by its async twin's parameters.

``compare`` prints every difference. What the published SDK has and ours lacks (a member,
a parameter, a field, a field's place, default or requiredness, a method that is a value
here, or a positional order that would bind arguments differently) fails, unless the
allowed-differences file names it (``Class.name``, or ``Class`` for the order of its
fields; ``*.name`` for every class) with a reason; what only ours has is printed as
information (additions are ours to make). Standard library only: it runs in both venvs.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import inspect
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

_TASK = "xpander_sdk.modules.tasks.models.task"
# class name -> (module, attribute) in the published SDK
PUBLISHED = {
    "Tasks": ("xpander_sdk.modules.tasks.tasks_module", "Tasks"),
    "Task": ("xpander_sdk.modules.tasks.sub_modules.task", "Task"),
    "TasksListItem": ("xpander_sdk.modules.tasks.models.tasks_list", "TasksListItem"),
    "TaskUpdateEvent": ("xpander_sdk.modules.tasks.sub_modules.task", "TaskUpdateEvent"),
    "AgentExecutionInput": (_TASK, "AgentExecutionInput"),
    "AttachmentRef": (_TASK, "AttachmentRef"),
    "HumanInTheLoopRequest": (_TASK, "HumanInTheLoopRequest"),
    "PendingECARequest": (_TASK, "PendingECARequest"),
    "ExecutionMetricsReport": (_TASK, "ExecutionMetricsReport"),
    "User": ("xpander_sdk.models.user", "User"),
    "Principal": ("xpander_sdk.models.principal", "Principal"),
    "Tokens": ("xpander_sdk.models.shared", "Tokens"),
    "ExecutionTokens": ("xpander_sdk.models.shared", "ExecutionTokens"),
    "DeepPlanning": ("xpander_sdk.models.deep_planning", "DeepPlanning"),
    "DeepPlanningItem": ("xpander_sdk.models.deep_planning", "DeepPlanningItem"),
    "PlanFollowingStatus": ("xpander_sdk.models.deep_planning", "PlanFollowingStatus"),
    "MessageIdentity": ("xpander_sdk.modules.tasks.sub_modules.task", "MessageIdentity"),
    "Configuration": ("xpander_sdk.models.configuration", "Configuration"),
}
OURS = {
    name: ("xpander_sdk.models" if name.endswith("Request") else "xpander_sdk", name)
    for name in PUBLISHED
}
METHOD_CLASSES = tuple(PUBLISHED)
FIELD_CLASSES = tuple(name for name in PUBLISHED if name != "Tasks")


def _load(where: tuple[str, str]) -> type:
    cls = getattr(importlib.import_module(where[0]), where[1])
    assert isinstance(cls, type), where
    return cls


def _owner(cls: type, name: str) -> type | None:
    return next((base for base in cls.__mro__ if name in vars(base)), None)


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
    """Every public attribute of ``cls`` (its own and inherited) that is not a field: a
    method with its parameters, or ``{"value": True}`` for a property or class attribute."""
    skip = set(fields(cls))
    found: dict[str, dict[str, Any]] = {}
    for name in sorted(dir(cls)):
        if name.startswith("_") or name in skip:
            continue
        owner = _owner(cls, name)
        raw = vars(owner)[name] if owner is not None else None
        try:
            value = getattr(cls, name)
        except AttributeError:
            continue
        if isinstance(raw, property) or not callable(value) or isinstance(value, type):
            found[name] = {"value": True}
            continue
        params, positional = _params(value)
        entry: dict[str, Any] = {"params": params, "positional": positional}
        if _placeholder(value):
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
    if isinstance(model_fields, dict):  # pydantic's, or this SDK's published shapes
        return [n for n in model_fields if not n.startswith("_")]
    names = {f.name for f in getattr(cls, "__attrs_attrs__", ())}
    names |= set(getattr(cls, "__dataclass_fields__", {}) or {})
    for base in cls.__mro__:
        if base.__module__.split(".")[0] not in ("xpander_sdk", "xpander_api_client"):
            continue
        names |= set(vars(base).get("__annotations__", {}))
        slots = vars(base).get("__slots__", ())
        names |= {slots} if isinstance(slots, str) else set(slots)
        names |= {n for n, v in vars(base).items() if isinstance(v, property)}
    return sorted(n for n in names if not n.startswith("_"))


def _json(value: Any) -> Any:
    if hasattr(value, "model_dump") and not isinstance(value, type):
        return value.model_dump(mode="json")
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return repr(value)


def field_details(cls: type) -> dict[str, Any] | None:
    """A pydantic model's fields in order: required or not, and the default (made, as JSON)."""
    model_fields = getattr(cls, "model_fields", None)
    if not isinstance(model_fields, dict):
        return None
    return {
        name: {
            "required": info.is_required(),
            "default": None
            if info.is_required()
            else _json(info.get_default(call_default_factory=True)),
        }
        for name, info in model_fields.items()
    }


def dump(which: str) -> dict[str, Any]:
    table = PUBLISHED if which == "published" else OURS
    classes = {name: _load(where) for name, where in table.items()}
    return {
        "sdk": which,
        "methods": {name: methods(classes[name]) for name in METHOD_CLASSES},
        "fields": {name: fields(classes[name]) for name in FIELD_CLASSES},
        "field_details": {
            name: details for name in FIELD_CLASSES
            if (details := field_details(classes[name])) is not None
        },
    }  # fmt: skip


def _method_differences(
    cls: str, theirs: dict[str, Any], mine: dict[str, Any]
) -> tuple[list[str], list[str]]:
    missing: list[str] = []
    added: list[str] = []
    for name, entry in theirs.items():
        if entry.get("placeholder"):
            added.append(f"{cls}.{name}: published only as a stub raising NotImplementedError")
            continue
        if name not in mine:
            what = (
                "value missing"
                if entry.get("value")
                else f"method missing ({', '.join(entry['params'])})"
            )
            missing.append(f"{cls}.{name}: {what}")
            continue
        if entry.get("value") or mine[name].get("value"):
            if bool(entry.get("value")) != bool(mine[name].get("value")):
                kinds = ("a value", "a method") if entry.get("value") else ("a method", "a value")
                missing.append(f"{cls}.{name}: {kinds[0]} there, {kinds[1]} here")
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
    kind = {True: "value", False: "method"}
    added += [
        f"{cls}.{n}: {kind[bool(e.get('value'))]} only ours"
        for n, e in mine.items()
        if n not in theirs
    ]
    return missing, added


def differences(published: dict[str, Any], ours: dict[str, Any]) -> tuple[list[str], list[str]]:
    """``(missing, added)``: what ours lacks (``Class.name ...`` lines), and what only ours has."""
    missing: list[str] = []
    added: list[str] = []
    for cls, theirs in published["methods"].items():
        lacking, more = _method_differences(cls, theirs, ours["methods"].get(cls, {}))
        missing += lacking
        added += more
    for cls, names in published["fields"].items():
        theirs, mine = set(names), set(ours["fields"].get(cls, []))
        missing += [f"{cls}.{name}: field missing" for name in sorted(theirs - mine)]
        added += [f"{cls}.{name}: field only ours" for name in sorted(mine - theirs)]
    for cls, theirs in published.get("field_details", {}).items():
        mine = ours.get("field_details", {}).get(cls)
        if mine is None:
            missing.append(f"{cls}: no model_fields")
            continue
        shared, ordered = [n for n in theirs if n in mine], [n for n in mine if n in theirs]
        if shared != ordered:
            missing.append(f"{cls}: field order differs: published {shared}, ours {ordered}")
        for name in shared:
            for key in ("required", "default"):
                was, now = theirs[name][key], mine[name][key]
                if was != now:
                    missing.append(
                        f"{cls}.{name}: field {key} differs: published {was!r}, ours {now!r}"
                    )
    return missing, added


def _allowed_reason(line: str, allowed: dict[str, str]) -> str | None:
    """The reason given for ``Class.name`` (or for ``*.name``: every class)."""
    subject = line.split(":", 1)[0]
    _, _, name = subject.partition(".")
    return allowed.get(subject) or (allowed.get(f"*.{name}") if name else None)


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
