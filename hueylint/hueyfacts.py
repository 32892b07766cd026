"""Everything hueylint knows about huey itself, each fact with the place in huey's code it was read from.

hueylint never imports huey: these facts were read from huey's sources and are the one copy the rest of
hueylint uses (the consumer's option parser, the Python app layer, the deployment model and the rules).
Sources: the sdists of huey 3.3.4, 3.4.0 and 3.5.4 (``pip download --no-deps --no-binary :all: huey==X``)
and the tags 0.1.0 ... 3.3.0 of https://github.com/coleifer/huey.  "3.5.4 ``huey/api.py`` ``Huey.__init__``"
names the release, file and function or class a fact was read from; a fact with a version (``since``)
was found by reading that file in the release before and the release named.

The families, each tested against the others and against the code that uses it
(``tests/unit/test_hueyfacts.py``): releases; Huey classes and their storage; ``Huey.__init__``'s
parameters; the consumer's options with their history; the consumer's defaults and signals; task
signals; features by version; the Django integration (djhuey) settings.

Versions are tuples padded to three parts (``(3, 4, 0)``), as :mod:`hueylint.versions` reads them.
"""

from __future__ import annotations

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

Version = tuple[int, ...]

# ---------------------------------------------------------------------------
# releases
# ---------------------------------------------------------------------------

#: Every huey release on PyPI, oldest first (``pip index versions huey``, November 2026; newest 3.5.4,
#: see huey-facts §10).  The one list hueylint knows: a constraint's version is the newest of these
#: it allows, as pip would install.
HUEY_RELEASES: tuple[str, ...] = (
    "0.1.0", "0.1.1", "0.2.0", "0.2.1", "0.2.2", "0.3.0", "0.3.1", "0.3.2", "0.4.0", "0.4.1", "0.4.2",
    "0.4.3", "0.4.5", "0.4.6", "0.4.7", "0.4.8", "0.4.9", "1.0.0", "1.1.0", "1.1.1", "1.1.2", "1.2.0",
    "1.2.1", "1.2.2", "1.2.3", "1.3.0", "1.3.1", "1.4.0", "1.4.1", "1.5.0", "1.5.1", "1.5.2", "1.5.3",
    "1.5.4", "1.5.5", "1.5.6", "1.6.0", "1.6.1", "1.7.0", "1.8.0", "1.9.0", "1.9.1", "1.10.0", "1.10.1",
    "1.10.2", "1.10.3", "1.10.4", "1.10.5", "1.11.0", "2.0.0", "2.0.1", "2.1.0", "2.1.1", "2.1.2",
    "2.1.3", "2.2.0", "2.3.0", "2.3.1", "2.3.2", "2.4.0", "2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.4.5",
    "2.5.0", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5", "2.6.0", "3.0.0", "3.0.1", "3.0.2", "3.0.3",
    "3.1.0", "3.1.1", "3.2.0", "3.2.1", "3.3.0", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.4.0", "3.5.0",
    "3.5.1", "3.5.2", "3.5.3", "3.5.4",
)

# ---------------------------------------------------------------------------
# Huey classes and their storage
# ---------------------------------------------------------------------------

#: Where a storage keeps the queue: a server other hosts reach, files on one host, or the process itself.
NETWORK = "network"
LOCAL_FILES = "local files"
IN_MEMORY = "in memory"


@dataclass(frozen=True, slots=True)
class HueyClass:
    """One class an application instantiates to get a huey (``RedisHuey('app')``).

    ``path`` is the import path hueylint recognises (``huey.RedisHuey``; every class of ``huey`` is also
    importable from ``huey.api``), ``storage`` its ``storage_class``, ``where`` one of :data:`NETWORK`,
    :data:`LOCAL_FILES`, :data:`IN_MEMORY`, ``expiring`` True when results expire instead of piling up.
    """

    path: str
    storage: str
    where: str
    expiring: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


