"""The app half of the model: what a huey application declares, read from Python sources without running them.

The extractor (:mod:`hueylint.pyapp.extract`) turns one Python file into a
:class:`ModuleFacts`; the linker (:mod:`hueylint.pyapp.link`) groups them into the
:class:`Repo` (``Project.repo``) and one :class:`App` per application a launch runs
(``Project.apps``).  Rules only read these dataclasses, so they never depend on libcst
or on the app layer's logic.  Every fact carries a :class:`~hueylint.locations.Loc`
because a finding must point at the exact line.

Values follow the :class:`~hueylint.model.Val` convention: a literal found in
the source is a known value; anything else is *unknown* with a reason, never a
guess.  The reasons are machine-readable so rules can tell the cases apart:

* ``"env:NAME"``: the value comes from environment variable ``NAME``
  (``"env:?"`` when the variable name itself is not a literal);
* ``"env-text:NAME"``: the value is that variable's text itself (``os.environ.get("NAME", False)``,
  ``os.getenv("NAME")``, ``bool(os.environ["NAME"])``), true whatever it is set to, ``False`` and ``0``
  included: an option switched on by any value;
* ``"DEBUG"``: the value is bound to Django's ``DEBUG`` setting;
* anything else (``"expression"``, ``"dict splat"``, ...): not knowable.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Iterable

from hueylint.hueyfacts import (
    CLASS_MODULES,
    DJHUEY_DEFAULT_CLASS,
    HUEY_CLASSES,
    INTERRUPTED_SIGNAL,
    PERIODIC_DECORATORS,
    TASK_DECORATORS,
)
from hueylint.locations import Loc
from hueylint.model import Launch, Project, Val
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

#: Unknown reason for a value bound to Django's ``DEBUG``.
DEBUG = "DEBUG"
#: Prefix of the unknown reason for a value read from the environment.
ENV_PREFIX = "env:"
#: Prefix of the unknown reason for a value that is an environment variable's text itself (a ``str``: true once set)
ENV_TEXT_PREFIX = "env-text:"

#: The start of a :attr:`StorageLocation.ref` that names a value of the module it is written in (``OWN_MODULE +
#: "settings.redis_url"``: a field of ``settings = Settings()`` there), which the linker reads in that module as
#: it reads an import's value in another one.
OWN_MODULE = "<module>."

#: Storage location kinds (see :class:`StorageLocation`).
LITERAL = "literal"
LOOPBACK = "loopback"
ENVIRONMENT = "environment"
UNKNOWN = "unknown"


def huey_class_name(path: str) -> str | None:
    """``huey.RedisHuey`` / ``huey.api.SqliteHuey`` -> the class name; None for anything else."""
    module, _, name = path.rpartition(".")
    return name if module in CLASS_MODULES and name in HUEY_CLASSES else None


def env_reason(name: str | None, text: bool = False) -> str:
    """The unknown reason for a value read from environment variable ``name`` (``text``: the value is the variable's
    text itself, see :func:`env_text`)."""
    return f"{ENV_TEXT_PREFIX if text else ENV_PREFIX}{name or '?'}"


def env_var(val: Val[Any] | None) -> str | None:
    """The environment variable a value comes from, or None (``"?"`` if unnamed)."""
    if val is not None:
        for prefix in (ENV_PREFIX, ENV_TEXT_PREFIX):
            if val.unknown.startswith(prefix):
                return val.unknown[len(prefix):]
    return None


def env_text(val: Val[Any] | None) -> bool:
    """Whether the value is an environment variable's text itself: a ``str``, so any value it is set to is true in
    an ``if`` (huey tests ``immediate`` so: ``if immediate``), ``"False"`` and ``"0"`` included."""
    return val is not None and val.unknown.startswith(ENV_TEXT_PREFIX)


@dataclass(frozen=True, slots=True)
class EnvVal(Val[Any]):
    """An unknown value read from the environment (``unknown`` names the variable, :func:`env_reason`) whose
    value while every variable it reads is unset is known: ``unset`` is that value's truth (huey tests ``if
    immediate``), ``reads`` the variables read with their defaults as written (``""`` when none), the outermost
    read first: ``(("DJANGO_ENV", "'development'"),)`` of ``os.environ.get("DJANGO_ENV", "development") !=
    "production"``.  Made by :meth:`hueylint.pyapp.values.Evaluator.unset_value` for ``immediate`` only (HL401's
    message: on unless the variable is set, or off until it is)."""

    unset: bool = False
    reads: tuple[tuple[str, str], ...] = ()
    # the expression as :func:`env_eval` evaluates it under any environment (a launch's: HL401 tells what the
    # value is where the launch sets the variables), nested tuples of JSON-able values; () when not made
    formula: tuple[Any, ...] = ()


def unset_truth(val: Val[Any] | None) -> bool | None:
    """The truth of an environment value while its variable is unset (:class:`EnvVal`), None when not known."""
    return val.unset if isinstance(val, EnvVal) else None


class EnvReadFails(Exception):
    """A read that raises in the process (``os.environ["X"]`` unset: KeyError; python-decouple's ``config("X")``
    unset without a default: UndefinedValueError; its ``cast=bool`` of another word: ValueError)."""


#: python-decouple 3.8's ``Config._BOOLEANS``: the words its ``cast=bool`` accepts (anything else raises)
DECOUPLE_TRUE = frozenset({"1", "yes", "true", "on", "y", "t"})
DECOUPLE_FALSE = frozenset({"0", "no", "false", "off", "n", "f", ""})
#: django-environ 0.14.0 ``Env.BOOLEAN_TRUE_STRINGS`` (``parse_value`` with ``cast=bool``: ``int(value) != 0``, else
#: ``value.lower().strip()`` among these)
ENVIRON_TRUE = frozenset({"true", "on", "ok", "y", "yes", "1"})
#: the comparison operators a formula keeps (``ast`` class name -> its ``cmp`` word)
COMPARISONS = {"Eq": "==", "NotEq": "!=", "Is": "is", "IsNot": "is not", "In": "in", "NotIn": "not in"}


def env_compare(op: str, left: Any, right: Any) -> tuple[Any] | None:
    """``left op right`` for an operator of :data:`COMPARISONS`; None for operands it cannot compare."""
    try:
        if op == "==":
            return (left == right,)
        if op == "!=":
            return (left != right,)
        if op in ("is", "is not"):
            if left is None or right is None or isinstance(left, bool):
                return ((left is right) == (op == "is"),)
            return None
        if op == "in":
            return (left in right,)
        if op == "not in":
            return (left not in right,)
    except TypeError:
        return None
    return None


def formula_vars(formula: tuple[Any, ...]) -> list[str]:
    """The variables a formula (:func:`env_eval`) may read, in the order written."""
    kind = formula[0] if formula else ""
    found: list[str] = []
    if kind in ("get", "index", "decouple", "environ"):
        found.append(formula[1])
        if kind != "index" and formula[2] is not None:
            found += formula_vars(formula[2])
    elif kind in ("not", "str", "bool"):
        found += formula_vars(formula[1])
    elif kind in ("and", "or"):
        for operand in formula[1]:
            found += formula_vars(operand)
    elif kind == "if":
        for part in formula[1:]:
            found += formula_vars(part)
    elif kind == "cmp":
        found += formula_vars(formula[2]) + formula_vars(formula[3])
    elif kind == "meth":
        found += formula_vars(formula[2])
    return list(dict.fromkeys(found))


def env_eval(formula: tuple[Any, ...], env: dict[str, str], reads: list[tuple[str, str]]) -> tuple[Any] | None:
    """The value of ``formula`` (:attr:`EnvVal.formula`) in a process whose environment sets ``env`` (every other
    variable unset), as ``(value,)``, or None when not known; raises :class:`EnvReadFails` when the process fails
    there.  ``reads`` gets each unset variable read through its default, ``(name, default as written)`` (``""``
    when none), inner reads first.  The nodes: ``("c", value)``; ``("not", x)``; ``("and"|"or", (x, ...))``
    (short-circuit); ``("if", test, body, orelse)``; ``("cmp", op, left, right)``; ``("meth", "lower"|"upper"|
    "strip", x)``; ``("str", x)``; ``("bool", x)``; the reads: ``("get", var, default|None, code)`` (the standard
    library's ``os.environ.get``/``os.getenv``: the text once set), ``("index", var)`` (``os.environ[var]``),
    ``("decouple", var, default|None, code, cast)`` (python-decouple's ``config``, ``cast`` ``""``, ``"bool"`` or
    ``"?"``: applied to the text and to the default), ``("environ", var, default|None, code, reader)``
    (django-environ: the default as written; once set, ``reader`` ``"bool"`` parses the text, ``"str"`` keeps it,
    ``"?"`` is not known)."""
    kind = formula[0] if formula else ""
    if kind == "c":
        return (formula[1],)
    if kind == "not":
        inner = env_eval(formula[1], env, reads)
        return None if inner is None else (not inner[0],)
    if kind in ("and", "or"):
        result: tuple[Any] | None = None
        for operand in formula[1]:
            result = env_eval(operand, env, reads)
            if result is None or bool(result[0]) == (kind == "or"):
                break
        return result
    if kind == "if":
        test = env_eval(formula[1], env, reads)
        return None if test is None else env_eval(formula[2] if test[0] else formula[3], env, reads)
    if kind == "cmp":
        left = env_eval(formula[2], env, reads)
        right = env_eval(formula[3], env, reads)
        return None if left is None or right is None else env_compare(formula[1], left[0], right[0])
    if kind == "meth":
        inner = env_eval(formula[2], env, reads)
        return (getattr(inner[0], formula[1])(),) if inner is not None and isinstance(inner[0], str) else None
    if kind == "str":
        inner = env_eval(formula[1], env, reads)
        return None if inner is None else (str(inner[0]),)
    if kind == "bool":
        inner = env_eval(formula[1], env, reads)
        return None if inner is None else (bool(inner[0]),)
    if kind in ("get", "index", "decouple", "environ"):
        return _env_read(formula, env, reads)
    return None


def _env_read(formula: tuple[Any, ...], env: dict[str, str], reads: list[tuple[str, str]]) -> tuple[Any] | None:
    """One read of :func:`env_eval`."""
    kind, var = formula[0], formula[1]
    if var in env:
        text = env[var]
        if kind in ("get", "index"):
            return (text,)
        if kind == "decouple":
            return _decouple_cast(text, formula[4])
        if formula[4] == "bool" and not text.startswith("$"):
            try:
                return (int(text) != 0,)
            except ValueError:
                return (text.lower().strip() in ENVIRON_TRUE,)
        return (text,) if formula[4] == "str" and not text.startswith("$") else None
    if kind == "index":
        raise EnvReadFails(var)
    default, code = formula[2], formula[3]
    if default is None:
        if kind == "get":
            reads.append((var, ""))
            return (None,)
        if kind == "decouple":
            raise EnvReadFails(var)
        return None  # django-environ: an `Env(X=(bool, False))` schema may give it a default
    got = env_eval(default, env, reads)
    reads.append((var, code))
    if kind == "decouple" and got is not None:
        return _decouple_cast(got[0], formula[4])
    return got


def _decouple_cast(value: Any, cast: str) -> tuple[Any] | None:
    """python-decouple's ``cast`` of a value: none, ``bool`` (its words for a string), or not known."""
    if not cast:
        return (value,)
    if cast != "bool":
        return None
    if isinstance(value, str):
        word = value.lower()
        if word in DECOUPLE_TRUE or word in DECOUPLE_FALSE:
            return (word in DECOUPLE_TRUE,)
        raise EnvReadFails(value)  # decouple raises ValueError
    return (bool(value),)


def is_debug(val: Val[Any] | None) -> bool:
    """True when the value is bound to Django's ``DEBUG`` (HL401 warns about it)."""
    return val is not None and val.unknown == DEBUG


@dataclass(frozen=True, slots=True)
class StorageLocation:
    """Where a huey storage connects to or writes (HL402 network storage, HL406 local files).

    ``key`` is the constructor argument it came from: ``host``, ``url``,
    ``connection_pool``, ``filename``, ``path`` or ``dsn``.  ``kind`` is
    ``literal`` (a written non-loopback value), ``loopback`` (localhost,
    127.0.0.0/8, ::1, a unix socket), ``environment`` (read from an environment
    variable, named in ``value.unknown``) or ``unknown``.  For URLs and DSNs the
    host part decides the kind.  ``ref`` is set by the extractor on an ``unknown`` value that is a name
    imported from another module, or an attribute of an imported module (``from app.config import
    REDIS_URL``, ``config.REDIS_URL``): the dotted import as written (``app.config.REDIS_URL``,
    ``.config.REDIS_URL``), or the one the host part of a URL built from parts comes from (``host`` is then
    that host with a NUL where the part goes, None when the part brings the whole URL); the linker reads it in
    that module of the repository (:mod:`hueylint.pyapp.exports`) and replaces the location with what it
    finds there.
    """

    key: str
    kind: str
    value: Val[str]
    host: str | None = None  # the host part when a literal URL/DSN/host names one
    ref: str | None = None  # the import an unknown value refers to, resolved by the linker


@dataclass(frozen=True, slots=True)
class SplatFact:
    """A ``**`` splat of a huey constructor's keyword arguments that the extractor does not read in the module it
    is written in (``RedisHuey('app', **settings.REDIS)``, ``**{**BASE, 'db': 1}`` with ``BASE`` imported):
    ``written`` is the splatted expression as written, ``loc`` where; ``ref`` the dotted import it names
    (``settings.REDIS``, ``.config.REDIS``, as :attr:`StorageLocation.ref`), which the linker reads in that module
    of the repository (:attr:`ModuleFacts.dicts`), None when it names no import (a call, a value computed at run
    time); ``why`` says why it stays unread (set by the linker when ``ref`` is not found); ``overrides``: it comes
    after keys written beside it in a merged dict (``{'host': h, **BASE}``), so its keys win over them.

    ``ref`` is :data:`STAR_REF` + the name for a name the module binds only through ``from X import *``
    (``HUEY = {**BASE_HUEY, 'name': 'x'}`` below ``from .base import *``): the linker looks in the star-imported
    modules of the repository.  ``role`` says how its keys are read (:data:`SPLAT_ROLES`): ``""`` as a huey
    constructor's keyword arguments; ``"huey"`` a Django ``HUEY`` dict's top level (``HUEY = {**BASE, ...}``,
    ``dict(**BASE)``), read as djhuey reads it (``huey/contrib/djhuey/__init__.py``, huey 3.5.4: ``name``,
    ``huey_class``, ``connection`` and ``consumer`` popped, the rest, ``immediate`` defaulted to ``DEBUG``,
    passed to the class); ``"connection"`` its ``'connection'`` dict (``'connection': {**REDIS}``, ``'connection':
    REDIS``), whose keys djhuey passes over the top-level ones (``huey_config.update(conn_kwargs)``):
    ``overrides`` is then against the keys written in that dict only, and the keys of the top level always
    lose to it."""

    written: str
    loc: Loc
    ref: str | None = None
    why: str = ""
    overrides: bool = False
    role: str = ""


#: :attr:`SplatFact.ref` of a name bound only by a star import (``STAR_REF + "BASE_HUEY"``)
STAR_REF = "*."
#: the roles of a :class:`SplatFact`: a constructor's keyword arguments, a ``HUEY`` dict's top level, its connection
SPLAT_ROLES = ("", "huey", "connection")


@dataclass(frozen=True, slots=True)
class SerializerFact:
    """The ``serializer=`` argument: only ``SignedSerializer`` protects against pickle injection (HL402).

    ``secret`` is None when no ``secret=`` was given, a known Val for a
    literal (HL403 hard-coded secret), an unknown Val otherwise.  ``ref``: the import an unknown secret
    refers to (``from app.config import SECRET``: ``app.config.SECRET``, as :attr:`StorageLocation.ref`),
    which the linker reads in that module of the repository.
    """

    class_name: str  # as resolved: "SignedSerializer", "Serializer", or the written expression
    signed: bool | None  # None: built by code hueylint does not follow
    secret: Val[str] | None
    loc: Loc
    ref: str | None = None

    @property
    def secret_literal(self) -> bool:
        """True when the secret is written in the source (HL403)."""
        return self.secret is not None and self.secret.known and self.secret.value is not None


@dataclass(frozen=True, slots=True)
class HueyArgs:
    """Constructor arguments that rules reason about, shared by ``RedisHuey(...)`` and Django ``HUEY`` dicts.

    ``None`` means "not given" (huey's default applies); an unknown Val means
    "given, but not knowable statically".  ``complete`` is False when a
    ``**kwargs`` or dict splat may hide further arguments: rules that need the
    *absence* of an argument must then stay silent.
    """

    name: Val[str] | None = None
    immediate: Val[bool] | None = None
    results: Val[bool] | None = None
    serializer: SerializerFact | None = None
    compression: Loc | None = None  # where compression=/use_zlib= was given (HL408)
    storage_class: Val[str] | None = None
    storage: tuple[StorageLocation, ...] = ()
    passwords: tuple[Val[str], ...] = ()  # literal passwords in URLs/DSNs or password= (HL403)
    kwargs: dict[str, Val[Any]] = field(default_factory=dict)
    complete: bool = True
    # the import an unknown ``immediate`` refers to (``immediate=config.HUEY_IMMEDIATE``, as
    # :attr:`StorageLocation.ref`), resolved by the linker
    immediate_ref: str | None = None
    # the ``**`` splats not read where they are written (:class:`SplatFact`): the linker merges in the dicts of
    # other modules they name; ``complete`` is then ``rest_complete`` (whether all else is read) and each
    # merged dict's own completeness; a splat left unread keeps ``complete`` False and gets a notice
    splats: tuple[SplatFact, ...] = ()
    rest_complete: bool = True


@dataclass(frozen=True, slots=True)
class HueyInstance(HueyArgs):
    """A call that creates a huey instance: ``huey = RedisHuey('app', host=...)``.

    ``class_name`` is the huey class after resolving import aliases and local
    subclasses (``RedisHuey``); ``written_class`` is what the source says.
    ``second_positional`` points at a second positional argument, which sets
    ``results`` and not the host (HL407); not set when ``pre_1_0_queue`` is (the huey 0.x signature
    ``Huey(queue, result_store)``, whose first argument is a ``huey.backends`` queue object).
    """

    var: str | None = None  # the assigned name ("huey"), None when not a plain assignment
    class_name: str = ""
    written_class: str = ""
    second_positional: Loc | None = None
    # the huey 0.x queue object passed first (``Huey(SqliteQueue(...), result_store)``): the app runs huey < 1.0
    pre_1_0_queue: Loc | None = None
    loc: Loc = field(default_factory=Loc)
    in_function: bool = False
    # where a call inside a function hands the instance out: its defs and classes (``make_huey``,
    # ``App.Inner.__init__``) and how (``return``, or ``self.huey`` for ``self.huey = RedisHuey(...)``);
    # a module name bound to ``make_huey()`` or ``App().huey`` gets it (:attr:`ModuleFacts.made_by`)
    owner: str = ""
    handed_as: str = ""
    conditional: bool = False  # inside if/try/for/while: maybe not the instance that runs
    # the innermost branch it is defined in, as written (``if os.getenv("ENV") == "prod"``, ``else of
    # `if DEBUG` ``, ``except ImportError``), and whether that branch looks like development (True: a
    # DEBUG/test/dev/local condition holds there), production (False) or cannot be told (None)
    branch: str = ""
    dev_branch: bool | None = None


@dataclass(frozen=True, slots=True)
class ImmediateAssignment:
    """``huey.immediate = <value>`` after creation (HL401 when True)."""

    target: str
    value: Val[Any]
    loc: Loc
    conditional: bool = False  # in an if/try branch (see HueyInstance for branch and dev_branch)
    branch: str = ""
    dev_branch: bool | None = None
    in_function: bool = False
    # in a function of a module run as a script (a top-level ``if __name__ == "__main__":``): a smoke test or
    # command-line tool switching its own process to inline tasks
    in_script: bool = False


@dataclass(frozen=True, slots=True)
class HueyConfig(HueyArgs):
    """One settings dict: Django's ``HUEY = {...}`` or one django-huey queue.

    ``entries`` holds every top-level key with its value (the Val's loc spans
    ``'key': value`` so a finding can point at the key).  ``huey_class`` is
    the resolved class name (``'huey.RedisExpireHuey'`` -> ``RedisExpireHuey``).
    ``immediate`` is None when the key is missing: djhuey then uses
    ``settings.DEBUG`` (HL401 warning).  ``consumer`` maps each key of the
    ``'consumer'`` dict to its Val (None when there is no such dict);
    ``consumer_complete`` is False when that dict is not fully literal.
    """

    entries: dict[str, Val[Any]] = field(default_factory=dict)
    huey_class: Val[str] | None = None
    connection: dict[str, Val[Any]] | None = None
    consumer: dict[str, Val[Any]] | None = None
    consumer_loc: Loc | None = None
    consumer_complete: bool = True
    loc: Loc = field(default_factory=Loc)

    @property
    def immediate_missing(self) -> bool:
        """True only when the dict is fully known and has no ``'immediate'`` key."""
        return self.immediate is None and self.complete


@dataclass(frozen=True, slots=True)
class DjangoHueySetting:
    """A module-level Django setting for huey.

    ``name`` is ``HUEY`` (djhuey) or ``DJANGO_HUEY`` (django-huey).  ``form``
    is ``dict``, ``instance`` (``HUEY = RedisHuey(...)``), ``update``
    (``HUEY['immediate'] = False`` or ``HUEY.update(...)`` after a star import,
    partial ``config``), ``ref`` (``HUEY = queue.HUEY``, ``HUEY = huey`` imported: ``ref`` holds the dotted
    import as written, the linker follows it to the instance) or ``unknown`` (built by code hueylint does
    not follow).
    For ``DJANGO_HUEY``, ``queues`` maps each queue name to its dict and
    ``default`` is the default queue name.
    """

    name: str
    form: str
    loc: Loc
    config: HueyConfig | None = None
    instance: HueyInstance | None = None
    default: Val[str] | None = None
    queues: dict[str, HueyConfig] = field(default_factory=dict)
    queues_complete: bool = True
    ref: str = ""
    conditional: bool = False  # defined in an if/try branch (see HueyInstance for branch and dev_branch)
    branch: str = ""
    dev_branch: bool | None = None


#: The task decorators hueylint knows (:data:`hueylint.hueyfacts.TASK_DECORATORS`); periodic ones are in
#: :data:`PERIODIC_KINDS`.
TASK_KINDS = TASK_DECORATORS
PERIODIC_KINDS = PERIODIC_DECORATORS


@dataclass(frozen=True, slots=True)
class Task:
    """A function decorated as a huey task.

    ``instance`` is the decorator's receiver as written (``huey``, ``HUEY``,
    ``djhuey``; empty for a bare ``@db_task()``) and ``instance_from`` the
    dotted import it came from (``.main.huey``, ``huey.contrib.djhuey``;
    empty for an instance defined in this module), so the engine can tie
    tasks to their app.  ``returns_value`` is True when some ``return``
    gives a value other than None (HL404); periodic tasks never store results.
    """

    name: str
    qualname: str
    kind: str
    instance: str
    instance_from: str
    decorator_called: bool  # @huey.task() vs @huey.task
    returns_value: bool
    loc: Loc  # the decorator
    def_loc: Loc  # the function name
    return_loc: Loc | None = None
    queue: Val[str] | None = None  # django-huey: ``queue=`` / ``get_queue('x')``; None: the default queue
    # a function decorated by a repository function (``@exp_backoff_task(retries=3)``, the callee as imported
    # or as written): a task when that function applies a huey decorator to what it returns
    # (:attr:`ModuleFacts.task_decorators`); only in :attr:`ModuleFacts.wrapped_tasks`, ``kind`` still ""
    via: str = ""

    @property
    def periodic(self) -> bool:
        return self.kind in PERIODIC_KINDS


@dataclass(frozen=True, slots=True)
class TaskCall:
    """A call that enqueues a task: ``fn(...)``, ``fn.schedule(...)``, or builds a pipeline step ``fn.s(...)``.

    ``target`` is the callee's name for a task of this module, or the dotted
    import path as written (``.tasks.send_email``, ``app.tasks.send_email``)
    for an imported callee; ``local`` tells which.  ``usage`` is
    ``assigned``, ``returned``, ``passed`` (argument), ``expression`` (a bare
    statement: the Result is dropped), ``unread`` (bound to a name that is never
    read: dropped too), ``id`` (only the Result's task id is read: ``call(...).id``,
    ``r = call(...)`` then only ``r.id``; the value is read only if something looks it
    up by id, :attr:`ModuleFacts.result_lookups`) or ``other`` (used in some expression).
    """

    target: str
    local: bool
    method: str  # "" for fn(...), "schedule" for fn.schedule(...), "s" for fn.s(...) (a pipeline step)
    usage: str
    loc: Loc

    @property
    def result_used(self) -> bool:
        return self.usage not in ("expression", "unread", "id")


@dataclass(frozen=True, slots=True)
class LockFlush:
    """``huey.flush()`` / ``huey.flush_locks(*names)`` run when a consumer starts: in an ``@huey.on_startup()``
    hook, or in the function that builds and runs a consumer, before it runs (``where``: ``startup`` or
    ``consumer``).  ``flush()`` empties the whole storage, every lock included (``kind`` ``all``);
    ``flush_locks()`` deletes the locks huey knows plus ``names`` (``kind`` ``locks``; ``names`` None when they
    are not literal).  Source: huey 3.x ``Huey.flush`` (``storage.flush_all()``) and ``Huey.flush_locks``."""

    kind: str
    names: tuple[str, ...] | None
    where: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class LockUse:
    """A ``lock_task`` use (HL303 ttl, HL304 context locks, HL305 decorator order).

    ``form`` is ``decorator``, ``context`` (``with huey.lock_task(...)``) or
    ``call`` (constructed elsewhere, e.g. ``LOCK = huey.lock_task('x')``).
    ``import_time`` is True when the lock object is built when the module is
    imported (decorator on a module-level function, module-level call): only
    those are known to ``-f`` at consumer start.  ``above_task`` is True when
    the lock decorator is written above the task decorator (HL305).
    ``name_text`` is the name argument as written (``'x'``, ``dataset``,
    ``f"import-{key}"``); ``queue`` the django-huey queue (None: the default).
    """

    form: str
    name: Val[str] | None
    ttl: Val[Any] | None
    loc: Loc
    import_time: bool
    function: str = ""  # the decorated or enclosing function
    task_loc: Loc | None = None  # the task decorator of the same function
    above_task: bool = False
    name_text: str = ""
    queue: Val[str] | None = None

    @property
    def computed(self) -> bool:
        """The name is only known at run time (a parameter, an f-string of one): ``-L`` cannot list it."""
        return self.literal_name is None

    @property
    def literal_name(self) -> str | None:
        """The lock's name when it is a literal string (what ``-L`` lists), None when :attr:`computed`."""
        if self.name is None or not self.name.known or not isinstance(self.name.value, str):
            return None
        return self.name.value


@dataclass(frozen=True, slots=True)
class SignalHandler:
    """A function registered with ``@huey.signal(...)`` (HL105).

    ``signals`` holds the signal names as resolved (``SIGNAL_INTERRUPTED``,
    or ``"interrupted"`` written as a string), empty when registered for every
    signal; ``signals_known`` is False when an argument could not be read.
    ``reenqueues`` is True when the body calls ``.enqueue(`` (or djhuey's
    ``enqueue``).  ``queue`` is the django-huey queue it is registered on
    (``@signal(SIGNAL_INTERRUPTED, queue='mail')``, ``@get_queue('mail').signal(...)``; django-huey 1.3.1
    ``signal(*args, queue=None)`` registers on ``get_queue(queue)``); None for the default queue and for
    huey and djhuey handlers (:meth:`App.on_queue`).
    """

    function: str
    signals: tuple[str, ...]
    signals_known: bool
    reenqueues: bool
    loc: Loc
    queue: Val[str] | None = None

    @property
    def handles_interrupted(self) -> bool:
        """True when the handler runs for SIGNAL_INTERRUPTED (explicitly, or registered for every signal)."""
        if not self.signals:
            return self.signals_known
        return any(s in INTERRUPTED_SIGNAL for s in self.signals)


@dataclass(frozen=True, slots=True)
class GeventPatch:
    """A ``monkey.patch_all()`` call (HL601).

    ``preceding_imports`` lists the modules imported before it (other than
    ``sys``, ``os``, ``gevent``, ``__future__`` and ``typing``) in the same execution
    path: any entry means the patch comes too late.
    """

    loc: Loc
    preceding_imports: tuple[tuple[str, Loc], ...]
    guarded: bool  # inside an if (e.g. ``if 'run_huey' in sys.argv``)
    in_function: bool

    @property
    def first(self) -> bool:
        return not self.preceding_imports


@dataclass(frozen=True, slots=True)
class ConsumerScript:
    """A module that builds a consumer in code: ``huey.create_consumer(...)`` or ``Consumer(huey, ...)``.

    ``options`` holds keyword options as Vals; ``options_known`` is False when
    options come from ``**kwargs`` or a parser (a vendored copy of huey's
    ``huey_consumer`` script using ``OptionParserHandler``).
    """

    call: str  # "create_consumer" | "Consumer"
    instance: str
    options: dict[str, Val[Any]]
    options_known: bool
    runs: bool  # .run() is called on the consumer
    vendored: bool  # uses OptionParserHandler, like huey's own script
    loc: Loc
    # a class the call builds that may be a subclass of huey's ``Consumer`` (``HueyxConsumer(HUEY, ...)``), as
    # written: a class of this module (no dot) or a dotted import (relative ones keep their dots); the linker
    # follows its bases (:func:`hueylint.pyapp.consumers.consumer_subclass`) and drops the call when they do not
    # reach huey's class; empty for huey's own ``Consumer``/``create_consumer``
    subclass: str = ""


@dataclass(frozen=True, slots=True)
class CallCommand:
    """``call_command("run_huey", ...)``: an app CLI that starts the consumer."""

    command: str
    args: tuple[Val[Any], ...]
    kwargs: dict[str, Val[Any]]
    complete: bool  # False with *args / **kwargs
    loc: Loc


@dataclass(frozen=True, slots=True)
class AppsPart:
    """One piece of an ``INSTALLED_APPS``-like list: ``kind`` is ``app`` (a literal dotted name, in
    ``value``), ``ref`` (another list spliced in by name: ``*BASE_APPS``, ``DJANGO_APPS + ...``) or
    ``unknown`` (a comprehension, a call, anything hueylint does not follow)."""

    kind: str
    value: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class AppsAssignment:
    """A module-level assignment to ``INSTALLED_APPS`` or a helper list named ``*_APPS``.

    ``op`` is ``set`` (``X = [...]``) or ``extend`` (``X += [...]``, ``X.append(...)``,
    ``X.extend(...)``, ``X.insert(i, ...)``).  ``conditional``: inside an if/try (an extend there only
    adds candidates; a conditional ``set`` makes the list unknown).
    """

    target: str
    op: str
    parts: tuple[AppsPart, ...]
    loc: Loc
    conditional: bool = False


@dataclass(frozen=True, slots=True)
class ClassFact:
    """A module-level class, so a Django ``'huey_class': 'app.queue.MyHuey'`` can be followed to its storage.

    ``huey_class`` is the huey class it derives from when the first base names one directly (``RedisHuey``
    or a local subclass of one), else None; ``bases`` are the other bases as dotted imports as written
    (``.base.BaseHuey``) or local names; ``storage_class`` is a ``storage_class = X`` class attribute
    (the import path of ``X``).
    """

    name: str
    huey_class: str | None
    bases: tuple[str, ...]
    storage_class: Val[str] | None
    loc: Loc
    # the names the class body defines (methods and attributes), where: a ``Consumer`` subclass that defines
    # a signal handler of its own (:func:`hueylint.hueyfacts.handles_signals`) decides the graceful signal
    members: tuple[tuple[str, Loc], ...] = ()


@dataclass
class ModuleFacts:
    """Everything hueylint learnt from one Python file.

    ``module`` is the dotted name from the repo path (``app/tasks.py`` ->
    ``app.tasks``).  ``imports`` maps each bound name to its dotted import
    as written (relative ones keep their dots), which lets the engine follow
    ``from .main import huey``.  ``error`` is ``(line, col, message)`` when the
    file cannot be parsed (HL001); the other lists are then empty.
    """

    rel: str
    module: str
    is_settings: bool = False
    error: tuple[int, int, str] | None = None
    instances: list[HueyInstance] = field(default_factory=list)
    immediate_assignments: list[ImmediateAssignment] = field(default_factory=list)
    django_settings: list[DjangoHueySetting] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    task_calls: list[TaskCall] = field(default_factory=list)
    # calls reading a task's result by its id (``huey.result(task_id)``, ``Result(huey, task)``): a Result whose
    # id a call site keeps (TaskCall usage ``id``) may be read there
    result_lookups: list[Loc] = field(default_factory=list)
    locks: list[LockUse] = field(default_factory=list)
    signal_handlers: list[SignalHandler] = field(default_factory=list)
    gevent_patches: list[GeventPatch] = field(default_factory=list)
    consumer_scripts: list[ConsumerScript] = field(default_factory=list)
    call_commands: list[CallCommand] = field(default_factory=list)
    star_imports: list[str] = field(default_factory=list)
    django_settings_modules: list[Val[str]] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)
    installed_apps: list[AppsAssignment] = field(default_factory=list)  # INSTALLED_APPS and *_APPS lists
    classes: dict[str, ClassFact] = field(default_factory=dict)  # module-level classes with bases
    aliases: dict[str, str] = field(default_factory=dict)  # module-level `huey = HUEY` of an instance
    # module-level names bound to an imported attribute (`huey = queue.HUEY`): name -> dotted import, followed
    # like `from proj.queue import HUEY as huey` when looking for an instance
    bound_imports: dict[str, str] = field(default_factory=dict)
    # module-level names bound to what a call of the repository's code returns: ``huey = make_huey()`` ->
    # ``make_huey()``, ``huey = App().huey`` -> ``App().huey`` (the callee as imported, else as written)
    made_by: dict[str, str] = field(default_factory=dict)
    # module-level functions that return a huey decorator applied by a call (``return huey.task(retries=3)(fn)``,
    # also in a function they return: a decorator factory): name -> the decorator's kind (``task``)
    task_decorators: dict[str, str] = field(default_factory=dict)
    wrapped_tasks: list[Task] = field(default_factory=list)  # candidates, see :attr:`Task.via`
    lock_flushes: list[LockFlush] = field(default_factory=list)  # locks deleted when a consumer starts
    # what the module's names hold for an importer, filled only in the linker's on-demand reading of a module
    # a storage value is imported from (:func:`hueylint.pyapp.exports.read`), never by the extractor: name ->
    # a known value where its literal is written, or an unknown one whose reason names the environment
    values: dict[str, Val[Any]] = field(default_factory=dict)
    # as ``values``, the module-level dicts hueylint reads as a huey constructor's keyword arguments, for an
    # importer's ``RedisHuey('app', **settings.REDIS)`` (:attr:`HueyArgs.splats`): name -> the arguments, placed at
    # the dict's keys in this module
    dicts: dict[str, HueyArgs] = field(default_factory=dict)
    # the same dicts read as a Django ``HUEY`` dict (:func:`hueylint.pyapp.settings.dict_config`), for a
    # ``HUEY = {**BASE_HUEY, ...}`` of another settings module (:attr:`SplatFact.role` ``"huey"``): only those
    # with a key djhuey takes out (``huey_class``, ``connection``, ``consumer``), the others read alike
    configs: dict[str, HueyConfig] = field(default_factory=dict)
    # module-level bindings of Django's ``DEBUG`` in source order: a known Val for a literal True/False bound
    # unconditionally at the top level, an unknown one for any other binding (conditional, computed, imported)
    debug: list[Val[bool]] = field(default_factory=list)

    @property
    def periodic_tasks(self) -> list[Task]:
        return [t for t in self.tasks if t.periodic]

    @property
    def empty(self) -> bool:
        """True when nothing huey-related was found (a mention in a comment, say)."""
        return not (
            self.instances or self.immediate_assignments or self.django_settings or self.tasks
            or self.locks or self.signal_handlers or self.gevent_patches or self.consumer_scripts
            or self.call_commands or self.django_settings_modules
        )


