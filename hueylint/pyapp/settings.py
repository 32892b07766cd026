"""Django settings: ``INSTALLED_APPS``/``*_APPS``, ``HUEY``/``DJANGO_HUEY`` dicts and updates,
``DJANGO_SETTINGS_MODULE`` set in Python."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterator

from hueylint.appmodel import (
    UNKNOWN,
    AppsAssignment,
    AppsPart,
    DjangoHueySetting,
    HueyConfig,
    HueyInstance,
    SplatFact,
    StorageLocation,
)
from hueylint.hueyfacts import DJHUEY_SPECIAL_KEYS
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.pyapp.branches import where
from hueylint.pyapp.instances import args_dict, huey_args, unread_splats
from hueylint.pyapp.values import Entry, at, call_args, is_environ, is_string
from hueylint.regexes import lazy_pattern

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

# -- INSTALLED_APPS ----------------------------------------------------------------

_APPS_NAME = lazy_pattern(r"^(INSTALLED_APPS|[A-Z][A-Z0-9_]*_APPS)$")


def apps_assigned(c: Collector, name: str, op: str, value: ast.AST, stmt: ast.AST,
                  anchor: ast.AST | None = None) -> None:
    """A module-level ``INSTALLED_APPS``/``*_APPS`` assignment or extension (class bodies are not settings);
    ``anchor`` places every part (``APPS.append(x)``: the argument)."""
    if c.scopes or not _APPS_NAME.match(name):
        return
    parts = tuple(_apps_parts(c, value, anchor))
    c.facts.installed_apps.append(AppsAssignment(name, op, parts, c.loc(stmt), c.branch_depth > 0))


def _apps_parts(c: Collector, node: ast.AST, anchor: ast.AST | None = None) -> Iterator[AppsPart]:
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            where = c.loc(anchor if anchor is not None else element)
            if isinstance(element, ast.Starred):
                if isinstance(element.value, ast.Name):
                    yield AppsPart("ref", element.value.id, where)
                else:
                    yield from _apps_parts(c, element.value)
                continue
            text = element.value if is_string(element) else None  # type: ignore[attr-defined]
            yield AppsPart("app", text, where) if text is not None else AppsPart("unknown", "", where)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _apps_parts(c, node.left)
        yield from _apps_parts(c, node.right)
    elif isinstance(node, ast.Name):
        yield AppsPart("ref", node.id, c.loc(node))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple") \
            and len(given := call_args(node)) == 1 and not given[0].star:
        yield from _apps_parts(c, given[0].value)
    else:
        yield AppsPart("unknown", "", c.loc(node))


def settings_module_call(c: Collector, node: ast.Call) -> bool:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")``: where run_huey finds HUEY."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "setdefault" and is_environ(c, func.value)):
        return False
    given = call_args(node)
    if len(given) < 2:
        return False
    key = c.eval.value(given[0].value)
    if key.value != "DJANGO_SETTINGS_MODULE":
        return False
    c.facts.django_settings_modules.append(at(c.eval.value(given[1].value), c.loc(given[1].value)))
    return True


def subscript_assigned(c: Collector, target: ast.Subscript, value: ast.AST, stmt: ast.AST) -> None:
    """``os.environ['DJANGO_SETTINGS_MODULE'] = ...`` and ``HUEY['key'] = ...`` updates."""
    key = _subscript_key(c, target)
    if key is None:
        return
    if is_environ(c, target.value) and key == "DJANGO_SETTINGS_MODULE":
        c.facts.django_settings_modules.append(at(c.eval.value(value), c.loc(value)))
        return
    if c.in_function:
        return
    if isinstance(target.value, ast.Name) and target.value.id == "HUEY":
        entries = {key: Entry(key, value, c.loc(stmt), frozenset())}
        _update_setting(c, entries, stmt)
    elif isinstance(target.value, ast.Subscript) and isinstance(target.value.value, ast.Name) \
            and target.value.value.id == "HUEY" and _subscript_key(c, target.value) == "consumer":
        loc = c.loc(stmt)
        config = HueyConfig(complete=False, consumer={key: at(c.eval.value(value), loc)},
                            consumer_loc=loc, consumer_complete=False, loc=loc)
        c.facts.django_settings.append(DjangoHueySetting("HUEY", "update", loc, config=config, **where(c)))


def _subscript_key(c: Collector, target: ast.Subscript) -> str | None:
    if isinstance(target.slice, (ast.Slice, ast.Tuple)):
        return None
    got = c.eval.value(target.slice)
    return got.value if got.known and isinstance(got.value, str) else None


def huey_update_call(c: Collector, node: ast.Call) -> bool:
    """``HUEY.update({...})`` at module level, typically after ``from .base import *``."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name)
            and func.value.id == "HUEY" and "HUEY" not in c.instances) or c.in_function:
        return False
    entries, _ = c.eval.dict_entries_of_call_args(node)
    _update_setting(c, entries, node)
    return True