#: 3.5.4 ``huey/api.py`` ``class Huey``: the base class, whose storage is its ``storage_class=`` argument
#: (``Huey.get_storage``; RedisStorage with a warning when none is given).
BASE_CLASS = "Huey"
#: 3.5.4 ``huey/api.py``: ``class XHuey(Huey): storage_class = XStorage`` (the end of the module) and
#: ``Huey.get_storage`` (no ``storage_class``: a warning, then ``RedisStorage``); ``huey/__init__.py``
#: re-exports each of them.  ``ValkeyGlideHuey`` is 3.5.4 ``huey/contrib/valkey_glide.py`` (a ``RedisHuey``
#: whose ``ValkeyGlideStorage`` talks to Valkey through valkey-glide; also in 3.3.4).  ``SqlHuey`` is 3.5.4
#: ``huey/contrib/sql_huey.py`` (``partial(Huey, storage_class=SqlStorage)``, a peewee database; hueylint
#: judges it as local files).
HUEY_CLASS_TABLE: tuple[HueyClass, ...] = (
    HueyClass(f"huey.{BASE_CLASS}", "RedisStorage", NETWORK),
    HueyClass("huey.RedisHuey", "RedisStorage", NETWORK),
    HueyClass("huey.RedisExpireHuey", "RedisExpireStorage", NETWORK, expiring=True),
    HueyClass("huey.PriorityRedisHuey", "PriorityRedisStorage", NETWORK),
    HueyClass("huey.PriorityRedisExpireHuey", "PriorityRedisExpireStorage", NETWORK, expiring=True),
    HueyClass("huey.PostgresHuey", "PostgresStorage", NETWORK),
    HueyClass("huey.contrib.valkey_glide.ValkeyGlideHuey", "ValkeyGlideStorage", NETWORK),
    HueyClass("huey.SqliteHuey", "SqliteStorage", LOCAL_FILES),
    HueyClass("huey.CySqliteHuey", "CySqliteStorage", LOCAL_FILES),
    HueyClass("huey.FileHuey", "FileStorage", LOCAL_FILES),
    HueyClass("huey.contrib.sql_huey.SqlHuey", "SqlStorage", LOCAL_FILES),
    HueyClass("huey.MemoryHuey", "MemoryStorage", IN_MEMORY),
    HueyClass("huey.BlackHoleHuey", "BlackHoleStorage", IN_MEMORY),
)

#: The modules that export huey's classes (3.5.4 ``huey/__init__.py`` imports them from ``huey.api``).
CLASS_MODULES = ("huey", "huey.api")
#: The classes ``huey``/``huey.api`` export, by name.
HUEY_CLASSES = frozenset(c.name for c in HUEY_CLASS_TABLE if c.path.rpartition(".")[0] in CLASS_MODULES)
#: Classes of ``huey.contrib``: import path -> class name.
CONTRIB_CLASSES = {c.path: c.name for c in HUEY_CLASS_TABLE if c.path.rpartition(".")[0] not in CLASS_MODULES}
NETWORK_CLASSES = frozenset(c.name for c in HUEY_CLASS_TABLE if c.where == NETWORK)
LOCAL_FILE_CLASSES = frozenset(c.name for c in HUEY_CLASS_TABLE if c.where == LOCAL_FILES)
IN_MEMORY_CLASSES = frozenset(c.name for c in HUEY_CLASS_TABLE if c.where == IN_MEMORY)
EXPIRING_CLASSES = frozenset(c.name for c in HUEY_CLASS_TABLE if c.expiring)

# ---------------------------------------------------------------------------
# Huey.__init__
# ---------------------------------------------------------------------------

#: 3.5.4 ``huey/api.py`` ``Huey.__init__``: its positional parameters in order, so ``RedisHuey('a', 'host')``
#: passes ``results='host'`` (HL407); every further keyword goes to the storage (``**storage_kwargs``).
HUEY_POSITIONAL = ("name", "results", "store_none", "utc", "immediate", "serializer", "compression",
                   "use_zlib", "immediate_use_memory", "storage_class")
