"""Rules on the huey app read from Python sources: HL002 (Django consumer keys), HL003, HL105, HL303-HL305,
HL401-HL408, HL601.

Two scopes, on purpose.  Rules about code that is wrong wherever it runs (HL305 lock order, HL401
``immediate=True``, HL403 literal secrets, HL407, HL408) read every module of the deployed code
(:class:`~hueylint.pyapp.link.Repo`: tests and fixtures excluded), so a library gets them too.
Rules that depend on how the app is run (results kept, storage reached from another process, locks
and flags, greenlets, interrupted tasks) need a launch that runs the app
(:func:`~hueylint.pyapp.link.app_for`) and stay silent otherwise.
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

from hueylint.checks import Context, check, fixing
from hueylint.findings import SAFE, UNSAFE, Finding, Fix, Related, Severity
from hueylint.model import HueyVersion, Launch, Loc, Project, Val
from hueylint.pyapp.facts import (
    ENVIRONMENT,
    LITERAL,
    DjangoHueySetting,
    HueyArgs,
    HueyConfig,
    HueyInstance,
    env_var,
    is_debug,
)
from hueylint.pyapp.link import App, apps_of, is_dev_settings, repo_of

NETWORK_CLASSES = frozenset({"RedisHuey", "RedisExpireHuey", "PriorityRedisHuey", "PriorityRedisExpireHuey",
                             "PostgresHuey", "Huey"})
EXPIRING = frozenset({"RedisExpireHuey", "PriorityRedisExpireHuey"})
IN_MEMORY = frozenset({"MemoryHuey", "BlackHoleHuey"})
LOCAL_FILES = frozenset({"SqliteHuey", "CySqliteHuey", "FileHuey", "SqlHuey"})
SIGNED_SERIALIZER_SINCE = (2, 1, 1)  # huey's first release with SignedSerializer (HL402's fix)
INTERRUPTED_SIGNAL_SINCE = (2, 3, 1)  # huey's first release emitting SIGNAL_INTERRUPTED (HL105's recipe)


def _consumer_loc(launch: Launch) -> Loc:
    consumer = launch.facts.get("consumer.loc")
    return consumer.loc if consumer is not None and consumer.loc.path else launch.loc


def _what(launch: Launch) -> str:
    """``compose `worker```; a development launch says why it is one (``(development: ...)``)."""
    what = f"{launch.platform} `{launch.name}`" if launch.name else launch.platform
    dev = launch.facts.get("dev") if launch.dev else None
    return f"{what} (development: {dev.value})" if dev is not None else what


def app_version(project: Project, app: App) -> HueyVersion:
    """The huey an app runs: the dependency files nearest to its entry module; else the oldest huey
    its launches run (their service folders); else the repository-wide version."""
    nearest = project.nearest_version(app.entry.rel) if app.entry is not None else None
    if nearest is not None or project.huey_version.basis == "configured":
        return project.version_for(app.entry.rel if app.entry is not None else None)
    launched = [launch.huey_version for launch in app.launches if launch.huey_version.value is not None]
    return min(launched, key=lambda version: version.value or ()) if launched else project.huey_version


def _running(project: Project) -> list[App]:
    """Apps some launch runs (dev-only launches included: the code is still run by a consumer)."""
    return [app for app in apps_of(project) if app.launches]


def _judged(project: Project) -> list[App]:
    """Apps whose configuration is judged: those some launch runs, and Django settings without a launch in
    the tree (their consumer is started elsewhere, e.g. on the hosting platform)."""
    return [app for app in apps_of(project) if app.launches or app.kind == "django"]


def _settings_configs(project: Project) -> Iterable[tuple[str, HueyConfig, Loc, DjangoHueySetting]]:
    """Every ``HUEY`` dict / django-huey queue dict of the deployed settings modules, with its setting."""
    for facts in repo_of(project).settings_modules():
        for setting in facts.django_settings:
            if setting.config is not None:
                yield facts.rel, setting.config, setting.loc, setting
            for config in setting.queues.values():
                yield facts.rel, config, config.loc, setting


def _all_args(project: Project) -> Iterable[tuple[str, HueyArgs, Loc, str]]:
    """(rel, arguments, where, description) of every Huey instance and settings dict of the deployed code."""
    for facts in repo_of(project).modules.values():
        for inst in facts.instances:
            yield facts.rel, inst, inst.loc, f"`{inst.written_class}(...)`"
        for setting in facts.django_settings:
            if setting.instance is not None and setting.instance not in facts.instances:
                yield facts.rel, setting.instance, setting.instance.loc, f"`{setting.instance.written_class}(...)`"
    for rel, config, loc, _setting in _settings_configs(project):
        yield rel, config, loc, "the `HUEY` settings dict"


# -- HL002: Django consumer settings keys --------------------------------------------------------


@check("HL002")
def consumer_settings_keys(project: Project, ctx: Context) -> Iterable[Finding]:
    from hueylint.consumer_cli import check_config_keys

    for rel, config, _loc, _setting in _settings_configs(project):
        if not config.consumer:
            continue
        keys = {key: val.loc for key, val in config.consumer.items()}
        for problem in check_config_keys(keys, project.version_for(rel)):
            yield Finding("HL002", f"HUEY['consumer']: {problem.message}. Fix: use a ConsumerConfig key "
                          "(`workers`, `worker_type`, `periodic`, `flush_locks`, ...) or remove it", problem.loc)


# -- HL003 ---------------------------------------------------------------------------------------


@check("HL003")
def unresolved_app(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        why = launch.facts.get("app.unresolved")
        if why is None or launch.app is None:
            continue
        yield Finding("HL003", f"{_what(launch)} runs `{launch.app.value}`, but {why.value}: the consumer exits "
                      "at start with an import error. Fix: point the consumer at the module and variable that "
                      "hold the Huey instance (`package.module.huey`), relative to its working directory",
                      why.loc)


# -- HL105 ---------------------------------------------------------------------------------------


@check("HL105")
def interrupted_not_reenqueued(project: Project, ctx: Context) -> Iterable[Finding]:
    repo = repo_of(project)
    for app in _running(project):
        if not app.tasks or app.loc is None or not app_version(project, app).at_least(*INTERRUPTED_SIGNAL_SINCE):
            continue
        if any(h.handles_interrupted for h in app.signal_handlers):
            continue
        elsewhere = [h for facts in repo.modules.values() if facts.rel not in app.modules
                     for h in facts.signal_handlers if h.handles_interrupted]
        if any(_in_package(h.loc.path or "", app.packages) for h in elsewhere):
            continue  # an installed Django app's module: Django may import it (AppConfig.ready) unseen
        if elsewhere and not app.complete:
            continue  # the consumer may import it through a path hueylint did not follow
        working = [launch for launch in app.launches if launch.runs_tasks]  # `-w 0` executes no task
        if not working:
            continue
        launches = [launch for launch in working if not launch.dev] or working
        paas = [launch for launch in launches if launch.paas]
        where = ", ".join(f"{_what(launch)} ({_consumer_loc(launch)})" for launch in launches[:3])
        extra = ""
        if elsewhere:
            extra = (f" (the handler in {elsewhere[0].loc.path} is in a module the consumer does not import, so "
                     "it never runs there)")
        platform = " On a PaaS every deploy and daily restart stops the consumer." if paas else ""
        message = (f"the huey app run by {where} registers no SIGNAL_INTERRUPTED handler{extra}: a task still "
                   "running when the shutdown timeout or the kill deadline expires is lost, never retried."
                   f"{platform} Fix: register `@huey.signal(SIGNAL_INTERRUPTED)` in a module the consumer imports "
                   "and re-enqueue the task there (`huey.enqueue(task)`; make tasks idempotent)")
        related = [Related(_consumer_loc(launch), "consumer launch") for launch in launches]
        related += [Related(h.loc, "handler not imported by the consumer") for h in elsewhere[:1]]
        yield Finding("HL105", message, app.loc, severity=Severity.ERROR if paas else None, related=related)


# -- HL303 / HL304 / HL305: locks ----------------------------------------------------------------


def _flag_known(launch: Launch) -> bool:
    """The launch's flush options are all known (an unknown `-f`/`-L` or settings dict: stay silent)."""
    for key in ("flush_locks", "extra_locks"):
        val = launch.options.get(key)
        if val is not None and not val.known:
            return False
    return launch.facts.get("consumer.settings_incomplete") is None