def resolve_import(current_module: str, is_package: bool, target: str) -> str:
    """An import as written (``.main.huey``, ``..settings``) made absolute from ``current_module``."""
    if not target.startswith("."):
        return target
    dots = len(target) - len(target.lstrip("."))
    parts = current_module.split(".") if current_module else []
    if not is_package:
        parts = parts[:-1]
    if dots > 1:
        parts = parts[: len(parts) - (dots - 1)] if dots - 1 <= len(parts) else []
    rest = target[dots:]
    return ".".join([*parts, rest] if rest else parts)


def module_name(rel: str) -> str:
    """Dotted module name from a repo path: ``app/tasks.py`` -> ``app.tasks``, packages drop ``__init__``."""
    path = rel[:-3] if rel.endswith(".py") else rel
    parts = [p for p in path.split("/") if p]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_settings_path(rel: str) -> bool:
    """Django settings live in ``settings*.py`` or a ``settings/`` package (``config/settings/prod.py``)."""
    parts = rel.split("/")
    base = parts[-1]
    return (base.startswith("settings") and base.endswith(".py")) or "settings" in parts[:-1]


#: settings modules named for development (``settings/dev.py``, ``local_settings``) and for production
DEV_SETTINGS = lazy_pattern(r"(^|[._/])(dev|develop|development|local|test|tests|testing|ci)([._/]|$)")
PROD_SETTINGS = lazy_pattern(r"(^|[._/])(prod|production|deploy|live|release)([._/]|$)")