def huey_union_assigned(c: Collector, node: ast.AugAssign) -> bool:
    """``HUEY |= {...}`` at module level (PEP 584's in-place union: the right side's keys replace the left's,
    as ``HUEY.update({...})`` does)."""
    if not (isinstance(node.op, ast.BitOr) and isinstance(node.target, ast.Name) and node.target.id == "HUEY"
            and "HUEY" not in c.instances) or c.in_function:
        return False
    got = c.eval.dict_entries(node.value, frozenset())
    entries = got[0] if got is not None else {}
    _update_setting(c, entries, node)
    return True


def _update_setting(c: Collector, entries: dict[str, Entry], node: ast.AST) -> None:
    """A partial HUEY (``complete=False``): absent keys may be set in the settings it star-imports."""
    config = _config(c, entries, False, c.loc(node))
    c.facts.django_settings.append(DjangoHueySetting("HUEY", "update", c.loc(node), config=config, **where(c)))


# -- Django settings -------------------------------------------------------------


def huey_setting(c: Collector, name: str, value: ast.AST, stmt: ast.AST,
             inst: HueyInstance | None) -> None:
    """A module-level ``HUEY = ...`` / ``DJANGO_HUEY = ...``."""
    loc = c.loc(stmt)
    merged = _merged_into(name, value) if inst is None and not c.in_function else None
    if merged is not None:  # `HUEY = HUEY | {...}`, `{**HUEY, ...}`, `dict(HUEY, ...)`: an update of HUEY
        got = c.eval.dict_entries(merged, frozenset())
        _update_setting(c, got[0] if got is not None else {}, stmt)
        return
    got = c.eval.dict_entries(value, frozenset()) if inst is None else None
    branch = where(c)
    if inst is not None:
        setting = DjangoHueySetting(name, "instance", loc, instance=inst)
    elif got is None and isinstance(value, (ast.Name, ast.Attribute)) and c.qualname(value):
        setting = DjangoHueySetting(name, "ref", loc, ref=c.qualname(value) or "")  # `HUEY = queue.HUEY`
    elif got is None:
        setting = DjangoHueySetting(name, "unknown", loc)
    elif name == "HUEY":
        setting = DjangoHueySetting(name, "dict", loc, config=_config(c, got[0], got[1], c.loc(value), value))
    else:
        setting = _django_huey(c, got[0], got[1], loc)
    c.facts.django_settings.append(replace(setting, **branch))


def _merged_into(name: str, value: ast.AST) -> ast.expr | None:
    """The new entries when ``value`` is ``name`` itself merged with more (what ``HUEY.update(...)`` would
    add, and what :func:`huey_union_assigned` reads for ``HUEY |= {...}``): ``HUEY | {...}`` (PEP 584: the
    right side's keys win), ``{**HUEY, "key": ...}`` (the keys written after the splat) and
    ``dict(HUEY, key=...)`` (the keyword arguments), each as a dict expression; None for any other value."""
    def is_self(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == "HUEY" == name

    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr) and is_self(value.left):
        return value.right
    if isinstance(value, ast.Dict) and value.keys and value.keys[0] is None and is_self(value.values[0]):
        if any(key is None for key in value.keys[1:]):
            return None  # `{**HUEY, **OTHER}`: not an update of known keys
        return ast.copy_location(ast.Dict(keys=value.keys[1:], values=value.values[1:]), value)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" \
            and len(value.args) == 1 and is_self(value.args[0]):
        return ast.copy_location(ast.Call(func=value.func, args=[], keywords=value.keywords), value)
    return None


def _django_huey(c: Collector, entries: dict[str, Entry], complete: bool, loc: Loc) -> DjangoHueySetting:
    """django-huey's ``DJANGO_HUEY = {'default': name, 'queues': {name: {...}}}``."""
    default = _entry_val(c, entries["default"]) if "default" in entries else None
    queues: dict[str, HueyConfig] = {}
    queues_complete = complete
    listed = c.eval.dict_entries(entries["queues"].node, entries["queues"].shadow) if "queues" in entries else None
    if listed is None:
        queues_complete = queues_complete and "queues" not in entries
    else:
        queues_complete = queues_complete and listed[1]
        for qname, qe in listed[0].items():
            sub = c.eval.dict_entries(qe.node, qe.shadow)
            if sub is None:
                queues_complete = False
            else:
                queues[qname] = _config(c, sub[0], sub[1], qe.loc, qe.node, qe.shadow)
    return DjangoHueySetting("DJANGO_HUEY", "dict", loc, default=default, queues=queues,
                             queues_complete=queues_complete)


def _entry_val(c: Collector, entry: Entry) -> Val[Any]:
    """The Val of a settings entry; a nested dict becomes ``{key: Val}`` (unknown if it may hide keys)."""
    sub = c.eval.dict_entries(entry.node, entry.shadow)
    if sub is not None:
        values = {k: _entry_val(c, e) for k, e in sub[0].items()}
        return Val(values, entry.loc, "" if sub[1] else "dict splat")
    return at(c.eval.value(entry.node, entry.shadow), entry.loc)


