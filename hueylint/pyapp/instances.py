"""Huey instances: ``RedisHuey(...)`` calls, their arguments, storage locations and serializers, and
module-level subclasses of huey classes (``class MyHuey(RedisHuey): storage_class = X``)."""

from __future__ import annotations

import ast
import re
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hueylint.appmodel import (
    ENVIRONMENT,
    LITERAL,
    LOOPBACK,
    STAR_REF,
    UNKNOWN,
    ClassFact,
    HueyArgs,
    HueyInstance,
    SerializerFact,
    SplatFact,
    StorageLocation,
    env_reason,
    env_var,
)
from hueylint.hueyfacts import HUEY_POSITIONAL as _HUEY_POSITIONAL
from hueylint.hueyfacts import STORAGE_LOCATION_KEYS as _STORAGE_KEYS
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.pyapp.branches import branch_of, tested_false
from hueylint.pyapp.values import at, bind_args, call_args, has_star, reads_env_text

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

def class_fact(c: Collector, node: ast.ClassDef, huey_class: str | None) -> None:
    """Record a module-level class: its bases as imports and a ``storage_class = X`` attribute."""
    bases = tuple(c.qualname(base) or c.code(base) for base in node.bases if isinstance(base, (ast.Name, ast.Attribute)))
    storage = None
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "storage_class"
                                                for t in stmt.targets):
            value = stmt.value
            written = c.qualname(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
            storage = Val(written or c.code(value), c.loc(stmt))
    for base in bases if storage is None else ():  # inherited from a class of this module
        inherited = c.facts.classes.get(base)
        if inherited is not None and inherited.storage_class is not None:
            storage = inherited.storage_class
            break
    members: list[tuple[str, Loc]] = []
    for stmt in node.body:  # what the class body defines: its methods and attributes
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            members.append((stmt.name, c.source.name_loc(stmt)))
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            members.extend((t.id, c.loc(t)) for t in targets if isinstance(t, ast.Name))
    c.facts.classes[node.name] = ClassFact(node.name, huey_class, bases, storage, c.source.name_loc(node),
                                           tuple(members))


def instance_call(c: Collector, node: ast.Call) -> bool:
    """``RedisHuey(...)``: a huey instance (HL401-HL408 read its arguments)."""
    got = c.huey_class(node.func)
    if not got:
        return False
    class_name, written = got
    positional = [a for a in call_args(node) if a.keyword is None and not a.star]
    old_queue = _pre_1_0_queue(c, positional[0].value) if positional else None
    # huey before 1.0 took `Huey(queue, result_store, ...)`: a second positional argument is meant there
    second = c.loc(positional[1].value) if len(positional) >= 2 and old_queue is None else None
    entries, complete, splats, rest_complete = _call_entries(c, node)
    args = huey_args(c, entries, complete, splats, rest_complete)
    own = c.facts.classes.get(node.func.id) if isinstance(node.func, ast.Name) else None
    if own is not None and own.storage_class is not None and args.storage_class is None:
        args = HueyArgs(**{**args_dict(args), "storage_class": own.storage_class})  # class MyHuey(Huey): storage_class = X
    parent = c.parent(node)
    var = None
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        var = names[0] if names else None
    inst = HueyInstance(**args_dict(args), var=var, class_name=class_name, written_class=written,
                        second_positional=second, pre_1_0_queue=old_queue, loc=c.loc(node), in_function=c.in_function,
                        owner=".".join(c.names), conditional=c.branch_depth > 0, **branch_of(c))
    c.facts.instances.append(inst)
    c.call_instances[id(node)] = inst
    return True


Entries = dict[str, tuple[ast.AST, Loc, frozenset[str]]]


def _call_entries(c: Collector, node: ast.Call) -> tuple[Entries, bool, tuple[SplatFact, ...], bool]:
    """The arguments of a huey class call by parameter name, each with its position and the names local where
    it is written, whether they are all known, the ``**`` splats not read here (:func:`unread_splats`) and whether
    all else is known: a ``**conn`` splat of a dict hueylint reads (``conn = {'host': url.hostname, ...}``,
    ``dict(host=...)``) gives its keys, as Python passes them; a ``*args`` splat, or a ``**`` splat of anything
    else, may hide arguments."""
    shadow = c.local_names
    entries = {k: (v, c.loc(v), shadow) for k, v in bind_args(node, _HUEY_POSITIONAL).items()}
    complete = not any(isinstance(a, ast.Starred) for a in node.args)
    splats: list[SplatFact] = []
    rest_complete = complete
    for keyword in node.keywords:
        if keyword.arg is not None:
            continue
        optional = _optional_splat(keyword.value)
        if optional is not None:  # ``**({"immediate": X} if X else {})``: each key passed on one branch only
            got = c.eval.dict_entries(optional[0], shadow)
            if got is not None:
                splat, splat_complete = got
                complete = complete and splat_complete
                test = optional[1]
                for key, entry in splat.items():
                    branch = entry.node if isinstance(entry.node, ast.expr) else ast.Constant(None)
                    value = ast.copy_location(ast.IfExp(test, branch, ast.Constant(None)), entry.node)
                    entries.setdefault(key, (value, entry.loc, entry.shadow))
                continue
        got = c.eval.dict_entries(keyword.value, shadow)
        unread, rest = unread_splats(c, keyword.value, shadow, got)
        splats += unread
        rest_complete = rest_complete and rest
        if got is None:
            complete = False
            continue
        splat, splat_complete = got
        complete = complete and splat_complete
        for key, entry in splat.items():
            entries.setdefault(key, (entry.node, entry.loc, entry.shadow))  # a key given twice is a TypeError
    return entries, complete, tuple(splats), rest_complete


def unread_splats(c: Collector, node: ast.AST, shadow: frozenset[str],
                  got: tuple[dict[str, Any], bool] | None) -> tuple[list[SplatFact], bool]:
    """The ``**`` parts of the keyword splat ``node`` (``got``: its entries as :meth:`Evaluator.dict_entries`
    reads them) that are not read in this module, and whether everything else of it is: ``node`` itself when
    it is not read (``**settings.REDIS``, ``**REDIS`` of ``from settings import REDIS``, ``**make_config()``),
    else each ``**X`` not read inside the dict it is (``{**BASE, 'host': h}``, ``dict(**BASE, url=u)``, a module
    dict written so), in source order.  Each names the import it refers to, when it does (:class:`SplatFact`)."""
    if got is not None and got[1]:
        return [], True
    if got is None:
        return [_splat_fact(c, node, shadow, False)], True
    found: list[SplatFact] = []
    rest = _unread_parts(c, node, shadow, found, 0)
    return found, rest


def _splat_fact(c: Collector, node: ast.AST, shadow: frozenset[str], overrides: bool) -> SplatFact:
    ref = c.eval.import_ref(node, shadow)
    if ref is None and isinstance(node, ast.Name) and c.facts.star_imports and node.id not in shadow \
            and node.id not in c.constants and node.id not in c.imports:
        ref = STAR_REF + node.id  # bound only by `from .base import *`: read in the star-imported modules
    why = "" if ref is not None else "a call or a value known only at run time, not a dict written in the repository"
    if isinstance(node, ast.Name) and node.id in shadow:  # `def make(**kw): return RedisHuey('app', **kw)`
        why = "a name local to the function that makes the instance: its callers' arguments are not followed"
    return SplatFact(c.code(node), c.loc(node), ref, why, overrides)


def _unread_parts(c: Collector, node: ast.AST, shadow: frozenset[str], found: list[SplatFact], depth: int) -> bool:
    """Add to ``found`` the ``**`` parts not read of the dict ``node`` (a literal, a ``dict(...)`` call, a name
    of this module bound to one); True when all else of it is read (no computed key, no ``*`` argument)."""
    if depth > 8:
        return False
    if isinstance(node, ast.Name):
        resolved = c.eval.resolve_name(node, shadow)
        if resolved is None or resolved is node:
            return False
        return _unread_parts(c, resolved, frozenset(), found, depth + 1)
    parts: list[tuple[ast.AST | None, ast.AST]] = []  # (key or None for a splat, value)
    if isinstance(node, ast.Dict):
        parts = list(zip(node.keys, node.values))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for arg in call_args(node):
            if arg.star == "*":
                return False
            parts.append((None, arg.value) if arg.keyword is None else (arg.node, arg.value))
    else:
        got = c.eval.dict_entries(node, shadow)
        return got is not None and got[1]
    rest, keyed = True, False
    for key, value in parts:
        if key is not None:
            keyed = True
            if isinstance(node, ast.Dict) and not isinstance(c.eval.value(key, shadow).value, str):
                rest = False  # a key computed at run time
            continue
        if c.eval.dict_entries(value, shadow) is None:
            found.append(_splat_fact(c, value, shadow, keyed))
        else:
            rest = _unread_parts(c, value, shadow, found, depth + 1) and rest
    return rest


def _optional_splat(node: ast.AST) -> tuple[ast.AST, ast.expr] | None:
    """``D if TEST else {}`` (or ``{} if TEST else D``), the idiom of arguments passed only when a test holds:
    ``(D, the test as it holds for D)``; else None."""
    if not isinstance(node, ast.IfExp):
        return None
    def empty(branch: ast.AST) -> bool:
        return isinstance(branch, ast.Dict) and not branch.keys
    if empty(node.orelse) and not empty(node.body):
        return node.body, node.test
    if empty(node.body) and not empty(node.orelse):
        return node.orelse, ast.copy_location(ast.UnaryOp(ast.Not(), node.test), node.test)
    return None


def _pre_1_0_queue(c: Collector, node: ast.AST) -> Loc | None:
    """Where the queue object of huey before 1.0 is made, when ``node`` (the first positional argument of a
    huey class) is one: ``SqliteQueue(...)`` / ``RedisBlockingQueue(...)`` of ``huey.backends.*`` (0.4.9
    ``huey/api.py``: ``Huey(queue, result_store=None, schedule=None, events=None, ...)``; 1.0 replaced
    ``huey.backends`` by ``huey.storage`` and made the first argument the name), directly or through a
    name bound to it.  None for anything else."""
    value = c.local_value(node) if isinstance(node, ast.Name) else node
    if isinstance(value, ast.Call) and (c.qualname(value.func) or "").startswith("huey.backends."):
        return c.loc(value)
    return None


def made_by(c: Collector, name: str, value: ast.AST) -> None:
    """Record (or forget, when rebound to anything else) a module-level ``name = f(...)`` or
    ``name = C(...).attr`` whose callee is a name of this module or an import from outside the standard
    library: the linker looks in that function or class for the instance it hands out."""
    c.facts.made_by.pop(name, None)
    attr = ""
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Call):
        attr, value = value.attr, value.value
    if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
        return
    ref = c.qualname(value.func) or (value.func.id if isinstance(value.func, ast.Name) else None)
    if ref is None or ref.split(".")[0] in sys.stdlib_module_names or ref.split(".")[0] in ("huey", "django_huey"):
        return
    c.facts.made_by[name] = f"{ref}()" + (f".{attr}" if attr else "")