#: The storage keywords that say where the queue lives, 3.5.4 ``huey/storage.py``: ``RedisStorage.__init__``
#: (``connection_pool``, ``url``, ``host`` among ``**connection_params``), ``SqliteStorage.__init__``
#: (``filename``), ``FileStorage.__init__`` (``path``), ``PostgresStorage.__init__`` (``dsn``).
STORAGE_LOCATION_KEYS = ("host", "url", "connection_pool", "filename", "path", "dsn")

# ---------------------------------------------------------------------------
# consumer options and the OS signals the consumer handles
# ---------------------------------------------------------------------------


#: 3.5.4 ``huey/constants.py`` ``WORKER_TYPES`` (``-k``'s choices).
WORKER_TYPES = ("thread", "greenlet", "process")
#: The two stop signals (3.5.4 ``huey/consumer.py`` ``Consumer.__init__``: one graceful, the other
#: interrupts running tasks; ``-g`` picks which) and the graceful restart in place (``SIGHUP``:
#: ``_signal_actions[signal.SIGHUP] = (True, True)``, restart and graceful).
STOP_SIGNALS = ("INT", "TERM")
RESTART_SIGNAL = "HUP"
#: 1.5.2 ``huey/consumer.py``: ``signal.signal(signal.SIGHUP, self._handle_restart_signal)`` (1.5.1 and before
#: leave SIGHUP at its default action, which ends the process at once).
RESTART_SIGNAL_SINCE: Version = (1, 5, 2)


@dataclass(frozen=True)
class OptionSpec:
    """One ``huey_consumer`` option: ``short``/``long`` as the newest huey spells it, ``dest`` the
    ``ConsumerConfig`` key it sets, ``kind`` the optparse type or action (``int``, ``float``, ``str``,
    ``choice``, ``store_true``, ``store_false``), ``since`` the first release that has it, ``old_long`` the
    long spelling before ``renamed``."""

    short: str
    long: str
    dest: str
    kind: str  # int | float | str | choice | store_true | store_false
    choices: tuple[str, ...] = ()
    since: Version = (0,)
    old_long: str = ""  # spelling before ``renamed``
    renamed: Version = (0,)
    until: Version | None = None  # the first release without it (huey removed it), None: still there

    def present(self, version: Version) -> bool:
        """The option exists in huey ``version``."""
        return self.since <= version and (self.until is None or version < self.until)


