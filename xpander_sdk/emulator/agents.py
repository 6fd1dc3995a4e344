"""Agent scripts: the rules that decide what runs each task, tried in order.

One document shape, from a file (``xpander-emulator --agents FILE``, YAML or JSON), over
HTTP (``PUT /_emulator/agents``) and from Python (``EmulatorServer(agents=...)``,
``.set_agents(...)``, the pytest marker)::

    agents:
      - name: refunds                                    # optional, shown with the rule
        match: {agent_id: "billing-*", prompt: "refund"}  # both optional
        times: 1                                         # optional: serves this many runs
        steps:                                           # see ``steps`` for every kind
          - chunk: "Looking up the invoice"
          - tool_call: {name: lookup_invoice, arguments: {invoice: "2291"}, result: {amount: 12.5}}
          - result: "Refunded 12.50"
      - match: {agent_id: "sales-*"}
        agent: "my_agents:sales"                         # a Python agent instead of steps
    recorded_from: {...}                                 # optional: what a recording came from

``agent_id`` is a glob (``fnmatch``, case-sensitive); ``prompt`` is a substring of the
task's input text, or ``"re:"`` and a regular expression searched in it. The first rule
that matches (and has runs left) runs the task; a task no rule matches runs the default
agent (``--agent``, else the demo agent), and the request journal's entry of its create
says which rule came closest and why it did not match.

A Python agent (``agent:``, a callable or ``"module:function"``) follows the contract of
``runner``; it can be given from Python or a file, not over HTTP (a request must not name
code to import). A document is checked whole before it replaces the rules in force: a bad
one raises ``AgentsError`` (a 422 over HTTP) naming the rule, the step and what is wrong,
and the old rules stay.
"""

from __future__ import annotations

import collections
import fnmatch
import os
import re
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import FieldError
from .executor import PythonAgent, run_task
from .runner import AgentFunction, load_agent
from .steps import Step, StepError, parse_steps, step_document

if TYPE_CHECKING:
    from .service import TaskService

REGEX_PREFIX = "re:"
CHOSEN_KEPT = 10_000
"""Tasks whose chosen rule is remembered (for the web page), the latest ones."""
_RULE_FIELDS = ("name", "match", "times", "steps", "agent", "served")
_MATCH_FIELDS = ("agent_id", "prompt")


class AgentsError(ValueError):
    """A document of agent rules that cannot be used: ``detail`` in words (the first
    problem, naming the rule and step), ``errors`` every problem as a ``FieldError``
    (``field`` a path such as ``agents[1].steps[3].wait``)."""

    def __init__(self, detail: str, errors: list[FieldError]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


@dataclass
class Rule:
    """One rule of a document (see the module docstring); ``served`` counts its runs."""

    index: int
    name: str | None = None
    agent_id: str | None = None
    prompt: str | None = None
    regex: re.Pattern[str] | None = None
    times: int | None = None
    steps: list[Step] | None = None
    agent: PythonAgent | None = None
    served: int = 0

    @property
    def label(self) -> str:
        """``agents[1] ('refunds')``: how messages name it."""
        return f"agents[{self.index}]" + (f" ({self.name!r})" if self.name else "")

    @property
    def kind(self) -> str:
        return "script" if self.steps is not None else "python"

    def misses(self, agent_id: str, prompt: str) -> list[str]:
        """Why it does not serve a task of ``agent_id`` with ``prompt`` (empty: it does)."""
        why = []
        if self.agent_id is not None and not fnmatch.fnmatchcase(agent_id, self.agent_id):
            why.append(f"agent_id {agent_id!r} does not match {self.agent_id!r}")
        if self.regex is not None:
            if self.regex.search(prompt) is None:
                why.append(f"prompt does not match {self.prompt!r}")
        elif self.prompt is not None and self.prompt not in prompt:
            why.append(f"prompt does not contain {self.prompt!r}")
        if self.times is not None and self.served >= self.times:
            why.append(f"served its {self.times} run{'s' if self.times != 1 else ''} (times)")
        return why

    def document(self) -> dict[str, Any]:
        """The rule as the document gives it, with ``served`` (runs so far) added."""
        doc: dict[str, Any] = {}
        if self.name is not None:
            doc["name"] = self.name
        match = {
            k: v for k, v in (("agent_id", self.agent_id), ("prompt", self.prompt)) if v is not None
        }
        if match:
            doc["match"] = match
        if self.times is not None:
            doc["times"] = self.times
        if self.steps is not None:
            doc["steps"] = [step_document(step) for step in self.steps]
        elif self.agent is not None:
            doc["agent"] = self.agent.name
        doc["served"] = self.served
        return doc


@dataclass(frozen=True)
class Choice:
    """What runs one task: a rule, or the default agent (``rule`` None, ``note`` saying
    which rule came closest and why it did not match, when there are rules)."""

    rule: Rule | None
    note: str | None = None

    def describe(self) -> dict[str, Any]:
        """``{"agent": "script"|"python"|"default", "rule": index|None, "name", "note"}``
        (``name`` and ``note`` only when there is one)."""
        rule = self.rule
        doc: dict[str, Any] = {
            "agent": "default" if rule is None else rule.kind,
            "rule": None if rule is None else rule.index,
        }
        if rule is not None and rule.name is not None:
            doc["name"] = rule.name
        if self.note is not None:
            doc["note"] = self.note
        return doc


class AgentRules:
    """A parsed document: its rules, in order, and what it says it was recorded from."""

    def __init__(self, rules: list[Rule], recorded_from: dict[str, Any] | None = None) -> None:
        self.rules = rules
        self.recorded_from = recorded_from

    def choose(self, agent_id: str, prompt: str) -> Choice:
        """The first rule serving a task of ``agent_id`` with ``prompt`` (counted as a run
        of it), or the default agent with a note on the closest rule."""
        closest: tuple[int, Rule, list[str]] | None = None
        for rule in self.rules:
            why = rule.misses(agent_id, prompt)
            if not why:
                rule.served += 1
                return Choice(rule)
            if closest is None or len(why) < closest[0]:
                closest = (len(why), rule, why)
        if closest is None:
            return Choice(None)
        _, rule, why = closest
        return Choice(None, f"no rule matched; closest was {rule.label}: {'; '.join(why)}")

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"agents": [rule.document() for rule in self.rules]}
        if self.recorded_from is not None:
            doc["recorded_from"] = self.recorded_from
        return doc