def hand_out(c: Collector, value: ast.AST, how: str) -> None:
    """Mark the instance ``value`` evaluates to inside a function as handed out ``how`` (``return``, or
    ``self.NAME`` in a method): ``value`` is a huey class call, or a name the function bound to one."""
    inst = c.call_instances.get(id(value))
    if inst is None and isinstance(value, ast.Name):
        owner = ".".join(c.names)
        inst = next((i for i in reversed(c.facts.instances) if i.var == value.id and i.owner == owner), None)
    if inst is None or inst.handed_as == how:
        return
    handed = HueyInstance(**{**args_dict(inst), **_instance_extras(inst), "handed_as": how})
    c.facts.instances[:] = [handed if i is inst else i for i in c.facts.instances]
    for key, known in list(c.call_instances.items()):
        if known is inst:
            c.call_instances[key] = handed
    for name, known in list(c.instances.items()):
        if known is inst:
            c.instances[name] = handed


def _instance_extras(inst: HueyInstance) -> dict[str, Any]:
    return {name: getattr(inst, name) for name in HueyInstance.__dataclass_fields__
            if name not in HueyArgs.__dataclass_fields__}


def args_dict(args: HueyArgs) -> dict[str, Any]:
    return {name: getattr(args, name) for name in HueyArgs.__dataclass_fields__}