#: ``huey_consumer``'s options: 3.5.4 ``huey/consumer_options.py`` ``OptionParserHandler`` (``option(name)``
#: makes ``-<first letter>``/``--<name with - for _>``) with ``WORKER_TYPES`` from ``huey/constants.py``.
#: History, from ``huey/consumer_options.py`` (before 1.2.1 ``huey/bin/huey_consumer.py``) of each tag:
#: ``-k`` and ``-s`` new in 1.0.0 (0.4.x had ``-t/--threads``, ``-S/--scheduler-interval``); ``-c``/``-C``
#: in 1.2.1 as ``--health_check_interval``/``--disable_health_check``; ``-f`` in 1.10.0; ``-S`` in 2.0.0;
#: ``-L`` in 2.4.2 as ``--extra_locks``; the three underscored spellings hyphenated in 2.5.1; ``-M`` in
#: 3.0.0 as ``--max_tasks``, hyphenated in 3.0.1; ``-t``, ``-g`` in 3.4.0 (absent from 3.3.4).  ``-l``,
#: ``-v``, ``-q``, ``-w``, ``-d``, ``-m``, ``-b``, ``-n`` are in every release since 0.4.1.
SPECS: tuple[OptionSpec, ...] = (
    OptionSpec("-l", "--logfile", "logfile", "str"),
    OptionSpec("-v", "--verbose", "verbose", "store_true"),
    OptionSpec("-q", "--quiet", "verbose", "store_false"),
    OptionSpec("-S", "--simple", "simple_log", "store_true", since=(2, 0, 0)),
    OptionSpec("-w", "--workers", "workers", "int"),
    OptionSpec("-k", "--worker-type", "worker_type", "choice", WORKER_TYPES, since=(1, 0, 0)),
    OptionSpec("-d", "--delay", "initial_delay", "float"),
    OptionSpec("-m", "--max-delay", "max_delay", "float"),
    OptionSpec("-b", "--backoff", "backoff", "float"),
    OptionSpec("-c", "--health-check-interval", "health_check_interval", "float", since=(1, 2, 1),
               old_long="--health_check_interval", renamed=(2, 5, 1)),
    OptionSpec("-C", "--disable-health-check", "check_worker_health", "store_false", since=(1, 2, 1),
               old_long="--disable_health_check", renamed=(2, 5, 1)),
    OptionSpec("-f", "--flush-locks", "flush_locks", "store_true", since=(1, 10, 0)),
    OptionSpec("-L", "--extra-locks", "extra_locks", "str", since=(2, 4, 2),
               old_long="--extra_locks", renamed=(2, 5, 1)),
    OptionSpec("-M", "--max-tasks", "max_tasks", "int", since=(3, 0, 0),
               old_long="--max_tasks", renamed=(3, 0, 1)),
    OptionSpec("-t", "--shutdown-timeout", "shutdown_timeout", "float", since=(3, 4, 0)),
    OptionSpec("-g", "--graceful-signal", "graceful_signal", "choice", STOP_SIGNALS, since=(3, 4, 0)),
    OptionSpec("-s", "--scheduler-interval", "scheduler_interval", "int", since=(1, 0, 0)),
    OptionSpec("-n", "--no-periodic", "periodic", "store_false"),
    # removed in 2.0.0 (``-o`` came in 1.2.1, ``--localtime`` had no short form before: ``-o`` is accepted there too)
    OptionSpec("-u", "--utc", "utc", "store_true", until=(2, 0, 0)),
    OptionSpec("-o", "--localtime", "utc", "store_false", until=(2, 0, 0)),
)

#: the largest ``-t`` the graceful shutdown can wait: huey/consumer.py (3.4+) ``Consumer._join_workers`` joins
#: each worker with ``max(deadline - time.monotonic(), 0)`` seconds, and Python's ``Thread.join`` refuses a
#: timeout above ``threading.TIMEOUT_MAX`` (OverflowError; 9223372036 s on 64-bit Linux) or NaN (ValueError), as
#: ``multiprocessing.Process.join`` refuses infinity and NaN: the consumer then crashes instead of stopping
JOIN_TIMEOUT_MAX = 9223372036.0


def joinable_timeout(seconds: float) -> bool:
    """Whether huey's graceful shutdown can wait ``seconds`` (``-t``) for its workers (:data:`JOIN_TIMEOUT_MAX`);
    a negative ``-t`` is its own problem."""
    return seconds <= JOIN_TIMEOUT_MAX  # False for NaN


# Not modelled: 0.4.x's options removed in 1.0.0 (``-t/--threads``, ``-p/--periodic``, ``-P``,
# ``-S/--scheduler-interval``): hueylint reports them as unknown options on the releases that had them.
# 1.x's ``-u/--utc`` and ``--localtime`` are in SPECS until 2.0.0 (the settings key: :data:`REMOVED_CONFIG_KEYS`).

#: keys huey's ``ConsumerConfig`` accepts (the Django ``HUEY['consumer']`` dict): the dests of the command
#: line options, each since the release that introduced its option (SPECS is huey's one option history).
#: 3.5.4 ``huey/consumer_options.py`` ``config_defaults``/``ConsumerConfig``.
CONFIG_KEYS_BY_VERSION: tuple[tuple[str, Version], ...] = tuple(
    {spec.dest: spec.since for spec in SPECS if spec.until is None}.items())