# -- reading a document ---------------------------------------------------------------


class _Problems:
    """What is wrong with a document, as fields (for the 422) and sentences (its detail)."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.texts: list[str] = []

    def __call__(self, field: str, text: str, reason: str) -> None:
        self.errors.append(FieldError(field, reason))
        self.texts.append(f"{text}: {reason}")

    def __len__(self) -> int:
        return len(self.errors)


def parse_agents(doc: object, *, python: bool = True) -> AgentRules:
    """The rules of ``doc`` (the document, or, from Python, just its list of rules), every
    one checked; ``AgentsError`` naming each problem. ``python=False`` (over HTTP) refuses
    Python agents."""
    if isinstance(doc, list):
        doc = {"agents": doc}
    if not isinstance(doc, Mapping):
        raise AgentsError(
            "The agents document must be a mapping with an 'agents' list",
            [FieldError("body", "must be a mapping with an 'agents' list")],
        )
    problem = _Problems()
    for key in doc:
        if key not in ("agents", "recorded_from"):
            problem(str(key), str(key), "unknown field: agents, recorded_from")
    raw_rules = doc.get("agents")
    if not isinstance(raw_rules, list):
        problem("agents", "agents", "must be a list of rules")
        raw_rules = []
    recorded_from = doc.get("recorded_from")
    if recorded_from is not None and not isinstance(recorded_from, Mapping):
        problem("recorded_from", "recorded_from", "must be a mapping")
        recorded_from = None
    rules = [_rule(index, raw, python, problem) for index, raw in enumerate(raw_rules)]
    if problem.errors:
        more = f" (and {len(problem) - 1} more)" if len(problem) > 1 else ""
        raise AgentsError(f"Not a valid agents document: {problem.texts[0]}{more}", problem.errors)
    return AgentRules(
        [rule for rule in rules if rule is not None],
        dict(recorded_from) if recorded_from is not None else None,
    )


def _rule(index: int, raw: object, python: bool, problem: _Problems) -> Rule | None:
    at = f"agents[{index}]"
    if not isinstance(raw, Mapping):
        problem(at, at, "must be a mapping with steps (or agent), and match, times, name")
        return None
    name = raw.get("name")
    rule = Rule(index, name=name if isinstance(name, str) and name else None)
    text = rule.label
    before = len(problem)
    for key in raw:
        if key not in _RULE_FIELDS:
            problem(f"{at}.{key}", text, f"unknown field {key!r}: one of {', '.join(_RULE_FIELDS)}")
    if name is not None and not (isinstance(name, str) and name):
        problem(f"{at}.name", text, "name must be a non-empty string")
    _match(raw.get("match"), rule, at, text, problem)
    times = raw.get("times")
    if times is not None:
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            problem(f"{at}.times", text, "times must be a whole number of runs, 1 or more")
        else:
            rule.times = times
    served = raw.get("served")
    if served is not None and (isinstance(served, bool) or not isinstance(served, int)):
        problem(f"{at}.served", text, "served (what GET reports; ignored here) must be a number")
    has_steps, has_agent = "steps" in raw, "agent" in raw
    if has_steps == has_agent:
        problem(at, text, "give steps (a script) or agent (a Python agent), one of the two")
    elif has_steps:
        try:
            rule.steps = parse_steps(raw["steps"])
        except StepError as exc:
            step, _, rest = exc.where.partition(".")
            field = f"{at}.steps{step}" + (f".{rest}" if rest else "")
            where = f"{text} steps{step}" + (f" {rest}" if rest else "")
            problem(field, where, exc.reason)
    elif not python:
        problem(
            f"{at}.agent",
            text,
            "Python agents are set from Python or a file (--agents), not over HTTP",
        )
    else:
        try:
            rule.agent = _python_agent(raw["agent"])
        except (ImportError, ValueError) as exc:
            problem(f"{at}.agent", text, str(exc))
    return rule if len(problem) == before else None


def _match(raw: object, rule: Rule, at: str, text: str, problem: _Problems) -> None:
    if raw is None:
        return
    if not isinstance(raw, Mapping):
        problem(f"{at}.match", text, "match must be a mapping of agent_id and prompt")
        return
    for key in raw:
        if key not in _MATCH_FIELDS:
            problem(f"{at}.match.{key}", text, f"unknown match field {key!r}: agent_id, prompt")
    agent_id, prompt = raw.get("agent_id"), raw.get("prompt")
    if agent_id is not None:
        if not isinstance(agent_id, str) or not agent_id:
            problem(f"{at}.match.agent_id", text, "match.agent_id must be a non-empty glob")
        else:
            rule.agent_id = agent_id
    if prompt is not None:
        if not isinstance(prompt, str) or not prompt:
            problem(f"{at}.match.prompt", text, "match.prompt must be a non-empty string")
            return
        rule.prompt = prompt
        if prompt.startswith(REGEX_PREFIX):
            try:
                rule.regex = re.compile(prompt[len(REGEX_PREFIX) :])
            except re.error as exc:
                problem(f"{at}.match.prompt", text, f"not a regular expression: {exc}")


def _python_agent(value: object) -> PythonAgent:
    if isinstance(value, str):
        return PythonAgent.of(load_agent(value), value)
    if callable(value):
        return PythonAgent.of(value)
    raise ValueError("agent must be a callable or 'module:function'")


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: an alias can make a small document expand to a
    huge one, and a document of rules has no need of them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases are not supported",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        return super().compose_node(parent, index)


def read_document(text: str | bytes, source: str) -> Any:
    """A document's data from YAML or JSON text (JSON is YAML); ``AgentsError`` when it
    cannot be read."""
    try:
        return yaml.load(text, Loader=_NoAliases)  # a SafeLoader
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise AgentsError(
            f"{source} is not YAML or JSON: {reason}", [FieldError("body", reason)]
        ) from None


def load_agents(value: object) -> AgentRules | None:
    """The rules ``agents=`` gives (``EmulatorConfig.agents``): ``None``, a document, its
    list of rules, or the path of a YAML or JSON file. ``AgentsError`` when they are bad."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = Path(value)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AgentsError(
                f"cannot read the agents file {str(path)!r}: {exc.strerror or exc}",
                [FieldError("agents", f"cannot read {str(path)!r}")],
            ) from None
        try:
            return parse_agents(read_document(text, str(path)))
        except AgentsError as exc:
            raise AgentsError(f"{path}: {exc.detail}", exc.errors) from None
    return parse_agents(value)