def is_dev_settings(rel: str) -> bool:
    """True for a settings module named for development (``settings/dev.py``), not also for production."""
    return bool(DEV_SETTINGS.search(rel)) and not PROD_SETTINGS.search(rel)


@dataclass
class Repo:
    """Every Python module of the deployed code that can hold huey facts (tests and fixtures excluded)."""

    modules: dict[str, ModuleFacts] = field(default_factory=dict)  # rel -> facts
    # settings modules whose own HUEY is not what runs: a star import of a module not in the repo (an
    # untracked ``local.py``) may override it, or a settings module that star-imports it replaces it;
    # rules must not judge their raw value (the importing module is judged instead)
    overridable: set[str] = field(default_factory=set)
    # settings module -> the module its HUEY may be overridden by, absent from the repository (an untracked
    # ``local_settings``, star-imported after the setting); the deployment depends on what it sets
    # (module, a template of it in the repo such as ``local_settings.py.example``, or "")
    untracked_overrides: dict[str, tuple[str, str]] = field(default_factory=dict)
    # settings modules that turn DEBUG on, beside settings that do not, and that nothing star-imports
    # (``settings/agent.py``: ``from .base import *`` then ``DEBUG = True``): development whatever their name
    dev_settings: set[str] = field(default_factory=set)

    def settings_modules(self) -> list[ModuleFacts]:
        return [m for m in self.modules.values() if m.is_settings and m.django_settings]

    def development(self, rel: str) -> bool:
        """True for development settings: named for it (:func:`is_dev_settings`) or turning DEBUG on."""
        return is_dev_settings(rel) or rel in self.dev_settings