#: ``HUEY['consumer']`` keys huey read on old releases only, each with the first release that ignores it:
#: ``utc`` was a ``Consumer(utc=...)`` argument and, from 1.2.1 to 1.11.0, a ``ConsumerConfig`` key
#: (``huey/consumer_options.py`` ``config_defaults``; gone from 2.0.0's, with ``-u/--utc``); ``loglevel`` was
#: popped by 1.0.0-1.2.0's ``run_huey`` for the logger (1.2.1's ``ConsumerConfig`` reads ``verbose`` instead).
REMOVED_CONFIG_KEYS: dict[str, Version] = {"utc": (2, 0, 0), "loglevel": (1, 2, 1)}


def option_since(dest: str) -> Version:
    """The huey release that introduced the option setting ``dest`` (``shutdown_timeout`` -> ``(3, 4, 0)``).

    Raises StopIteration for a ``dest`` no option sets."""
    return next(spec.since for spec in SPECS if spec.dest == dest)


#: ``manage.py run_huey`` (3.5.4 ``huey/contrib/djhuey/management/commands/run_huey.py``
#: ``Command.add_arguments``) renames ``-v/--verbose`` to these (Django owns ``-v``) and adds ``-A``.
RUN_HUEY_VERBOSE = ("-V", "--huey-verbose")
RUN_HUEY_DISABLE_AUTOLOAD = ("-A", "--disable-autoload")

# ---------------------------------------------------------------------------
# consumer defaults
# ---------------------------------------------------------------------------

#: The consumer defaults rules reason about (3.5.4 ``huey/consumer_options.py`` ``config_defaults``, also in
#: :data:`CONSUMER_DEFAULTS`): the graceful stop signal when no ``-g`` says otherwise (before 3.4.0 the
#: only one), one worker, thread workers, periodic tasks enqueued.
DEFAULT_GRACEFUL_SIGNAL = "INT"
DEFAULT_WORKERS = 1
DEFAULT_WORKER_TYPE = "thread"
DEFAULT_PERIODIC = True
#: 3.5.4 ``huey/consumer_options.py`` ``config_defaults`` (``WORKER_THREAD`` is ``'thread'``,
#: ``huey/constants.py``); the same values are ``Consumer.__init__``'s defaults (``huey/consumer.py``).
CONSUMER_DEFAULTS: dict[str, object] = {
    "workers": DEFAULT_WORKERS,
    "worker_type": DEFAULT_WORKER_TYPE,
    "initial_delay": 0.1,
    "backoff": 1.15,
    "max_delay": 10.0,
    "check_worker_health": True,
    "health_check_interval": 10,
    "scheduler_interval": 1,
    "periodic": DEFAULT_PERIODIC,
    "logfile": None,
    "verbose": None,
    "simple_log": None,
    "flush_locks": False,
    "extra_locks": None,
    "max_tasks": None,
    "shutdown_timeout": None,
    "graceful_signal": DEFAULT_GRACEFUL_SIGNAL,
}

# ---------------------------------------------------------------------------
# tasks and task signals
# ---------------------------------------------------------------------------

#: The decorators that make a task: 3.5.4 ``huey/api.py`` ``Huey.task``, ``Huey.periodic_task``,
#: ``Huey.context_task``; ``huey/contrib/djhuey/__init__.py`` ``db_task``, ``db_periodic_task``,
#: ``on_commit_task``.  The periodic ones are :data:`PERIODIC_DECORATORS`.
TASK_DECORATORS = frozenset({"task", "periodic_task", "db_task", "db_periodic_task", "on_commit_task", "context_task"})
PERIODIC_DECORATORS = frozenset({"periodic_task", "db_periodic_task"})