def _sub_dict(c: Collector, entries: dict[str, Entry], key: str
              ) -> tuple[dict[str, Entry] | None, bool]:
    """The entries of a nested dict (``'consumer'``, ``'connection'``) and whether they are all known."""
    if key not in entries:
        return None, True
    got = c.eval.dict_entries(entries[key].node, entries[key].shadow)
    return (None, False) if got is None else got


def _huey_class(c: Collector, entries: dict[str, Entry]) -> Val[str] | None:
    """``'huey_class': 'huey.RedisExpireHuey'`` -> ``RedisExpireHuey``."""
    if "huey_class" not in entries:
        return None
    e = entries["huey_class"]
    got = c.eval.value(e.node, e.shadow)
    if got.known and isinstance(got.value, str):
        return Val(got.value.rsplit(".", 1)[-1], e.loc)
    return Val(None, e.loc, got.unknown or "not a string")


def dict_config(c: Collector, node: ast.AST) -> HueyConfig | None:
    """The module-level dict ``node`` (a name bound to one) read as a Django ``HUEY`` dict (:func:`_config`), for
    a settings module's ``HUEY = {**BASE_HUEY, ...}`` (:attr:`ModuleFacts.configs`); None when it is no dict
    hueylint reads or has no key djhuey takes out (read alike as a constructor's arguments then)."""
    got = c.eval.dict_entries(node, frozenset())
    if got is None or not any(key in got[0] for key in DJHUEY_SPECIAL_KEYS):
        return None
    return _config(c, got[0], got[1], c.loc(node), node)


def _config(c: Collector, entries: dict[str, Entry], complete: bool, loc: Loc, node: ast.AST | None = None,
            shadow: frozenset[str] = frozenset()) -> HueyConfig:
    """Build a :class:`HueyConfig` the way djhuey reads a ``HUEY`` dict (huey 3.5.4
    ``huey/contrib/djhuey/__init__.py``: ``name``, ``huey_class``, ``connection`` and ``consumer`` popped from a
    copy, ``immediate`` set to ``settings.DEBUG`` when absent, ``huey_config.update(conn_kwargs)``: the
    ``connection`` keys over the top, then ``backend_cls(name, **huey_config)``).  ``node``, the dict as written:
    its ``**`` parts not read here (:func:`hueylint.pyapp.instances.unread_splats`) are recorded for the linker
    (:attr:`HueyArgs.splats`), role ``"huey"`` at the top level and ``"connection"`` in (or for) the
    ``connection`` dict (``'connection': {**REDIS}``, ``'connection': REDIS``)."""
    huey_entries = {k: (e.node, e.loc, e.shadow) for k, e in entries.items()
                    if k not in DJHUEY_SPECIAL_KEYS}
    conn_entries, _ = _sub_dict(c, entries, "connection")
    huey_entries.update({k: (e.node, e.loc, e.shadow) for k, e in (conn_entries or {}).items()})
    splats, rest = _config_splats(c, entries, complete, node, shadow)
    fields = args_dict(huey_args(c, huey_entries, complete, tuple(splats), rest))
    if "connection" in entries and conn_entries is None and not any(s.role == "connection" for s in splats):
        unknown = StorageLocation("connection", UNKNOWN, Val(None, entries["connection"].loc, "expression"))
        fields["storage"] = (*fields["storage"], unknown)
    consumer_entries, consumer_complete = _sub_dict(c, entries, "consumer")
    all_entries = {k: _entry_val(c, e) for k, e in entries.items()}
    fields["kwargs"] = all_entries
    return HueyConfig(
        **fields, entries=all_entries, huey_class=_huey_class(c, entries),
        connection=None if conn_entries is None else {k: _entry_val(c, e) for k, e in conn_entries.items()},
        consumer=None if consumer_entries is None else {k: _entry_val(c, e) for k, e in consumer_entries.items()},
        consumer_loc=entries["consumer"].loc if "consumer" in entries else None,
        consumer_complete=consumer_complete, loc=loc,
    )



def _config_splats(c: Collector, entries: dict[str, Entry], complete: bool, node: ast.AST | None,
                   shadow: frozenset[str]) -> tuple[list[SplatFact], bool]:
    """The ``**`` parts of a ``HUEY`` dict not read here, by role (:attr:`SplatFact.role`), and whether all else
    of its top level is read: ``HUEY = {**BASE_HUEY, 'name': 'x'}``, ``dict(**HUEY_DEFAULTS)`` (``"huey"``), and
    in its ``connection`` (``"connection"``): ``{**REDIS, 'db': 1}``, or the whole value, ``'connection': REDIS``,
    whose keys djhuey passes over the top level's (``overrides``)."""
    splats: list[SplatFact] = []
    rest = complete
    if node is not None and not complete:
        top, rest = unread_splats(c, node, shadow, (entries, complete))
        splats += [replace(splat, role="huey") for splat in top]
    if "connection" in entries:
        conn = entries["connection"]
        got = c.eval.dict_entries(conn.node, conn.shadow)
        inner, _ = unread_splats(c, conn.node, conn.shadow, got)
        splats += [replace(splat, role="connection", overrides=splat.overrides or got is None) for splat in inner]
    return splats, rest