def _ttl_set(lock: Any) -> bool:
    return lock.ttl is not None and not (lock.ttl.known and lock.ttl.value is None)


def _lock_text(lock: Any) -> str:
    """The lock as written: ``lock_task('x')``, ``lock_task(dataset)``, ``lock_task(f"import-{key}")``."""
    return f"lock_task({lock.name_text})" if lock.name_text else "lock_task"


def _late(lock: Any) -> bool:
    """A lock created when its code first runs (``with huey.lock_task(...)`` in a function): unknown to ``-f``."""
    return not lock.import_time and lock.form != "decorator"


@check("HL303")
def lock_without_flush(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        unflushed = [launch for launch in app.launches
                     if launch.runs_tasks and _flag_known(launch) and not launch.flushes_locks]
        if not unflushed:
            continue
        for lock in app.locks:
            if _ttl_set(lock) or (_late(lock) and lock.computed):
                continue  # a computed context-lock name is HL304's: neither -f nor -L can flush it
            ttl = " or give it `ttl=` (huey 3.4+, Redis storages)" if app_version(project, app).at_least(3, 4) else ""
            flag = f"`-L {lock.name.value}` (it implies `-f`)" if _late(lock) and lock.name is not None else "`-f`"
            launch = next((item for item in unflushed if not item.dev), unflushed[0])  # name a production one
            yield Finding(
                "HL303",
                f"`{_lock_text(lock)}` has no `ttl=` and {_what(launch)} ({_consumer_loc(launch)}) starts the "
                "consumer without `-f/--flush-locks`: a consumer killed while the task holds the lock leaves it held "
                f"forever, and every later run fails with TaskLockedException. Fix: start the consumer with {flag}"
                f"{ttl}",
                lock.loc, related=[Related(_consumer_loc(other), "consumer without -f") for other in unflushed],
                fix=_flush_fix(app, unflushed, ctx, ["-L", lock.name.value] if _late(lock) and lock.name is not None
                               else ["-f"]))


def _flush_fix(app: Any, unflushed: list[Launch], ctx: Context, words: list[str]) -> Fix | None:
    """`-f` (or `-L name`) added to every consumer command without it; unsafe when several consumers share
    the storage (one starting flushes the locks another one's running task holds)."""
    single = len(app.launches) == 1 and app.launches[0].instances.known and app.launches[0].instances.value == 1
    return fixing.all_of(f"add `{' '.join(words)}` to the consumer command",
                         [fixing.command_fix(launch, ctx, words, "") for launch in unflushed], SAFE if single else UNSAFE)


def _extra_locks(launch: Launch) -> set[str] | None:
    val = launch.options.get("extra_locks")
    if val is None:
        return set()
    if not val.known or not isinstance(val.value, str):
        return None
    return {name.strip() for name in val.value.split(",") if name.strip()}


@check("HL304")
def context_lock_not_flushed(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        for lock in app.locks:
            if not _late(lock) or _ttl_set(lock):
                continue
            if lock.computed:
                yield from _computed_lock(project, app, lock)
                continue
            missing = []
            for launch in app.launches:
                extra = _extra_locks(launch)
                if extra is None or not launch.runs_tasks or not _flag_known(launch) or not launch.flushes_locks:
                    continue  # unknown flags, or no flush at all (HL303)
                if lock.name.value not in extra:
                    missing.append(launch)
            if not missing:
                continue
            launch = missing[0]
            name = lock.name.value
            yield Finding(
                "HL304",
                f"`with ...{_lock_text(lock)}` is only known to huey after it first runs, so `-f` on "
                f"{_what(launch)} ({_consumer_loc(launch)}) does not flush it at start: a lock left by a killed "
                f"consumer stays held. Fix: add `-L {name}` (`--extra-locks`) to the consumer",
                lock.loc, related=[Related(_consumer_loc(other), "consumer with -f but without -L") for other in missing],
                fix=_extra_locks_fix(missing, ctx, name))


def _extra_locks_fix(missing: list[Launch], ctx: Context, name: str) -> Fix | None:
    """`-L name` added to each consumer command, or `,name` appended to the `-L` it has."""
    fixes = []
    for launch in missing:
        val = launch.options.get("extra_locks")
        fixes.append(fixing.command_fix(launch, ctx, ["-L", name], "") if val is None
                     else fixing.option_value_fix(val, ctx, f"{val.value},{name}", ""))
    return fixing.all_of(f"add `{name}` to `-L`", fixes)


def _computed_lock(project: Project, app: App, lock: Any) -> Iterable[Finding]:
    """A context lock whose name is computed at run time: no consumer flag can flush it."""
    launches = [launch for launch in app.launches if launch.runs_tasks and _flag_known(launch)]
    if not launches:
        return
    launch = next((item for item in launches if not item.dev), launches[0])
    ttl = "give it `ttl=` (huey 3.4+, Redis storages) or " if app_version(project, app).at_least(3, 4) else ""
    yield Finding(
        "HL304",
        f"`{_lock_text(lock)}` takes a lock whose name is computed at run time: `-f` flushes only the locks known "
        f"when the consumer starts and `-L` cannot list this one, so a consumer of {_what(launch)} "
        f"({_consumer_loc(launch)}) killed while it is held leaves it held forever, and every later run with that "
        f"name fails with TaskLockedException. Fix: {ttl}delete these locks at consumer start (an "
        "`@huey.on_startup()` hook)",
        lock.loc, related=[Related(_consumer_loc(other), "consumer") for other in launches])


@check("HL305")
def lock_decorator_above_task(project: Project, ctx: Context) -> Iterable[Finding]:
    for facts in repo_of(project).modules.values():
        for lock in facts.locks:
            if not lock.above_task:
                continue
            related = [Related(lock.task_loc, "the task decorator")] if lock.task_loc else []
            yield Finding(
                "HL305",
                f"`@lock_task` on `{lock.function}` is written above the task decorator: it wraps the call that "
                "enqueues the task, not the task's execution, so runs can overlap. Fix: put `@lock_task(...)` below "
                "`@huey.task()`/`@huey.periodic_task(...)`, directly above the function",
                lock.loc, related=related, fix=fixing.swap_lines_fix(ctx, lock.loc, lock.task_loc, "swap the decorators")
                if lock.task_loc else None)


# -- HL401 immediate mode ------------------------------------------------------------------------


def _immediate_true(val: Val[Any] | None) -> bool:
    return val is not None and val.known and val.value is True


@check("HL401")
def immediate_mode(project: Project, ctx: Context) -> Iterable[Finding]:
    fix = ("Fix: remove `immediate=True` from the production configuration (use it only in tests or "
           "development settings)")
    for facts in repo_of(project).modules.values():
        if is_dev_settings(facts.rel):
            continue
        for inst in facts.instances:
            if not _immediate_true(inst.immediate) or (inst.conditional and inst.dev_branch is True):
                continue  # `if DEBUG: huey = MemoryHuey(immediate=True)` is development
            assert inst.immediate is not None
            storage = _instance_storage(inst)
            yield Finding("HL401", storage.when(
                f"`{inst.written_class}(immediate=True)`: tasks run inline in the caller and use in-memory storage, "
                "and a consumer refuses to start. " + fix), inst.immediate.loc, severity=storage.severity,
                fix=fixing.literal_false_fix(ctx, inst.immediate.loc, "`immediate=False`"))
        for assign in facts.immediate_assignments:
            if not _immediate_true(assign.value) or (assign.conditional and assign.dev_branch is True):
                continue  # `if settings.DEBUG: huey.immediate = True` is development
            branch = _Storage(None, HueyArgs(), assign.loc, assign.branch if assign.conditional else "",
                              assign.dev_branch is False)
            yield Finding("HL401", branch.when(
                f"`{assign.target}.immediate = True`: tasks run inline in the caller and use in-memory storage, and a "
                "consumer refuses to start. " + fix), assign.loc, severity=branch.severity,
                fix=fixing.literal_false_fix(ctx, assign.loc, "`immediate = False`"))
    repo = repo_of(project)
    for rel, config, _loc, setting in _settings_configs(project):
        if is_dev_settings(rel) or not _immediate_true(config.immediate) or setting.dev_branch is True:
            continue  # development settings, or `if DEBUG: HUEY = {...}`
        assert config.immediate is not None
        branch = _Storage(None, config, config.loc, setting.branch if setting.conditional else "",
                          setting.dev_branch is False)
        if rel in repo.untracked_overrides:
            finding = _untracked_override(rel, repo.untracked_overrides[rel], config.immediate.loc)
            finding.fix = fixing.literal_false_fix(ctx, config.immediate.loc, "`'immediate': False`")
            yield finding
        elif rel not in repo.overridable:  # else a settings module star-importing this one replaces HUEY
            yield Finding("HL401", branch.when("`HUEY = {'immediate': True}`: tasks run inline in the web process "
                          "and `run_huey` refuses to start. " + fix), config.immediate.loc, severity=branch.severity,
                          fix=fixing.literal_false_fix(ctx, config.immediate.loc, "`'immediate': False`"))
    reported: set[Loc] = set()
    for app in _judged(project):
        if not app_version(project, app).at_least(2):
            continue  # before huey 2.0 djhuey had `always_eager`, not `immediate` bound to DEBUG
        for inst in app.judged_instances:
            val = inst.immediate
            if val is None or val.known or not (is_debug(val) or env_var(val)) or val.loc in reported:
                continue
            reported.add(val.loc)
            yield Finding("HL401", _instance_storage(inst).when(
                f"`{inst.written_class}(immediate=...)` is {_bound(val)}: with a true value tasks run inline in the "
                "caller with in-memory storage and a consumer refuses to start. Fix: pass `immediate=False` (or "
                "nothing) in production and turn it on only in tests"), val.loc, severity=Severity.WARNING)
        for facts in app.modules.values():
            for assign in facts.immediate_assignments:
                val = assign.value
                if val.known or not (is_debug(val) or env_var(val)) or assign.dev_branch is True \
                        or assign.in_function or assign.loc in reported:
                    continue
                reported.add(assign.loc)
                yield Finding("HL401", f"`{assign.target}.immediate` is {_bound(val)}: with a true value tasks run "
                              "inline in the caller with in-memory storage and a consumer refuses to start. Fix: "
                              "set it only in tests", assign.loc, severity=Severity.WARNING)
        if app.kind != "django" or app.config is None:
            continue
        config = app.config
        branch = next(iter(_storages(app)), _Storage(None, config, config.loc))
        if config.immediate is not None and not config.immediate.known:
            yield Finding("HL401", branch.when(
                f"`HUEY['immediate']` is {_bound(config.immediate)}: with a true value tasks run inline and "
                "`run_huey` refuses to start. Fix: set `'immediate': False` explicitly in production settings"),
                config.immediate.loc, severity=Severity.WARNING)
        elif config.immediate_missing and app.setting is not None and app.setting.name == "HUEY":
            yield Finding("HL401", branch.when(
                "the `HUEY` dict has no `'immediate'` key, so djhuey uses `settings.DEBUG`: with DEBUG on, tasks run "
                "inline in memory and `run_huey` refuses to start. Fix: add `'immediate': False`"), config.loc,
                severity=Severity.WARNING,
                fix=fixing.dict_key_fix(ctx, config.loc, "immediate", "False", "add `'immediate': False`"))


def _bound(val: Val[Any]) -> str:
    if is_debug(val):
        return "bound to DEBUG"
    var = env_var(val)
    return f"read from environment variable `{var}`" if var else "computed at run time"


def _untracked_override(rel: str, override: tuple[str, str], loc: Loc) -> Finding:
    """Committed settings turn immediate mode on; only a module absent from the repository turns it off."""
    module, template = override
    template = f" (`{template}` is only a template: nothing imports it)" if template else ""
    return Finding(
        "HL401", f"`HUEY = {{'immediate': True}}` is committed in {rel}, and only `{module}`, a module that is not in "
        f"the repository (an untracked override star-imported after it), can turn immediate mode off{template}: a "
        "deployment without that file runs tasks inline in the web process and `run_huey` refuses to start. Fix: "
        "set `'immediate': False` in the committed settings and turn it on only in development settings",
        loc, severity=Severity.WARNING)


# -- HL402 / HL403: serializer and secrets --------------------------------------------------------


class _Storage(NamedTuple):
    """One storage the app may run with: the Huey class, its arguments, where it is defined, and the if/try
    branch that defines it ("" when unconditional)."""

    cls: Val[str] | None
    args: HueyArgs
    loc: Loc
    branch: str = ""
    production: bool = False  # the branch's condition looks like production

    @property
    def severity(self) -> Severity | None:
        """A branch's storage is judged at warning level: it may not be the one that runs."""
        return Severity.WARNING if self.branch else None

    def when(self, message: str) -> str:
        """``message`` prefixed with the condition under which this storage is the app's."""
        branch = self.branch
        if not branch:
            return message
        if branch.startswith("if "):
            where = f"when `{branch[3:]}` holds"
        elif branch.startswith("else of `if "):
            where = f"when `{branch[len('else of `if '):-1]}` does not hold"
        elif branch.startswith("except"):
            where = f"when the module's `try` fails (`{branch}`)"
        elif branch == "try":
            where = "when the module's `try` block succeeds"
        else:
            where = f"in the `{branch}` that defines it"
        label = "the production-looking definition" if self.production else "one of the app's definitions"
        return f"{where} ({label}), {message}"


def _instance_storage(inst: HueyInstance) -> _Storage:
    branch = inst.branch if inst.conditional else ""
    return _Storage(Val(inst.class_name, inst.loc), inst, inst.loc, branch, inst.dev_branch is False)


def _storages(app: App) -> list[_Storage]:
    """The storages to judge: each instance the consumer may run outside development-looking branches, else
    the Django settings dict."""
    if app.instances:
        return [_instance_storage(inst) for inst in app.judged_instances]
    if app.config is not None:
        setting = app.setting
        branch = setting.branch if setting is not None and setting.conditional else ""
        production = setting is not None and setting.dev_branch is False
        return [_Storage(app.huey_class, app.config, app.config.loc, branch, production)]
    return []


def _in_package(path: str, packages: list[str]) -> bool:
    return any(path.startswith(f"{folder}/") for folder in packages if folder)


_LOOPBACK_NAMES = ("", "localhost", "localhost.localdomain", "::1", "0:0:0:0:0:0:0:1")


def _host_of(text: str) -> str:
    """The host a storage value names: a URL's host, a DSN's ``host=``, else the value itself."""
    from urllib.parse import urlsplit

    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            return text
        return "localhost" if parts.scheme.startswith("unix") else (parts.hostname or "")
    if "=" in text:
        for word in text.split():
            key, _, value = word.partition("=")
            if key == "host":
                return value.strip("'\"")
        return ""
    return text


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host.startswith("/")


def _service_named(app: App, host: str) -> str | None:
    """``the compose service `redis``` when a launch's compose project or Kubernetes unit has a service of
    that name (``redis.ns.svc.cluster.local`` included): storage every container reaches over the network."""
    first = host.split(".", 1)[0].lower()
    for launch in app.launches:
        peers = launch.facts.get("compose.services")
        if peers is not None and isinstance(peers.value, dict) and host in peers.value:
            return f"the compose service `{host}`"
        services = launch.facts.get("kubernetes.services")
        if services is not None and isinstance(services.value, dict):
            if host in services.value or (first in services.value and ".svc" in host):
                name = host if host in services.value else first
                return f"the Kubernetes Service `{name}` ({services.value[name]})"
    return None


def _launch_env_host(app: App, var: str | None) -> tuple[str, str] | None:
    """(host, where) when every launch of the app sets ``var`` to one known value; None otherwise."""
    from hueylint.platforms.envvars import env_of

    if not var or var == "?" or not app.launches:
        return None
    found = [env_of(launch).get(var) for launch in app.launches]
    if any(val is None or not val.known or not isinstance(val.value, str) for val in found):
        return None
    if len({val.value for val in found if val is not None}) != 1:
        return None
    first = found[0]
    assert first is not None
    return _host_of(str(first.value)), first.where()


def _network_reason(app: App, cls: Val[str] | None, args: HueyArgs) -> str | None:
    if cls is None or not cls.known or cls.value not in NETWORK_CLASSES:
        return None
    if cls.value == "Huey" and args.storage_class is not None:
        sc = str(args.storage_class.value or "")
        if not any(word in sc for word in ("Redis", "Postgres")):
            return None
    for location in args.storage:
        if location.kind == LITERAL:
            host = location.host or str(location.value.value)
            service = _service_named(app, host)
            return f"`{location.key}` points at `{host}`" + (f", {service}" if service else "")
        if location.kind == ENVIRONMENT:
            var = env_var(location.value)
            launch_host = _launch_env_host(app, var)
            if launch_host is not None and _is_loopback(launch_host[0]):
                continue  # every launch sets it to a loopback address: storage local to the process' host
            if launch_host is not None:
                service = _service_named(app, launch_host[0])
                return (f"`{location.key}` comes from environment variable `{var}`, set to host `{launch_host[0]}` "
                        f"({launch_host[1]})" + (f", {service}" if service else ""))
            return f"`{location.key}` comes from environment variable `{var}`"
    return None  # loopback, the default localhost, or not knowable: no claim


@check("HL402")
def unsigned_serializer(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _judged(project):
        if not app_version(project, app).at_least(*SIGNED_SERIALIZER_SINCE):
            continue  # SignedSerializer, the fix, exists since huey 2.1.1
        for storage in _storages(app):
            args = storage.args
            if not args.complete or (args.serializer is not None and args.serializer.signed is not False):
                continue
            reason = _network_reason(app, storage.cls, args)
            if reason is None:
                continue
            yield Finding("HL402", storage.when(
                f"the huey storage is reached over the network ({reason}) and messages are unsigned pickles: whoever "
                "can write to the queue runs code in the consumer. Fix: pass `serializer=SignedSerializer(secret=...)` "
                "with a secret read from the environment"), storage.loc, severity=storage.severity,
                related=[Related(_consumer_loc(launch), "consumer") for launch in app.launches[:3]])


@check("HL403")
def hardcoded_secret(project: Project, ctx: Context) -> Iterable[Finding]:
    seen: set[tuple] = set()
    for rel, args, _loc, what in _all_args(project):
        found = []
        if args.serializer is not None and args.serializer.secret_literal and args.serializer.secret is not None:
            found.append((args.serializer.secret.loc, "the `SignedSerializer` secret"))
        for password in args.passwords:
            found.append((password.loc, "a storage password"))
        for loc, kind in found:
            key = (loc.path, loc.line, kind)
            if key in seen:
                continue
            seen.add(key)
            yield Finding("HL403", f"{kind} of {what} is written in the source ({rel}): anyone with read access "
                          "to the repository can sign tasks or reach the queue. Fix: read it from the environment "
                          "or a secrets manager", loc)


# -- HL404 unbounded results ---------------------------------------------------------------------


@check("HL404")
def unbounded_results(project: Project, ctx: Context) -> Iterable[Finding]:
    repo = repo_of(project)
    calls = [(facts, call) for facts in repo.modules.values() for call in facts.task_calls if call.method != "s"]
    for app in _judged(project):
        storage = next((item for item in _storages(app) if _keeps_results(item)), None)
        if storage is None:
            continue
        cls = storage.cls
        assert cls is not None
        for facts in app.modules.values():
            for task in facts.tasks:
                if task.periodic or not task.returns_value:
                    continue
                # call sites of this task, matched by import path (views.py: `from .tasks import send_email`);
                # a call of the same name that cannot be tied to it (a re-export, another module's function)
                # and reads its result keeps the rule silent: the task may be that one
                sites = [c for caller, c in calls if _calls_task(caller, c, facts.rel, task.name)]
                namesakes = [c for _caller, c in calls if c.target.rsplit(".", 1)[-1] == task.name]
                if not sites or any(c.result_used for c in sites) or any(c.result_used for c in namesakes):
                    continue
                yield Finding(
                    "HL404", storage.when(
                        f"task `{task.name}` returns a value, but no call site reads its result ({len(sites)} call(s) "
                        f"drop the Result) and {cls.value} keeps results until they are read: the storage grows "
                        "without bound. Fix: return None, pass `results=False` to the Huey instance, or use "
                        "RedisExpireHuey"), task.return_loc or task.def_loc, severity=storage.severity,
                    related=[Related(c.loc, "result dropped") for c in sites[:3]])


def _keeps_results(storage: _Storage) -> bool:
    """The storage keeps every result until it is read (results on, not expiring, not in memory)."""
    cls, args = storage.cls, storage.args
    if cls is None or not cls.known or cls.value in EXPIRING | IN_MEMORY or not args.complete:
        return False
    return args.results is None or (args.results.known and args.results.value is True)


def _calls_task(caller: Any, call: Any, task_rel: str, task_name: str) -> bool:
    """True when ``call`` (in module ``caller``) calls the task ``task_name`` defined in ``task_rel``."""
    from hueylint.pyapp.resolve import resolve_import

    if call.local:
        return call.target == task_name and call.loc.path == task_rel
    absolute = resolve_import(caller.module, caller.rel.endswith("__init__.py"), call.target)
    module, _, name = absolute.rpartition(".")
    if name != task_name or not module:
        return False
    stem = task_rel[:-3] if task_rel.endswith(".py") else task_rel
    stem = stem[:-len("/__init__")] if stem.endswith("/__init__") else stem
    path = module.replace(".", "/")
    return stem == path or stem.endswith(f"/{path}")


# -- HL405 / HL406: storage the consumer cannot share ---------------------------------------------


@check("HL405")
def non_persistent_storage(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        for storage in _storages(app):
            cls = storage.cls
            if cls is None or not cls.known or cls.value not in IN_MEMORY:
                continue
            launches = [launch for launch in app.launches if not launch.dev] or app.launches
            launch = launches[0]
            yield Finding("HL405", storage.when(
                f"the app uses `{cls.value}`, but {_what(launch)} ({_consumer_loc(launch)}) runs a separate consumer "
                "process: in-memory storage is private to each process, so the consumer never sees the tasks the "
                "application enqueues. Fix: use RedisHuey, SqliteHuey (one host) or another persistent storage"),
                cls.loc, severity=storage.severity,
                related=[Related(_consumer_loc(other), "separate consumer") for other in launches])


def _db_path(app: App, args: HueyArgs, launch: Launch) -> str | None:
    for location in args.storage:
        if location.key in ("filename", "path") and location.kind == LITERAL and isinstance(location.value.value, str):
            path = location.value.value
            if path.startswith("/"):
                return path
            workdir = launch.workdir
            if workdir is not None and workdir.known and isinstance(workdir.value, str) and workdir.value.startswith("/"):
                return f"{workdir.value.rstrip('/')}/{path}"
            return None
    return None  # the default 'huey.db' lives in a working directory hueylint cannot place


def _covered(path: str, mounts: Iterable[tuple[str, str]]) -> bool:
    folder = path.rsplit("/", 1)[0] or "/"
    for _source, target in mounts:
        target = target.rstrip("/") or "/"
        if folder == target or folder.startswith(target + "/"):
            return True
    return False


@check("HL406")
def local_storage_across_containers(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        for storage in _storages(app):
            yield from _local_storage(app, storage)


def _local_storage(app: App, storage: _Storage) -> Iterable[Finding]:
    cls, args, loc = storage.cls, storage.args, storage.loc
    if cls is None or not cls.known or cls.value not in LOCAL_FILES:
        return
    for launch in app.launches:
        if launch.platform not in ("compose", "kubernetes"):
            continue
        path = _db_path(app, args, launch)
        if path is None:
            continue
        key = "compose.volumes" if launch.platform == "compose" else "kubernetes.volumeMounts"
        mounts = launch.facts.get(key)
        if mounts is not None and not mounts.known:
            continue
        own = list(mounts.value) if mounts is not None and mounts.value else []
        producer = _producer_without_volume(launch, path, _covered(path, own))
        if producer is not None:
            yield Finding("HL406", storage.when(
                f"{cls.value} keeps the queue in `{path}`, but service `{producer}` runs the same image as "
                f"{_what(launch)} without {'that volume' if _covered(path, own) else 'a shared volume there'}: the "
                "application there enqueues into its own copy of the database, which the consumer never reads. "
                "Fix: mount one shared volume at the database folder in every container of the image, or use "
                "Redis/Postgres"), loc, severity=storage.severity,
                related=[Related(_consumer_loc(launch), "consumer container")])
            continue
        if _covered(path, own):
            continue
        instances = launch.instances
        several = instances.known and (instances.value == "scalable" or (
            isinstance(instances.value, int) and not isinstance(instances.value, bool) and instances.value > 1))
        peers = launch.facts.get("compose.services")
        sharing = []
        if peers is not None and peers.known and isinstance(peers.value, dict):
            sharing = [name for name, vols in peers.value.items() if _covered(path, vols)]
        if not several and not sharing:
            continue
        why = (f"{instances.value} replicas ({instances.where()}) each get their own copy" if several
               else f"service `{sharing[0]}` mounts a volume there, the consumer does not")
        yield Finding("HL406", storage.when(
            f"{cls.value} keeps the queue in `{path}`, but {_what(launch)} has no volume at that path and {why}: "
            "producers and consumers see different queues. Fix: mount one shared volume at the database folder "
            "in every container, or use Redis/Postgres"), loc, severity=storage.severity,
            related=[Related(_consumer_loc(launch), "consumer container")])


def _producer_without_volume(launch: Launch, path: str, consumer_covered: bool) -> str | None:
    """A compose service running the consumer's image (the web app: a producer) that does not share the
    database folder with the consumer: it has no volume there, or the consumer itself has none."""
    same = launch.facts.get("compose.same_image")
    peers = launch.facts.get("compose.services")
    if same is None or not same.value or peers is None or not isinstance(peers.value, dict):
        return None
    for name in same.value:
        if name == launch.name:  # the group holds the consumer's own service too
            continue
        if not consumer_covered or not _covered(path, peers.value.get(name, ())):
            return str(name)
    return None


# -- HL407 / HL408: constructor mistakes ---------------------------------------------------------


@check("HL407")
def positional_storage_argument(project: Project, ctx: Context) -> Iterable[Finding]:
    for facts in repo_of(project).modules.values():
        for inst in facts.instances:
            if inst.second_positional is None:
                continue
            yield Finding("HL407", f"the second positional argument of `{inst.written_class}(...)` sets `results`, "
                          "not the storage host: the consumer connects to the default (localhost) and results "
                          "are stored or not by accident. Fix: pass it by keyword (`host=...`, `url=...`, "
                          "`filename=...`)", inst.second_positional)


@check("HL408")
def compression_ignored(project: Project, ctx: Context) -> Iterable[Finding]:
    for _rel, args, _loc, what in _all_args(project):
        if args.compression is None or args.serializer is None:
            continue
        yield Finding("HL408", f"`compression=`/`use_zlib=` is passed to {what} together with `serializer=`: huey "
                      "ignores it and stores uncompressed data. Fix: pass `compression=True` to the serializer "
                      "(`SignedSerializer(secret=..., compression=True)`)", args.compression,
                      related=[Related(args.serializer.loc, "the serializer")])


# -- HL601 greenlets -----------------------------------------------------------------------------


@check("HL601")
def greenlet_without_monkey_patch(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        entry = app.entry
        if entry is None:
            continue
        for launch in app.launches:
            worker = launch.worker_type
            if not worker.known or worker.value not in ("greenlet", "gevent"):
                continue
            patches = [p for p in entry.gevent_patches if not p.in_function]
            if any(p.first for p in patches):
                continue
            if patches:
                late = patches[0]
                mod, where = late.preceding_imports[0]
                message = (f"`monkey.patch_all()` in {entry.rel} runs after `{mod}` is imported ({where}): modules "
                           "imported before the patch keep blocking sockets and the greenlet workers stall")
                related = [Related(late.loc, "patch_all() too late"), Related(where, f"`{mod}` imported first")]
            else:
                message = (f"{entry.rel}, the module the consumer starts from, never calls `gevent.monkey.patch_all()`: "
                           "with greenlet workers every blocking call stalls all tasks")
                related = [Related(Loc(entry.rel, 1, 1), "entry module")]
            yield Finding("HL601", f"{_what(launch)} runs greenlet workers (`-k greenlet`, {worker.where()}), but "
                          f"{message}. Fix: `from gevent import monkey; monkey.patch_all()` at the very top of "
                          f"{entry.rel}, before any other import", worker.loc, related=related)