#: 3.5.4 ``huey/signals.py``: constant name -> value (``@huey.signal(SIGNAL_INTERRUPTED)``).
TASK_SIGNALS = {
    "SIGNAL_CANCELED": "canceled", "SIGNAL_COMPLETE": "complete", "SIGNAL_ERROR": "error",
    "SIGNAL_EXECUTING": "executing", "SIGNAL_EXPIRED": "expired", "SIGNAL_LOCKED": "locked",
    "SIGNAL_RETRYING": "retrying", "SIGNAL_REVOKED": "revoked", "SIGNAL_SCHEDULED": "scheduled",
    "SIGNAL_INTERRUPTED": "interrupted", "SIGNAL_ENQUEUED": "enqueued", "SIGNAL_TIMEOUT": "timeout",
    "SIGNAL_RATE_LIMITED": "rate-limited",
}
#: How an application names the interrupted signal (3.5.4 ``huey/signals.py``): the constant or its value.
INTERRUPTED_SIGNAL = ("SIGNAL_INTERRUPTED", TASK_SIGNALS["SIGNAL_INTERRUPTED"])

# ---------------------------------------------------------------------------
# features by version
# ---------------------------------------------------------------------------

#: 1.4.0 ``huey/consumer.py``: SIGINT stops gracefully (``stop(graceful=True)``); 1.3.1 handled SIGTERM only.
GRACEFUL_SHUTDOWN_SINCE: Version = (1, 4, 0)
#: 2.0.0 ``huey/contrib/djhuey/__init__.py``: ``huey_config['immediate'] = settings.DEBUG``
#: (1.11.0 set ``always_eager``).
DJHUEY_IMMEDIATE_SINCE: Version = (2, 0, 0)
#: 2.1.1 ``huey/serializer.py`` ``class SignedSerializer`` (absent from 2.1.0).
SIGNED_SERIALIZER_SINCE: Version = (2, 1, 1)
#: 2.3.1 ``huey/signals.py`` ``SIGNAL_INTERRUPTED`` (absent from 2.3.0).
INTERRUPTED_SIGNAL_SINCE: Version = (2, 3, 1)
#: 0.4.9, the last release before 1.0.0: ``huey/api.py`` ``Huey.__init__(self, queue, result_store=None, ...)``
#: takes queue objects of ``huey/backends/`` and Django support is ``huey/djhuey/``; 1.0.0 replaced both
#: (``huey/storage.py``, ``huey/contrib/djhuey/``).  Code importing them runs huey 0.4.9 at most.
BEFORE_1_0_NEWEST: Version = (0, 4, 9)
#: The packages of 0.4.9 that 1.0.0 removed: ``huey/backends/``, ``huey/djhuey/``.
BEFORE_1_0_MODULES = ("huey.backends", "huey.djhuey")
#: 3.0.0 ``setup.py``: the ``huey_consumer`` console script replaced the installed ``huey/bin/huey_consumer.py``
#: script (2.6.0: ``scripts=['huey/bin/huey_consumer.py']``).
CONSUMER_SCRIPT_DROPPED: Version = (3, 0, 0)
#: The programs that run the consumer: the console script and (before 3.0.0) the installed script.
CONSUMER_SCRIPTS = ("huey_consumer", "huey_consumer.py")
#: The module of both (``huey/bin/huey_consumer.py``), run by ``python -m huey.bin.huey_consumer``; its
#: ``consumer_main()`` is the console script's entry point.
CONSUMER_MODULE = "huey.bin.huey_consumer"
#: huey's consumer class as imported (3.5.4 ``huey/consumer.py`` ``Consumer``; ``huey/__init__.py`` imports it
#: too): ``Consumer(huey, ...).run()`` runs a consumer, and so does a subclass of it.
CONSUMER_CLASSES = ("huey.consumer.Consumer", "huey.Consumer")


def handles_signals(member: str) -> bool:
    """Does a ``Consumer`` subclass member named ``member`` replace huey's stop-signal handling?  3.3.0
    ``huey/consumer.py`` installs and handles the signals in ``_set_signal_handlers``, ``_handle_stop_signal``,
    ``_handle_interrupt_signal_gevent``, ``_handle_restart_signal``, ``_set_child_signal_handlers`` and
    ``_handle_stop_signal_worker``; 3.4+ maps them in ``_signal_actions``: every such name says "signal"."""
    return "signal" in member.lower()