def huey_args(c: Collector, entries: dict[str, tuple[ast.AST, Loc, frozenset[str]]],
               complete: bool, splats: tuple[SplatFact, ...] = (), rest_complete: bool = True) -> HueyArgs:
    """Read the arguments rules care about from ``name -> (node, loc, shadowed names)``."""
    def val(key: str) -> Val[Any] | None:
        if key not in entries:
            return None
        node, loc, shadow = entries[key]
        got = c.eval.value(node, shadow)
        return Val(got.value, loc, got.unknown) if got.known else Val(None, loc, got.unknown)

    compression = None
    for key in ("compression", "use_zlib"):
        got = val(key)
        if got is not None and not (got.known and not got.value):
            compression = compression or got.loc
    storage, passwords = _storage(c, entries)
    serializer = None
    if "serializer" in entries:
        node, _, shadow = entries["serializer"]
        serializer = _serializer(c, node, shadow)
    kwargs = {k: v for k in entries if (v := val(k)) is not None}
    immediate = val("immediate")
    immediate_ref = None
    if immediate is not None and not immediate.known:
        node, _, shadow = entries["immediate"]
        if tested_false(c, node):  # `else: RedisHuey(immediate=X)` of `if X or ...:`: false here
            immediate = Val(False, immediate.loc)
        else:  # `immediate=config.HUEY_IMMEDIATE`: read by the linker
            immediate_ref = c.eval.import_ref(node, shadow)
            if env_var(immediate) and reads_env_text(c, node, shadow):  # `os.environ.get("X", False)`: true once set
                immediate = Val.unknown_at(immediate.loc, env_reason(env_var(immediate), text=True))
            immediate = c.eval.with_unset(immediate, node, shadow)  # `not IS_PRODUCTION`: on while X is unset
    return HueyArgs(name=val("name"), immediate=immediate, results=val("results"), immediate_ref=immediate_ref,
                    serializer=serializer, compression=compression, storage_class=_storage_class(c, entries),
                    storage=tuple(storage), passwords=tuple(passwords), kwargs=kwargs, complete=complete,
                    splats=splats, rest_complete=rest_complete)


