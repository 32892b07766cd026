"""HL401: immediate mode runs tasks inline in the caller: no queue, no consumer, no periodic tasks."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.appmodel import (
    App,
    EnvReadFails,
    EnvVal,
    HueyArgs,
    Repo,
    env_eval,
    env_text,
    env_var,
    formula_vars,
    is_debug,
    unset_truth,
)
from hueylint.checks import Context, check, fixing
from hueylint.checks._app import app_version, judged_apps, launch_title, settings_configs
from hueylint.checks._storage import Storage, instance_storage, storages_of
from hueylint.findings import Finding, Related, Severity
from hueylint.hueyfacts import DJHUEY_IMMEDIATE_SINCE
from hueylint.locations import Loc
from hueylint.model import Launch, Project, Val
from hueylint.regexes import lazy_pattern
from hueylint.words import series


def _immediate_true(val: Val[Any] | None) -> bool:
    return val is not None and val.known and val.value is True


@check("HL401")
def immediate_mode(project: Project, ctx: Context) -> Iterable[Finding]:
    fix = ("Fix: remove `immediate=True` from the production configuration (use it only in tests or "
           "development settings)")
    repo = project.repo or Repo()
    for facts in repo.modules.values():
        if repo.development(facts.rel):
            continue
        for inst in facts.instances:
            if not _immediate_true(inst.immediate) or (inst.conditional and inst.dev_branch is True):
                continue  # `if DEBUG: huey = MemoryHuey(immediate=True)` is development
            assert inst.immediate is not None
            storage = instance_storage(inst)
            yield Finding("HL401", storage.when(
                f"`{inst.written_class}(immediate=True)`: tasks run inline in the caller and use in-memory storage, "
                "and a consumer refuses to start. " + fix), inst.immediate.loc, severity=storage.severity,
                fix=fixing.literal_false_fix(ctx, inst.immediate.loc, "`immediate=False`",
                                             conditional=inst.conditional))
        for assign in facts.immediate_assignments:
            if not _immediate_true(assign.value) or (assign.conditional and assign.dev_branch is True) \
                    or assign.in_script:
                continue  # `if settings.DEBUG: huey.immediate = True` is development; a script's own process
            branch = Storage(None, HueyArgs(), assign.loc, assign.branch if assign.conditional else "",
                              assign.dev_branch is False)
            yield Finding("HL401", branch.when(
                f"`{assign.target}.immediate = True`: tasks run inline in the caller and use in-memory storage, and a "
                "consumer refuses to start. " + fix), assign.loc, severity=branch.severity,
                fix=fixing.literal_false_fix(ctx, assign.loc, "`immediate = False`", conditional=assign.conditional))
    for rel, config, _loc, setting in settings_configs(project):
        if repo.development(rel) or not _immediate_true(config.immediate) or setting.dev_branch is True:
            continue  # development settings, or `if DEBUG: HUEY = {...}`
        assert config.immediate is not None
        branch = Storage(None, config, config.loc, setting.branch if setting.conditional else "",
                          setting.dev_branch is False)
        if rel in repo.untracked_overrides and not setting.conditional:
            finding = _untracked_override(rel, repo.untracked_overrides[rel], config.immediate.loc)
            finding.fix = fixing.literal_false_fix(ctx, config.immediate.loc, "`'immediate': False`")
            yield finding
        elif rel not in repo.overridable:  # else a settings module star-importing this one replaces HUEY
            yield Finding("HL401", branch.when("`HUEY = {'immediate': True}`: tasks run inline in the web process "
                          "and `run_huey` refuses to start. " + fix), config.immediate.loc, severity=branch.severity,
                          fix=fixing.literal_false_fix(ctx, config.immediate.loc, "`'immediate': False`",
                                                       conditional=setting.conditional))
    reported: set[Loc] = set()
    for app in judged_apps(project):
        if not app_version(project, app).at_least(*DJHUEY_IMMEDIATE_SINCE):
            continue  # before huey 2.0 djhuey had `always_eager`, not `immediate` bound to DEBUG
        for inst in app.judged_instances:
            val = inst.immediate
            if val is None or val.known or not (is_debug(val) or env_var(val)) or val.loc in reported:
                continue
            if val.loc in app.debug_written:
                reported.add(val.loc)
                debug = app.debug_written[val.loc]
                if debug.value is True:
                    yield Finding("HL401", instance_storage(inst).when(_debug_on_message(
                        f"`{inst.written_class}(immediate=DEBUG)`", debug, _INLINE[0],
                        "pass `immediate=False` (or nothing) in production settings")), val.loc,
                        severity=instance_storage(inst).severity, related=[Related(debug.loc, "DEBUG = True")])
                continue
            said = _env_message(f"`{inst.written_class}(immediate=...)`", val, app, _INLINE,
                                "pass `immediate=False` (or nothing) in production and turn it on only in tests")
            if said is None:
                continue  # every launch sets the variables to values that turn it off
            reported.add(val.loc)
            yield Finding("HL401", instance_storage(inst).when(said[0]), val.loc, severity=Severity.WARNING,
                          related=said[1])
        for facts in app.modules.values():
            for assign in facts.immediate_assignments:
                val = assign.value
                if val.known or not (is_debug(val) or env_var(val)) or assign.dev_branch is True \
                        or assign.in_function or assign.loc in reported:
                    continue
                said = _env_message(f"`{assign.target}.immediate`", val, app, _INLINE, "set it only in tests")
                if said is None:
                    continue
                reported.add(assign.loc)
                yield Finding("HL401", said[0], assign.loc, severity=Severity.WARNING, related=said[1])
        if app.kind != "django" or app.config is None:
            continue
        config = app.config
        branch = next(iter(storages_of(app)), Storage(None, config, config.loc))
        debug_at = app.debug_written.get(config.immediate.loc) if config.immediate is not None else None
        queue = app.queue if app.setting is not None and app.setting.name == "DJANGO_HUEY" else None
        written = f"DJANGO_HUEY['queues'][{queue!r}]" if queue else "HUEY"  # django-huey: the queue's own dict
        if debug_at is not None:
            if debug_at.value is True and config.immediate is not None and config.immediate.loc not in reported:
                yield Finding("HL401", branch.when(_debug_on_message(
                    f"`{written}['immediate']` is `DEBUG`, and", debug_at,
                    f"tasks run inline and `{'djangohuey' if queue else 'run_huey'}` refuses to start",
                    "set `'immediate': False` explicitly in production settings", subject_says=True)),
                    config.immediate.loc, severity=branch.severity, related=[Related(debug_at.loc, "DEBUG = True")])
        elif config.immediate is not None and not config.immediate.known:
            refuses = f"tasks run inline and `{'djangohuey' if queue else 'run_huey'}` refuses to start"
            said = _env_message(f"`{written}['immediate']`", config.immediate, app, (refuses, refuses),
                                "set `'immediate': False` explicitly in production settings")
            if said is not None:
                yield Finding("HL401", branch.when(said[0]), config.immediate.loc, severity=Severity.WARNING,
                              related=said[1])
        elif config.immediate_missing and app.setting is not None and app.setting.name == "HUEY" \
                and not _off_when_debug(repo, app.setting) and not _debug_off(app):
            debug_on = app.debug is not None and app.debug.known and app.debug.value is True
            elsewhere = _settings_named_elsewhere(app) if debug_on else None
            on = debug_on and elsewhere is None
            default = (f"and the settings that run end with `DEBUG = True` ({app.debug.loc}): tasks run inline in "
                       "memory and `run_huey` refuses to start") if on and app.debug is not None else \
                "with DEBUG on, tasks run inline in memory and `run_huey` refuses to start"
            if elsewhere is not None and app.debug is not None:
                default += (f" (the settings it would run end with `DEBUG = True`, {app.debug.loc}, unless "
                            f"{launch_title(elsewhere)} names others in {_sources(elsewhere)}, which the repository "
                            "does not hold)")
            yield Finding("HL401", branch.when(
                f"the `HUEY` dict has no `'immediate'` key, so djhuey uses `settings.DEBUG`{',' if on else ':'} {default}. "
                "Fix: add `'immediate': False`"), config.loc,
                severity=branch.severity if on else Severity.WARNING,
                related=[Related(app.debug.loc, "DEBUG = True")] if on and app.debug is not None else [],
                fix=fixing.dict_key_fix(ctx, config.loc, "immediate", "False", "add `'immediate': False`"))


#: the branch texts (:mod:`hueylint.pyapp.branches`) that run exactly when Django's DEBUG is on
_DEBUG_ON = lazy_pattern(r"^(?:if (?:settings\.)?DEBUG(?: is True| == True)?|else of `if not (?:settings\.)?DEBUG`)$")


def _off_when_debug(repo: Repo, setting: Any) -> bool:
    """``if DEBUG: HUEY['immediate'] = False`` after the dict: djhuey's DEBUG default is then never used with
    DEBUG on, and with DEBUG off it is False too (field test: ananthanandanan/IMS)."""
    facts = repo.modules.get(setting.loc.path or "")
    return facts is not None and any(
        update.name == "HUEY" and update.form == "update" and update.loc.line > setting.loc.line
        and _DEBUG_ON.match(update.branch) is not None and update.config is not None
        and update.config.immediate is not None and update.config.immediate.known
        and update.config.immediate.value is False for update in facts.django_settings)


def _settings_named_elsewhere(app: App) -> Launch | None:
    """A launch of the app that may run other settings than those judged (:attr:`App.debug` is theirs): it names
    none itself (no ``--settings``, no ``DJANGO_SETTINGS_MODULE`` in its environment as the repository shows it),
    so the default its entry point sets (manage.py's ``setdefault``) was taken, and it reads variables from a
    source the repository lacks (:attr:`Launch.env_unread`), which may set ``DJANGO_SETTINGS_MODULE``: the
    production env file of a cookiecutter-django layout, kept out of git, names ``config.settings.production``
    over manage.py's ``config.settings.local``.  None when every launch's settings are as judged."""
    return next((launch for launch in app.launches if launch.env_unread and launch.consumer.django_settings is None
                 and "DJANGO_SETTINGS_MODULE" not in launch.environment), None)


def _sources(launch: Launch) -> str:
    """The launch's sources of variables the repository lacks, as written: ```env_file: .env.prod``` ..."""
    return series([str(source.value) for source in launch.env_unread])


def _debug_off(app: App) -> bool:
    """The app's settings module runs with ``DEBUG = False`` written in it (or in what it star-imports, not
    turned on after): djhuey's default ``immediate``, read from ``settings.DEBUG`` once the settings are
    loaded, is then False (field test: axiom-data-science/sci-wms, ``settings/adv.py``).  Not so for
    ``'immediate': DEBUG``: the dict keeps the DEBUG of the line it is written on, whatever comes after."""
    return app.debug is not None and app.debug.known and app.debug.value is False


def _debug_on_message(subject: str, debug: Val[bool], consequence: str, fix: str, subject_says: bool = False) -> str:
    """HL401's message for an ``immediate`` written as ``DEBUG`` in a settings module where ``DEBUG = True`` is
    written above it (:attr:`App.debug_written`): the value is read when the line runs, so a later
    ``DEBUG = False`` (in this module or in a settings module star-importing it) does not turn it off."""
    said = subject if subject_says else f"{subject} is `DEBUG`, and"
    return (f"{said} `DEBUG = True` is written above it ({debug.loc}): {consequence} (the value is read where "
            "it is written: a `DEBUG = False` set after it, here or in a settings module importing this one, does "
            f"not turn it off). Fix: {fix}")


#: what an ``immediate`` that is on does, said of every consumer (the default decides) and of one launch's
_INLINE = ("tasks run inline in the caller with in-memory storage and a consumer refuses to start",
           "tasks run inline in the caller with in-memory storage and the consumer refuses to start")


def _env_message(subject: str, val: Val[Any], app: App, consequence: tuple[str, str],
                 fix: str) -> tuple[str, list[Related]] | None:
    """HL401's message and related locations for an ``immediate`` not known here (``subject`` as written), the
    same for its three forms (an instance's keyword, an assignment, the Django dict) but for the ``consequence``
    (said of any consumer, then of the launch named) and the ``fix``: None when every launch turns it off
    (:func:`_by_launch`); the launch whose environment turns it on (:func:`_set_on`); else when it holds
    (:func:`_bound`, :func:`_when`)."""
    verdict, launch, settings, unset = _by_launch(val, app)
    if verdict == "off":
        return None
    if launch is not None:
        return _set_on(subject, launch, settings, consequence[1], fix), _related(settings)
    return (f"{subject} is {_bound(val)}: {_when(val, unset)} {consequence[0]}. Fix: {fix}{_default_fix(val)}",
            _unset_related(val, unset))


def _by_launch(val: Val[Any], app: App) -> tuple[str, Launch | None, list[tuple[str, Val[str]]], list[Launch]]:
    """What the app's launches make an ``immediate`` read from the environment (:attr:`EnvVal.formula`, evaluated
    with the variables each launch's environment sets, :attr:`Launch.environment`: systemd ``Environment=``/
    ``EnvironmentFile=``, compose ``environment:``/``env_file:``, Kubernetes ``env:``, Dockerfile ``ENV``, a
    script's ``export``): ``("off", None, [], [])`` when every launch (the production ones, when some are) sets
    them to values that turn it off; ``("on", launch, its settings, [])`` for the first launch whose values turn it
    on; else ``("", None, [], unset)``: a launch that sets none of them (the default decides), one that sets one to
    a value not known here, an unnamed variable, or a read that fails there, with ``unset`` the launches that set
    none of the variables (their environment as far as it is read), where the default decides, which the message
    names when the default turns it on."""
    names = formula_vars(val.formula) if isinstance(val, EnvVal) else []
    if not names or "?" in names:
        return "", None, [], []
    launches = [launch for launch in app.launches if not launch.dev] or app.launches
    off = 0
    unset: list[Launch] = []
    for launch in launches:
        environment = launch.environment
        settings = [(name, environment[name]) for name in names if name in environment]
        if not settings:
            unset.append(launch)
            continue
        if any(not setting.known or not isinstance(setting.value, str) for _, setting in settings):
            continue
        assert isinstance(val, EnvVal)
        try:
            got = env_eval(val.formula, {name: str(setting.value) for name, setting in settings}, [])
        except EnvReadFails:
            continue
        if got is None:
            continue
        if got[0]:
            return "on", launch, settings, []
        off += 1
    return ("off", None, [], []) if launches and off == len(launches) else ("", None, [], unset)


def _set_on(subject: str, launch: Launch, settings: list[tuple[str, Val[str]]], consequence: str, fix: str) -> str:
    """The message of an ``immediate`` a launch's environment turns on (:func:`_by_launch`), the same for the
    three forms but for their ``subject``, ``consequence`` and other ``fix``: ``... is read from environment
    variable `DJANGO_ENV`, and systemd `huey.service` sets `DJANGO_ENV=staging` (huey.service:3), which makes it
    true: ... Fix: set `DJANGO_ENV` there to a value that turns it off, or ...``."""
    names = [f"`{name}`" for name, _ in settings]
    read = f"environment variable{'s' if len(names) > 1 else ''} {series(names)}"
    shown = ", ".join(f"`{name}={setting.value}` ({setting.loc})" for name, setting in settings)
    return (f"{subject} is read from {read}, and {launch_title(launch)} sets {shown}, which makes it true: "
            f"{consequence}. Fix: set {' and '.join(names)} there to a value that turns it off, or {fix}")


def _related(settings: list[tuple[str, Val[str]]]) -> list[Related]:
    return [Related(setting.loc, f"sets {name}") for name, setting in settings if setting.loc.path]


def _unset_related(val: Val[Any], unset: list[Launch]) -> list[Related]:
    """The launches :func:`_when` names (those leaving the variables unset, when the default turns it on)."""
    if not (unset_truth(val) and env_var(val)):
        return []
    names = [name for name, _ in val.reads] if isinstance(val, EnvVal) else []
    variables = " or ".join(f"`{name}`" for name in names) if names else f"`{env_var(val)}`"
    related = [Related(loc, f"sets no {variables} in the repository")
               for loc in dict.fromkeys(launch.loc for launch in unset)][:3]
    unread = {source.loc: source.value for launch in unset for source in launch.env_unread}
    return related + [Related(loc, f"{source} is not in the repository: it may set {variables}")
                      for loc, source in unread.items()][:3]


def _bound(val: Val[Any]) -> str:
    if is_debug(val):
        return "bound to DEBUG"
    var = env_var(val)
    unset = unset_truth(val)
    if var and env_text(val):
        text = (f"environment variable `{var}`'s text, true once it is set, even to `False` or `0` (huey tests "
                "`if immediate`)")
        return text + (f", and true while it is unset too ({_defaults(val)})" if unset else "")
    if var and unset is not None:
        return (f"read from environment variable `{var}` and {'true' if unset else 'false'} while "
                f"{_unset_names(val)} ({_defaults(val)})")
    return f"read from environment variable `{var}`" if var else "computed at run time"


def _unset_names(val: Val[Any]) -> str:
    """``it is unset``, or the variables an :class:`EnvVal` reads: ``` `A` and `B` are unset```."""
    names = [name for name, _ in val.reads] if isinstance(val, EnvVal) else []
    if len(names) < 2:
        return "it is unset"
    return series([f"`{name}`" for name in names]) + " are unset"


def _defaults(val: Val[Any]) -> str:
    """The defaults of an :class:`EnvVal`'s reads as the message names them."""
    written = [default for _, default in val.reads] if isinstance(val, EnvVal) else []
    if len(written) > 1:
        shown = ", ".join(f"`{default}`" if default else "none" for default in written)
        return f"their defaults as written: {shown}"
    return f"its default `{written[0]}` makes it so" if written and written[0] else "no default: `None`"


def _when(val: Val[Any], unset: list[Launch]) -> str:
    """When immediate mode is on: wherever the variable is unset when its default turns it on (field test:
    gustavop-dev/projectapp), naming the launches whose configuration in the repository sets none of the variables
    (:func:`_by_launch`; the first three, as HL105 names launches, each at its launch's line, where its
    environment is set: ``(the repository sets it for none of: compose `reports` (docker-compose.yml:7))``), else
    with a true value.  A claim about the repository, not the running process: an ``env_file`` kept out of it, a
    PaaS's config vars or a Kubernetes Secret made elsewhere may still set it there, so the sources of a launch's
    variables the repository lacks are named after its place (:func:`_unread`)."""
    if unset_truth(val) and env_var(val):
        where = _unset_names(val).replace(' unset', ' not set').replace('it is', f'`{env_var(val)}` is')
        named = list(dict.fromkeys(f"{launch_title(launch)} ({launch.loc}{_unread(launch)})" for launch in unset))
        shown = ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
        them = "them" if " are unset" in _unset_names(val) else "it"
        return f"wherever {where}{f' (the repository sets {them} for none of: {shown})' if shown else ''},"
    return "with a true value"


def _unread(launch: Launch) -> str:
    """What the launch reads variables from that the repository does not hold (:attr:`Launch.env_unread`), as
    :func:`_when` adds it after the launch's place: ``; its `env_file: .env.prod` is not in the repository``."""
    if not launch.env_unread:
        return ""
    return f"; its {_sources(launch)} {'is' if len(launch.env_unread) == 1 else 'are'} not in the repository"


def _default_fix(val: Val[Any]) -> str:
    return " (and give the variable a default that turns it off)" if unset_truth(val) else ""


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