#: The Django management commands that run a consumer: djhuey's ``manage.py run_huey`` (3.5.4
#: ``huey/contrib/djhuey/management/commands/run_huey.py``) and django-huey's ``djangohuey``
#: (``django_huey/management/commands/djangohuey.py``); ``Launch.program`` of a Django launch.
DJANGO_COMMANDS = ("run_huey", "djangohuey")
#: The installed apps each Django command comes from, the current one first: Django finds a management command
#: only in the ``management/commands/`` folder of an app INSTALLED_APPS lists (Django 5.2
#: ``django/core/management/__init__.py`` ``get_commands``: ``django.core`` and ``apps.get_app_configs()``),
#: else ``manage.py run_huey`` exits with "Unknown command: 'run_huey'".  Before 1.0.0, ``run_huey`` came from
#: ``huey.djhuey`` (0.4.9 ``huey/djhuey/management/commands/run_huey.py``, see :data:`BEFORE_1_0_MODULES`).
DJANGO_COMMAND_APPS = {"run_huey": ("huey.contrib.djhuey", "huey.djhuey"), "djangohuey": ("django_huey",)}
#: The other management commands huey's Django integrations provide, none of which starts a consumer: 3.5.4
#: ``huey/contrib/djhuey/management/commands/`` holds ``run_huey.py`` and ``create_huey_tables.py`` (it creates the
#: SQL storage's tables, CHANGELOG 2.x); django-huey 1.3.1 ``django_huey/management/commands/`` holds only
#: ``djangohuey.py``.  Any other command named for huey comes from the project or another installed package.
DJANGO_OTHER_COMMANDS = ("create_huey_tables",)
#: Every ``Launch.program`` whose command line takes huey's consumer options.
CONSUMER_PROGRAMS = ("huey_consumer", *DJANGO_COMMANDS)
#: One of :data:`CONSUMER_PROGRAMS` written as a word of a text (``huey_consumer.py``, ``manage.py run_huey``).
CONSUMER_WORD = lazy_pattern(r"\b(?:" + "|".join(CONSUMER_PROGRAMS) + r")\b")
#: 3.4.0 ``huey/api.py`` ``Huey.lock_task(self, lock_name, ttl=None)`` (3.3.4: no ``ttl``).
LOCK_TTL_SINCE: Version = (3, 4, 0)

# ---------------------------------------------------------------------------
# Django: djhuey (huey.contrib.djhuey) and django-huey
# ---------------------------------------------------------------------------

#: The Django integrations: huey's own djhuey (``huey/contrib/djhuey/__init__.py``, settings ``HUEY``) and the
#: django-huey package (1.3.1 ``django_huey/__init__.py``, settings ``DJANGO_HUEY``, several queues).
DJANGO_MODULES = ("huey.contrib.djhuey", "django_huey")
#: 3.5.4 ``huey/contrib/djhuey/__init__.py``: ``default_backend_path = 'huey.RedisHuey'``, the class a
#: ``HUEY`` dict without ``huey_class`` gets (django-huey 1.3.1 ``django_huey/config.py``: the same).
DJHUEY_DEFAULT_CLASS = "RedisHuey"
#: 3.5.4 ``huey/contrib/djhuey/__init__.py``: the ``HUEY`` dict keys djhuey takes out before calling the
#: class (``huey_class`` picks it, ``connection`` is merged over the other keys, ``consumer`` is the
#: ``run_huey`` options); ``name`` is popped too but passed on as the class's ``name``; every other key
#: is a keyword of the class.  django-huey 1.3.1 ``django_huey/config.py`` ``_configure_instance`` does the
#: same for each queue (and still renames a ``backend_class`` key to ``huey_class``).
DJHUEY_SPECIAL_KEYS = ("consumer", "connection", "huey_class")