def _storage_class(c: Collector, entries: dict[str, tuple[ast.AST, Loc, frozenset[str]]]
                   ) -> Val[str] | None:
    """``storage_class=RedisStorage``: the class as imported (``huey.storage.RedisStorage``) or as written."""
    if "storage_class" not in entries:
        return None
    node, loc, shadow = entries["storage_class"]
    if isinstance(node, (ast.Name, ast.Attribute)):
        return Val(c.qualname(node) or c.code(node), loc)
    got = c.eval.value(node, shadow)
    return at(got, loc)


def _serializer(c: Collector, node: ast.AST, shadow: frozenset[str]) -> SerializerFact:
    """``serializer=SignedSerializer(secret=...)``: signed or not, and whether the secret is a literal."""
    loc = c.loc(node)
    resolved = c.eval.resolve_name(node, shadow)
    if not isinstance(resolved, ast.Call):
        return SerializerFact(c.code(node), None, None, loc)
    func = resolved.func
    written = c.code(func)
    last = func.attr if isinstance(func, ast.Attribute) else written
    qn = c.qualname(func) or ""
    if last == "SignedSerializer" or qn.endswith(".SignedSerializer"):
        args = bind_args(resolved, ("secret", "salt"))
        secret = c.eval.value(args["secret"], shadow) if "secret" in args else None
        if secret is None and has_star(resolved):
            secret = Val(None, loc, "**kwargs")
        ref = c.eval.import_ref(args["secret"], shadow) if secret is not None and not secret.known and \
            "secret" in args else None
        return SerializerFact("SignedSerializer", True, secret, loc, ref)
    if last == "Serializer" and (qn.startswith("huey") or not qn):
        return SerializerFact("Serializer", False, None, loc)
    return SerializerFact(written, None, None, loc)


def _storage(c: Collector, entries: dict[str, tuple[ast.AST, Loc, frozenset[str]]]
             ) -> tuple[list[StorageLocation], list[Val[str]]]:
    """Storage locations and literal passwords from ``host``/``url``/``dsn``/... and ``password=``."""
    locations: list[StorageLocation] = []
    passwords: list[Val[str]] = []
    for key in _STORAGE_KEYS:
        if key not in entries:
            continue
        node, loc, shadow = entries[key]
        if key == "connection_pool":
            locations.append(_pool_location(c, node, loc, shadow, passwords))
        else:
            locations.append(_location(c, key, node, loc, shadow, passwords))
    if "password" in entries:
        node, loc, shadow = entries["password"]
        got = c.eval.value(node, shadow)
        if got.known and isinstance(got.value, str) and got.value:
            passwords.append(Val(got.value, c.eval.origin(node, shadow) or loc))
    return locations, passwords