# -- choosing and running ---------------------------------------------------------------


class AgentRouter:
    """The run factory of an emulator: picks each task's agent by the rules in force and
    runs it (see ``executor``).

    ``choose`` runs when a task is created (so the create's journal entry can say what was
    picked); the run starts once the answer is out and uses that choice.
    """

    def __init__(
        self, default: AgentFunction, step_delay: float, rules: AgentRules | None = None
    ) -> None:
        self.default = PythonAgent.of(default)
        self.step_delay = step_delay
        self.rules = rules or AgentRules([])
        self._chosen: collections.OrderedDict[str, Choice] = collections.OrderedDict()

    def replace(self, rules: AgentRules | None) -> None:
        """Put ``rules`` in force (none: every task runs the default agent)."""
        self.rules = rules or AgentRules([])

    def forget(self) -> None:
        """Forget which rule ran which task, and the rules' counts of runs (a reset)."""
        self._chosen.clear()
        for rule in self.rules.rules:
            rule.served = 0

    def choose(self, task: Mapping[str, Any]) -> Choice:
        """Pick the agent of a new run of ``task`` (remembered for ``ran`` and the run)."""
        text = (task.get("input") or {}).get("text")
        choice = self.rules.choose(task["agent_id"], text if isinstance(text, str) else "")
        self._chosen[task["id"]] = choice
        self._chosen.move_to_end(task["id"])
        if len(self._chosen) > CHOSEN_KEPT:
            self._chosen.popitem(last=False)
        return choice

    def ran(self, task_id: str) -> Choice | None:
        """What was picked for the task's latest run, if remembered."""
        return self._chosen.get(task_id)

    def __call__(self, service: TaskService, task_id: str) -> Coroutine[Any, Any, None]:
        choice = self._chosen.get(task_id)
        rule = choice.rule if choice is not None else None
        if rule is not None and rule.steps is not None:
            return run_task(service, task_id, self.step_delay, steps=rule.steps)
        agent = rule.agent if rule is not None and rule.agent is not None else self.default
        return run_task(service, task_id, self.step_delay, agent=agent)
