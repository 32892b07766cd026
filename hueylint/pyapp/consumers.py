"""Consumers started from Python code: ``create_consumer(...)``, ``Consumer(huey, ...)``, ``call_command("run_huey")``."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Callable

from hueylint.appmodel import (
    CallCommand,
    ConsumerScript,
    ModuleFacts,
    resolve_import,
)
from hueylint.hueyfacts import CONSUMER_CLASSES, DJANGO_COMMANDS, handles_signals
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.pyapp.values import at, call_args, has_star

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

def consumer_call(c: Collector, node: ast.Call) -> bool:
    """``huey.create_consumer(...)`` / ``Consumer(huey, ...)``: a consumer started from Python code; also a
    class that may subclass huey's ``Consumer`` (:func:`_subclass_candidate`), kept for the linker to follow."""
    func = node.func
    subclass = ""
    if isinstance(func, ast.Attribute) and func.attr == "create_consumer":
        call, instance = "create_consumer", c.code(func.value)
    else:
        if (c.qualname(func) or "") not in CONSUMER_CLASSES:
            subclass = _subclass_candidate(c, func)
            if not subclass:
                return False
        call = "Consumer"
        first = next((a for a in call_args(node) if a.keyword is None and not a.star), None)
        instance = c.code(first.value) if first else ""
    options, known = _consumer_options(c, node, 0)
    runs = False
    parent = c.parent(node)
    var = None
    if isinstance(parent, ast.Assign) and parent.value is node:
        names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
        var = names[0] if names else None
    elif isinstance(parent, ast.Attribute) and parent.attr == "run":
        runs = True
    c.consumer_vars.append((id(node), var, runs))
    c.facts.consumer_scripts.append(ConsumerScript(call, instance, options, known, runs, c.vendored, c.loc(node),
                                                   subclass))
    return True


def _subclass_candidate(c: Collector, func: ast.AST) -> str:
    """The class ``func`` names when it may be a subclass of huey's ``Consumer`` (``HueyxConsumer(HUEY)``): a
    class this module defines, or an imported class whose name ends in ``Consumer``; "" otherwise.  Only its
    bases tell (the linker follows them: :func:`consumer_subclass`)."""
    if isinstance(func, ast.Name) and func.id not in c.imports:
        return func.id if func.id in c.classes else ""
    written = c.qualname(func) or ""
    if written.rpartition(".")[2].endswith("Consumer") and not written.startswith("huey."):
        return written
    return ""


def consumer_subclass(script: ConsumerScript, facts: ModuleFacts,
                      module_facts: Callable[[str], ModuleFacts | None]) -> list[tuple[str, Loc]] | None:
    """Does the class ``script`` builds derive from huey's ``Consumer``?  None when it does not (or its bases
    cannot be followed: a class not in the repository), else the members of the repository's classes on the way
    that replace huey's signal handling (:func:`hueylint.hueyfacts.handles_signals`; empty for huey's own class).
    ``facts`` are the calling module's; ``module_facts`` reads a module of the repository by its dotted name.
    Bases are followed through this module's classes and the modules they are imported from, a few hops deep."""
    if not script.subclass:
        return []

    def derives(name: str, home: ModuleFacts, depth: int) -> list[tuple[str, Loc]] | None:
        if depth > 4:
            return None
        if "." in name:
            absolute = resolve_import(home.module, home.rel.endswith("__init__.py"), name)
            if absolute in CONSUMER_CLASSES:
                return []
            module, _, attr = absolute.rpartition(".")
            found = module_facts(module) if module else None
            if found is None:
                return None
            home, name = found, attr
        cls = home.classes.get(name)
        if cls is None:
            imported = home.imports.get(name)  # a class imported into the module, then named there
            return derives(imported, home, depth + 1) if imported and "." in imported else None
        for base in cls.bases:
            inherited = derives(base, home, depth + 1)
            if inherited is not None:
                return [*inherited, *[(member, loc) for member, loc in cls.members if handles_signals(member)]]
        return None

    return derives(script.subclass, facts, 0)


_CONFIG_CLASSES = ("huey.consumer_options.ConsumerConfig", "huey.ConsumerConfig")


def _consumer_options(c: Collector, node: ast.Call, depth: int) -> tuple[dict[str, Val[Any]], bool]:
    """Keyword options of a consumer call, ``**``-splats followed: ``**config.values`` / ``**config._asdict()``
    of a ``ConsumerConfig(...)``, ``**{...}`` / ``**dict(...)`` / a name bound to one.  A ConsumerConfig's
    options not written are its defaults, huey's own.  ``known`` is False when a splat cannot be read."""
    options: dict[str, Val[Any]] = {}
    known = depth <= 4
    for arg in call_args(node):
        if arg.keyword is not None:
            options[arg.keyword] = at(c.eval.value(arg.value), c.loc(arg.node))
        elif arg.star == "**" and known:
            got = _splat_options(c, arg.value, depth)
            if got is None:
                known = False
            else:
                options.update(got[0])
                known = known and got[1]
        elif arg.star:
            known = False
    return options, known


def _splat_options(c: Collector, node: ast.AST, depth: int) -> tuple[dict[str, Val[Any]], bool] | None:
    target = node
    if isinstance(node, ast.Attribute) and node.attr == "values":
        target = node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_asdict":
        target = node.func.value
    if target is not node:
        config = c.local_value(target) if isinstance(target, ast.Name) else target
        if isinstance(config, ast.Call) and (c.qualname(config.func) or "") in _CONFIG_CLASSES:
            return _consumer_options(c, config, depth + 1)
        return None
    value = c.local_value(node) if isinstance(node, ast.Name) else node
    entries = c.eval.dict_entries(value, frozenset()) if value is not None else None
    if entries is None:
        return None
    return {key: at(c.eval.value(e.node, e.shadow), e.loc) for key, e in entries[0].items()}, entries[1]


def call_command(c: Collector, node: ast.Call) -> bool:
    """``call_command("run_huey", ...)``: an app CLI that runs the consumer in-process; also Django's
    ``execute_from_command_line(["", "run_huey", "-w", "4"])`` with a literal command line (its first word
    is the program name, the second the management command, the rest its options)."""
    func = node.func
    last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if last == "execute_from_command_line":
        return _command_line(c, node)
    if last != "call_command":
        return False
    given = call_args(node)
    if not given or given[0].keyword is not None:
        return False
    command = c.eval.value(given[0].value)
    if not command.known or command.value not in DJANGO_COMMANDS:
        return False
    args = tuple(c.eval.value(a.value) for a in given[1:] if a.keyword is None and not a.star)
    kwargs = {a.keyword: at(c.eval.value(a.value), c.loc(a.node)) for a in given if a.keyword is not None}
    c.facts.call_commands.append(CallCommand(command.value, args, kwargs, not has_star(node), c.loc(node)))
    return True


def _command_line(c: Collector, node: ast.Call) -> bool:
    given = call_args(node)
    if len(given) != 1 or given[0].keyword is not None or not isinstance(given[0].value, (ast.List, ast.Tuple)):
        return False  # `execute_from_command_line(sys.argv)`: a manage.py, its command comes from the launch
    words = given[0].value.elts
    if len(words) < 2 or any(isinstance(w, ast.Starred) for w in words[:2]):
        return False
    command = c.eval.value(words[1])
    if not command.known or command.value not in DJANGO_COMMANDS:
        return False
    args = tuple(c.eval.value(w) for w in words[2:] if not isinstance(w, ast.Starred))
    complete = not any(isinstance(w, ast.Starred) for w in words)
    c.facts.call_commands.append(CallCommand(command.value, args, {}, complete, c.loc(node)))
    return True