def _pool_location(c: Collector, node: ast.AST, loc: Loc, shadow: frozenset[str],
                   passwords: list[Val[str]]) -> StorageLocation:
    """``connection_pool=ConnectionPool(host=...)`` or ``ConnectionPool.from_url(url)``: read the inner host/url."""
    resolved = c.eval.resolve_name(node, shadow)
    if isinstance(resolved, ast.Call):
        func = resolved.func
        if isinstance(func, ast.Attribute) and func.attr == "from_url" and (resolved.args or resolved.keywords):
            inner = _location(c, "url", call_args(resolved)[0].value, loc, shadow, passwords)
            return StorageLocation("connection_pool", inner.kind, inner.value, inner.host)
        bound = bind_args(resolved, ())
        for key in ("host", "url", "path"):
            if key in bound:
                inner = _location(c, key, bound[key], loc, shadow, passwords)
                if "password" in bound:
                    got = c.eval.value(bound["password"], shadow)
                    if got.known and isinstance(got.value, str) and got.value:
                        passwords.append(Val(got.value, c.loc(bound["password"])))
                return StorageLocation("connection_pool", inner.kind, inner.value, inner.host)
    got = c.eval.value(node, shadow)
    kind = ENVIRONMENT if env_var(got) else UNKNOWN
    return StorageLocation("connection_pool", kind, Val(None, loc, got.unknown or "connection pool"))


def _location(c: Collector, key: str, node: ast.AST, loc: Loc, shadow: frozenset[str],
              passwords: list[Val[str]]) -> StorageLocation:
    """Classify one storage argument as literal / loopback / environment / unknown."""
    got = c.eval.value(node, shadow)
    origin = c.eval.origin(node, shadow) or loc
    chosen = _chosen_location(c, key, node, loc, shadow, passwords) if not got.known else None
    if chosen is not None:
        return chosen
    if got.known:
        if not isinstance(got.value, str):
            return StorageLocation(key, UNKNOWN, Val(None, loc, "not a string"))
        return _literal_location(key, Val(got.value, origin), passwords)
    template = c.eval.template(node, shadow)
    if template is not None and key in ("url", "dsn"):
        text, exprs = template
        host, password, index = template_host(key, text)
        if password and "\0" not in password:
            passwords.append(Val(password, origin))
        if host is not None and "\0" not in host:
            return StorageLocation(key, LOOPBACK if _is_loopback(host) else LITERAL,
                                   Val(None, loc, got.unknown), host)
        if host is not None:  # the host comes from the expression(s) written there: their provenance counts
            source = exprs[index] if index < len(exprs) else node
            reason = c.eval.value(source, shadow).unknown or got.unknown
            kind = ENVIRONMENT if env_var(Val(None, loc, reason)) else UNKNOWN
            ref = c.eval.import_ref(source, shadow) if kind == UNKNOWN and host.count("\0") == 1 \
                and index < len(exprs) else None
            if ref is not None:  # a leading part brings the whole URL; else it is (in) the host
                leading = index == 0 and text.startswith("\0") and _host_start(text) == 0 \
                    and text[1:2] in ("", ":", "/", "?", "#")  # `f"{BASE}host:6379"`: the host goes on after it
                return StorageLocation(key, UNKNOWN, Val(None, loc, reason), None if leading else host, ref)
            return StorageLocation(key, kind, Val(None, loc, reason))
    if env_var(got):
        return StorageLocation(key, ENVIRONMENT, Val(None, loc, got.unknown))
    return StorageLocation(key, UNKNOWN, Val(None, loc, got.unknown), ref=c.eval.import_ref(node, shadow))


def _chosen_location(c: Collector, key: str, node: ast.AST, loc: Loc, shadow: frozenset[str],
                     passwords: list[Val[str]]) -> StorageLocation | None:
    """``"localhost" if DEBUG else "redis"``: a choice between two written values is the one that reaches the
    network (``redis``, placed where it is written, or the environment variable of ``os.environ["REDIS_HOST"]``
    when the other branch is loopback), or loopback when both are; None when neither is loopback and one is not
    a literal (was: "comes from environment variable `DEBUG`", the variable of the test, as if it held the host)."""
    resolved = c.eval.resolve_name(node, shadow) if isinstance(node, ast.Name) else node
    if not isinstance(resolved, ast.IfExp):
        return None
    shadow = shadow if resolved is node else frozenset()
    branches = [_location(c, key, branch, loc, shadow, passwords) for branch in (resolved.body, resolved.orelse)]
    network = [branch for branch in branches if branch.kind != LOOPBACK]
    if len(network) == 1:  # `"localhost" if DEBUG else os.environ["REDIS_HOST"]`: the other branch
        return network[0]
    if any(branch.kind not in (LITERAL, LOOPBACK) for branch in branches):
        return None
    return next((branch for branch in branches if branch.kind == LITERAL), branches[0])