@dataclass
class App:
    """One huey application as a consumer imports it.

    ``kind`` is ``huey`` (``huey_consumer my_app.huey``), ``django`` (``run_huey`` /
    ``djangohuey``) or ``script`` (a Python module building the consumer).  ``modules`` is
    the module set the consumer imports (rel -> facts): the app module and what it imports
    for ``huey``; for Django the settings plus, per installed app of the repo (``INSTALLED_APPS``), its
    ``tasks`` module (djhuey autodiscovers it), ``models``/``apps`` (Django imports them; ``admin`` when
    django.contrib.admin autodiscovers) and what those import; every non-settings module when
    ``INSTALLED_APPS`` cannot be read.  ``instances`` are the Huey objects the consumer may run
    (several when the variable is bound in if/else or try/except branches); ``config`` / ``setting``
    the effective Django ``HUEY`` (``None`` when the settings cannot be told).  ``entry`` is the module
    a greenlet consumer must patch first.
    """

    key: str
    kind: str
    entry: ModuleFacts | None
    modules: dict[str, ModuleFacts] = field(default_factory=dict)
    instances: list[HueyInstance] = field(default_factory=list)
    setting: DjangoHueySetting | None = None
    config: HueyConfig | None = None
    settings_rels: list[str] = field(default_factory=list)
    launches: list[Launch] = field(default_factory=list)
    complete: bool = True  # the module set is fully known (no unresolved star import or dynamic import)
    packages: list[str] = field(default_factory=list)  # Django: repo folders of the installed apps
    # django-huey: the queue this app is (its consumer runs only that queue's tasks, periodic tasks and
    # locks) and DJANGO_HUEY['default'], the queue of items without `queue=`; None for huey and djhuey
    queue: str | None = None
    default_queue: str | None = None
    # Django: the settings module's ``settings.DEBUG`` as written (:meth:`Linker.effective_debug`): djhuey's
    # default for a missing ``'immediate'``; None when not bound or the settings module is not told
    debug: Val[bool] | None = None
    # Django: the ``DEBUG`` an ``immediate`` written as ``DEBUG`` in a settings module reads where it is written
    # (:meth:`Linker.debug_written`), keyed by the value's location; only values known there
    debug_written: dict[Loc, Val[bool]] = field(default_factory=dict)
    # Django, when ``setting`` is None: where the settings write the ``HUEY``/``DJANGO_HUEY`` that would
    # stand as far as the repository shows (an untracked module star-imported after it may replace it,
    # several settings modules may run): the place findings about the app point at
    setting_written: Loc | None = None
    # Django, when ``setting`` is None: a settings module star-imports a module the repository does not hold (a
    # base project's settings another image copies in), which may set ``HUEY``: not read is not absent
    setting_unseen: bool = False
    # Django, when ``setting`` is None: the line of the settings module's module ``__getattr__`` (PEP 562) when
    # its ``__dir__`` may list ``HUEY`` for Django to read (:func:`hueylint.pyapp.resolve.module_getattr`): the
    # setting may be computed there at run time, which is not read (HL402's storage and serializer unknown)
    setting_lazy: Loc | None = None
    # when no instance nor setting says where the storage is: the node that makes this the huey app, for
    # findings about the app as a whole (HL105) to point at: Django, the ``INSTALLED_APPS`` entry of the app
    # that brings the consumer command (``'huey.contrib.djhuey'``; the ``HUEY`` dict is absent, so djhuey's
    # defaults, or built by code: grouprise builds it from a YAML file); a script, the call that builds the
    # consumer (``huey.create_consumer()``, whose huey object comes from code not followed).  None: not found
    anchor: Loc | None = None

    @property
    def module(self) -> str:
        return self.entry.module if self.entry is not None else ""

    def iter_modules(self) -> Iterable[ModuleFacts]:
        return self.modules.values()

    def on_queue(self, item: Any) -> bool:
        """True when a task, lock or signal handler belongs to this app's queue (always for huey and djhuey apps; an item
        whose ``queue=`` cannot be read may be on any queue)."""
        if self.queue is None:
            return True
        queue = getattr(item, "queue", None)
        if queue is None:
            return self.default_queue is None or self.default_queue == self.queue
        return not queue.known or queue.value == self.queue

    @property
    def tasks(self) -> list[Task]:
        return [t for m in self.modules.values() for t in m.tasks if self.on_queue(t)]

    @property
    def periodic_tasks(self) -> list[Task]:
        return [t for m in self.modules.values() for t in m.periodic_tasks if self.on_queue(t)]

    @property
    def locks(self) -> list[LockUse]:
        return [lock for m in self.modules.values() for lock in m.locks if self.on_queue(lock)]

    @property
    def signal_handlers(self) -> list[SignalHandler]:
        """The handlers the consumer imports that are registered on its queue (a django-huey handler of another
        queue never runs in this queue's consumer)."""
        return [h for m in self.modules.values() for h in m.signal_handlers if self.on_queue(h)]

    @property
    def judged_instances(self) -> list[HueyInstance]:
        """The instances the consumer may run that do not sit in a development-looking branch
        (``if DEBUG:``, the ``else`` of ``if ENV == "production"``), production-looking ones first."""
        judged = [inst for inst in self.instances if inst.dev_branch is not True]
        return sorted(judged, key=lambda inst: inst.dev_branch is not False)

    @property
    def huey_class(self) -> Val[str] | None:
        """The storage class the consumer uses (Django: ``huey_class``, default RedisHuey)."""
        if self.instances:
            inst = (self.judged_instances or self.instances)[0]
            return Val(inst.class_name, inst.loc)
        if self.config is not None:
            if self.config.huey_class is not None:
                return self.config.huey_class
            return Val(DJHUEY_DEFAULT_CLASS, self.config.loc) if self.config.complete else None
        return None

    @property
    def loc(self) -> Loc | None:
        """Where the app's storage is defined: the instance, the ``HUEY`` setting (as written when its effective
        value is unknown), or else the node that makes the app (``anchor``); None when none is known (never
        line 1 of ``manage.py``, which decides nothing about the app: field tests grouprise, lyfeapp,
        blockpy-server)."""
        if self.instances:
            return (self.judged_instances or self.instances)[0].loc
        if self.setting is not None:
            return self.setting.loc
        if self.setting_written is not None:
            return self.setting_written
        return self.anchor


def app_for(project: Project, launch: Launch) -> App | None:
    """The app a launch runs, when it was resolved to sources in the repo."""
    for app in project.apps:
        if any(other is launch for other in app.launches):
            return app
    return None