def imported_location(location: StorageLocation, found: Val[Any],
                      passwords: list[Val[str]] | None = None) -> StorageLocation:
    """``location`` (an unknown value imported from another module: ``location.ref``) once the linker has read
    what that module binds the name to (``found``, from :func:`hueylint.pyapp.exports.read`): classified as
    :func:`_location` classifies a value written in the module itself, a literal placed where it is written
    (in a URL built from parts, ``location.host`` is its host with a NUL where the imported part goes, which
    must then be a bare host name); ``location`` unchanged when ``found`` is neither a literal nor read from
    the environment.  A password a literal URL holds is added to ``passwords`` (HL403), placed where it is
    written."""
    key = location.key
    if found.known and location.host is not None:  # the host part of a URL built around the imported value
        if not isinstance(found.value, str) or any(mark in found.value for mark in "/:@?#\0"):
            return location
        host = location.host.replace("\0", found.value)
        return StorageLocation(key, LOOPBACK if _is_loopback(host) else LITERAL,
                               Val(None, location.value.loc, location.value.unknown), host)
    if found.known:
        if not isinstance(found.value, str):
            return StorageLocation(key, UNKNOWN, Val(None, location.value.loc, "not a string"))
        return _literal_location(key, Val(found.value, found.loc), passwords if passwords is not None else [])
    if env_var(found):
        return StorageLocation(key, ENVIRONMENT, Val(None, location.value.loc, found.unknown))
    return location


def _literal_location(key: str, value: Val[str], passwords: list[Val[str]]) -> StorageLocation:
    """A storage value written as a literal (``value`` placed where it is written): a file path, or a host,
    URL or DSN whose host decides loopback or not (a password it holds is added to ``passwords``)."""
    if key in ("filename", "path"):
        return StorageLocation(key, LITERAL, value)
    host, password = _host_and_password(key, str(value.value))
    if password:
        passwords.append(Val(password, value.loc))
    return StorageLocation(key, LOOPBACK if _is_loopback(host) else LITERAL, value, host)


def _host_and_password(key: str, text: str) -> tuple[str | None, str | None]:
    """Host and password of a host value, a URL or a libpq DSN; None host means "local default".

    ``text`` may hold NULs where a built string has a non-literal part (:meth:`Evaluator.template`):
    a part at the very start of a URL (``f"{REDIS_URL}/0"``, ``f"{url}?db={n}"``) brings scheme and host,
    so the host is that NUL; a query string's ``=`` never makes a URL a libpq DSN.
    """
    if key == "host":
        return text, None
    if "://" in text:
        scheme, _, rest = text.partition("://")
        try:
            parts = urlsplit(("built" if "\0" in scheme else scheme) + "://" + rest)
            host, password = parts.hostname, parts.password
        except ValueError:
            return text, None
        if parts.scheme.startswith("unix"):
            return "localhost", password
        if host is None and "\0" in parts.netloc:
            return "\0", password
        return host or "", password
    if text.startswith("\0") and not re.search(r"(?:^|\s)host\s*=", text) \
            and (text[1:2] in ("", "/", "?", ":", "#", "@") or "=" not in text.split("?", 1)[0]):
        return "\0", None
    if key == "dsn" or "=" in text:
        fields = {m.group(1): m.group(2) for m in re.finditer(r"(\w+)\s*=\s*'?([^'\s]*)'?", text)}
        return fields.get("host", ""), fields.get("password")
    return text, None


def template_host(key: str, text: str) -> tuple[str | None, str | None, int]:
    """(host, password, index) of a URL/DSN built from parts (``text`` holds a NUL per non-literal part,
    :meth:`~hueylint.pyapp.values.Evaluator.template`): :func:`_host_and_password`, and the index of the part
    at or after the host's start (the one that brings the host when the host holds a NUL)."""
    host, password = _host_and_password(key, text)
    return host, password, text.count("\0", 0, _host_start(text))


def _host_start(text: str) -> int:
    """Offset of the host part in a URL or DSN text (0 when a leading part brings scheme and host)."""
    if "://" in text:
        start = text.index("://") + 3
        end = min((i for i in (text.find(c, start) for c in "/?#") if i >= 0), default=len(text))
        at = text.rfind("@", start, end)
        return at + 1 if at >= 0 else start
    match = re.search(r"(?:^|\s)host\s*=\s*'?", text)
    return match.end() if match else 0


def _is_loopback(host: str | None) -> bool:
    """localhost, 127.0.0.0/8, ::1, unix sockets and an empty host (client default: local)."""
    if host is None:
        return False
    host = host.strip("[]").lower()
    return host in ("", "localhost", "localhost.localdomain", "::1", "0:0:0:0:0:0:0:1") or \
        host.startswith("127.") or host.startswith("/")


