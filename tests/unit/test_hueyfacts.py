"""hueylint.hueyfacts: the one copy of what hueylint knows about huey.

Each family of facts is checked against the others and against the code that uses it, so a fact that
drifts (a class a message names but the table lacks, an option the parser accepts without history, a
default the model repeats differently) fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hueylint import hueyfacts as hf
from hueylint.appmodel import huey_class_name
from hueylint.checks.hl002_invalid_consumer_options import describe
from hueylint.consumer_cli import parse_consumer
from hueylint.huey_options import check_config_keys
from hueylint.locations import Loc
from hueylint.model import Launch
from hueylint.pyapp.extract import extract
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.versions import HUEY_RELEASES, parse_version

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = Loc("deploy/huey.service", 1, 1)


def _user_strings() -> list[tuple[str, str]]:
    """(file, text) of every string hueylint can show a user: string literals of its modules (docstrings
    and comments excluded) and the rule pages (``rules/*.toml``)."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "hueylint").rglob("*.py")):
        if path.name == "hueyfacts.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found.append((str(path.relative_to(ROOT)), node.value))
    for path in sorted((ROOT / "rules").glob("*.toml")):
        found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return found


# -- releases ------------------------------------------------------------------------------------------


def test_releases_are_unique_and_oldest_first():
    parsed = [parse_version(text) for text in HUEY_RELEASES]
    assert None not in parsed
    assert parsed == sorted(set(parsed))  # type: ignore[type-var]
    assert HUEY_RELEASES is hf.HUEY_RELEASES  # hueylint.versions re-exports the one list


def test_every_version_a_fact_names_is_a_release():
    releases = {parse_version(text) for text in HUEY_RELEASES}
    named = [spec.since for spec in hf.SPECS if spec.since != (0,)]
    named += [spec.renamed for spec in hf.SPECS if spec.old_long]
    named += [spec.until for spec in hf.SPECS if spec.until is not None]
    named += [hf.GRACEFUL_SHUTDOWN_SINCE, hf.DJHUEY_IMMEDIATE_SINCE, hf.SIGNED_SERIALIZER_SINCE,
              hf.INTERRUPTED_SIGNAL_SINCE, hf.CONSUMER_SCRIPT_DROPPED, hf.LOCK_TTL_SINCE]
    assert [version for version in named if version not in releases] == []


# -- Huey classes ----------------------------------------------------------------------------------------


def test_every_class_has_one_storage_place():
    names = [c.name for c in hf.HUEY_CLASS_TABLE]
    assert len(names) == len(set(names))
    assert hf.HUEY_CLASSES | set(hf.CONTRIB_CLASSES.values()) == set(names)
    places = (hf.NETWORK_CLASSES, hf.LOCAL_FILE_CLASSES, hf.IN_MEMORY_CLASSES)
    assert sorted(name for place in places for name in place) == sorted(names)  # a partition
    assert hf.EXPIRING_CLASSES < hf.NETWORK_CLASSES
    assert all(c.storage.endswith("Storage") for c in hf.HUEY_CLASS_TABLE)


def test_every_huey_class_a_message_names_is_known():
    known = {c.name for c in hf.HUEY_CLASS_TABLE}
    named = {(where, name) for where, text in _user_strings()
             for name in re.findall(r"\b(?:[A-Z][a-z]+)*Huey\b", text)}
    assert {(where, name) for where, name in named if name not in known} == set()
    assert {name for _, name in named} >= {"RedisHuey", "SqliteHuey", "MemoryHuey"}  # the scan sees messages


@pytest.mark.parametrize("path", ["huey.RedisExpireHuey", "huey.api.SqliteHuey", "huey.BlackHoleHuey"])
def test_the_app_layer_recognises_every_class(path):
    assert huey_class_name(path) == path.rsplit(".", 1)[1]


@pytest.mark.parametrize("path", sorted(hf.CONTRIB_CLASSES))
def test_the_app_layer_recognises_contrib_classes(path):
    module, _, name = path.rpartition(".")
    src = SourceFile(Path("app.py"), "app.py", f"from {module} import {name}\nhuey = {name}('app')\n")
    assert [inst.class_name for inst in extract(src).instances] == [name]
    assert huey_class_name(path) is None  # not exported by huey itself
    assert set(hf.CONTRIB_CLASSES) == {"huey.contrib.sql_huey.SqlHuey", "huey.contrib.valkey_glide.ValkeyGlideHuey"}


# -- Huey.__init__ ----------------------------------------------------------------------------------------


def test_positional_parameters_bind_as_huey_does():
    assert hf.HUEY_POSITIONAL[:2] == ("name", "results")
    assert len(set(hf.HUEY_POSITIONAL)) == len(hf.HUEY_POSITIONAL)
    src = SourceFile(Path("app.py"), "app.py",
                     "from huey import RedisHuey\nhuey = RedisHuey('app', False, False, True, True)\n")
    inst = extract(src).instances[0]
    assert (inst.name.value, inst.results.value, inst.immediate.value) == ("app", False, True)


def test_storage_location_keys_are_storage_keywords():
    assert not set(hf.STORAGE_LOCATION_KEYS) & set(hf.HUEY_POSITIONAL)


# -- consumer options ------------------------------------------------------------------------------------


def test_config_keys_are_the_consumer_config_keys():
    assert sorted(key for key, _ in hf.CONFIG_KEYS_BY_VERSION) == sorted(hf.CONSUMER_DEFAULTS)
    assert {spec.dest for spec in hf.SPECS if spec.until is None} == set(hf.CONSUMER_DEFAULTS)
    assert {spec.dest for spec in hf.SPECS if spec.until is not None} <= set(hf.REMOVED_CONFIG_KEYS)
    assert dict(hf.CONFIG_KEYS_BY_VERSION)["shutdown_timeout"] == hf.option_since("shutdown_timeout") == (3, 4, 0)


def test_option_spellings_follow_huey_option_helper():
    for spec in hf.SPECS:
        assert re.fullmatch(r"-[A-Za-z]", spec.short) and spec.long.startswith("--"), spec
        if spec.old_long:
            assert spec.old_long.replace("_", "-") == spec.long and spec.renamed > spec.since, spec
        assert (spec.kind == "choice") == bool(spec.choices), spec
    shorts = [spec.short for spec in hf.SPECS]
    assert len(shorts) == len(set(shorts))


@pytest.mark.parametrize("spec", hf.SPECS, ids=lambda spec: spec.short)
def test_the_parser_follows_each_option_history(spec):
    word = {"int": "2", "float": "2", "str": "x", "choice": spec.choices[0] if spec.choices else ""}.get(spec.kind)
    args = ["app.huey", spec.short] + ([word] if word is not None else [])
    last = (3, 5, 4) if spec.until is None else \
        parse_version(HUEY_RELEASES[HUEY_RELEASES.index(".".join(map(str, spec.until))) - 1])
    assert parse_consumer("huey_consumer", args, ORIGIN, version=last).problems == []
    if spec.until is not None:  # 1.x's -u/--utc, -o/--localtime: refused from the release that dropped them on
        problems = parse_consumer("huey_consumer", args, ORIGIN, version=spec.until).problems
        assert [(problem.kind, problem.since) for problem in problems] == [("removed", ".".join(map(str, spec.until)))]
        assert parse_consumer("huey_consumer", ["app.huey", spec.long], ORIGIN, version=(3, 5, 4)).problems
    if spec.since != (0,):
        before = HUEY_RELEASES[HUEY_RELEASES.index(".".join(map(str, spec.since))) - 1]
        problems = parse_consumer("huey_consumer", args, ORIGIN, version=parse_version(before)).problems
        assert [problem.kind for problem in problems] == ["needs-version"]
        assert problems[0].since == ".".join(map(str, spec.since))
    if spec.old_long:
        old = [spec.old_long, word] if word is not None else [spec.old_long]
        renamed = ".".join(map(str, spec.renamed))
        before = parse_version(HUEY_RELEASES[HUEY_RELEASES.index(renamed) - 1])
        assert parse_consumer("huey_consumer", ["app.huey", *old], ORIGIN, version=before).problems == []
        assert parse_consumer("huey_consumer", ["app.huey", *old], ORIGIN, version=spec.renamed).problems


def test_every_option_a_message_names_is_an_option():
    pairs = {(spec.short, spec.long) for spec in hf.SPECS} | {hf.RUN_HUEY_VERBOSE, hf.RUN_HUEY_DISABLE_AUTOLOAD}
    longs = {spec.long for spec in hf.SPECS} | {spec.old_long for spec in hf.SPECS if spec.old_long}
    named = {(where, short, long) for where, text in _user_strings()
             for short, long in re.findall(r"`(-[A-Za-z])/(--[a-z][a-z_-]*)`", text)}
    consumer = {(where, short, long) for where, short, long in named if long in longs or (short, long) in pairs}
    assert {(where, short, long) for where, short, long in consumer if (short, long) not in pairs} == set()
    assert {long for _, _, long in consumer} >= {"--no-periodic", "--flush-locks", "--shutdown-timeout"}


def test_run_huey_spellings():
    parsed = parse_consumer("run_huey", ["-V", "-A", "-w", "2"], ORIGIN, version=(3, 5, 4))
    assert parsed.problems == [] and parsed.options["verbose"].value is True
    assert parsed.extra["disable_autoload"].value is True


# -- consumer defaults and signals ------------------------------------------------------------------------


def test_the_model_uses_huey_defaults():
    launch = Launch("systemd", "huey", "huey.service", ORIGIN, "huey_consumer")
    assert launch.graceful_signal.value == hf.CONSUMER_DEFAULTS["graceful_signal"] == hf.DEFAULT_GRACEFUL_SIGNAL
    assert launch.worker_type.value == hf.CONSUMER_DEFAULTS["worker_type"] == hf.DEFAULT_WORKER_TYPE
    assert launch.periodic.value is hf.CONSUMER_DEFAULTS["periodic"] is hf.DEFAULT_PERIODIC
    assert hf.CONSUMER_DEFAULTS["workers"] == hf.DEFAULT_WORKERS and launch.runs_tasks


def test_defaults_are_choices_of_their_options():
    choices = {spec.dest: spec.choices for spec in hf.SPECS if spec.choices}
    assert choices == {"worker_type": hf.WORKER_TYPES, "graceful_signal": hf.STOP_SIGNALS}
    assert hf.DEFAULT_WORKER_TYPE in hf.WORKER_TYPES and hf.DEFAULT_GRACEFUL_SIGNAL in hf.STOP_SIGNALS


def test_signals_are_signal_names():
    for name in (*hf.STOP_SIGNALS, hf.RESTART_SIGNAL):
        assert normalize_signal(f"SIG{name}") == name
    assert hf.RESTART_SIGNAL not in hf.STOP_SIGNALS


# -- task signals -----------------------------------------------------------------------------------------


def test_task_signals():
    assert all(name == "SIGNAL_" + value.upper().replace("-", "_") for name, value in hf.TASK_SIGNALS.items())
    assert hf.INTERRUPTED_SIGNAL == ("SIGNAL_INTERRUPTED", "interrupted")
    src = SourceFile(Path("tasks.py"), "tasks.py", (
        "from huey import RedisHuey\nhuey = RedisHuey('app')\n\n"
        "@huey.signal('interrupted')\ndef again(signal, task, *args):\n    huey.enqueue(task)\n"))
    assert [handler.handles_interrupted for handler in extract(src).signal_handlers] == [True]


@pytest.mark.parametrize("decorator", sorted(hf.TASK_DECORATORS))
def test_every_task_decorator_makes_a_task(decorator):
    """Huey's methods on an instance, djhuey's module functions imported from ``huey.contrib.djhuey``."""
    args = "crontab(minute='0')" if decorator in hf.PERIODIC_DECORATORS else "obj" if decorator == "context_task" else ""
    if decorator in ("task", "periodic_task", "context_task"):
        head, used = "from huey import RedisHuey, crontab\nhuey = RedisHuey('app')\n", f"huey.{decorator}"
    else:
        head, used = f"from huey import crontab\nfrom huey.contrib.djhuey import {decorator}\n", decorator
    src = SourceFile(Path("tasks.py"), "tasks.py", f"{head}\n@{used}({args})\ndef work():\n    pass\n")
    assert [(task.kind, task.periodic) for task in extract(src).tasks] == [
        (decorator, decorator in hf.PERIODIC_DECORATORS)]
    assert hf.PERIODIC_DECORATORS < hf.TASK_DECORATORS


# -- Django -----------------------------------------------------------------------------------------------


def test_djhuey_facts():
    assert hf.DJHUEY_DEFAULT_CLASS in hf.NETWORK_CLASSES
    assert not set(hf.DJHUEY_SPECIAL_KEYS) & set(hf.HUEY_POSITIONAL)
    assert check_config_keys({key: ORIGIN for key in hf.CONSUMER_DEFAULTS}, (3, 5, 4)) == []
    problems = check_config_keys({"no_periodic": ORIGIN, "graceful_signal": ORIGIN}, (3, 3, 4))
    assert [describe(problem) for problem in problems] == [
        "`no_periodic` is not a consumer setting: huey silently ignores it (did you mean `periodic: False`?). Fix: "
        "use a ConsumerConfig key (`workers`, `worker_type`, `periodic`, `flush_locks`, ...) or remove it",
        "`graceful_signal` needs huey 3.4.0 or newer, but the app runs huey 3.3.4: it is silently ignored. Fix: "
        "upgrade huey to 3.4.0 or newer, or remove it",
    ]


@pytest.mark.parametrize(("version", "ignored"), [
    # field test (pegasus430/Django-Ecommerce, huey 1.5.1): `utc` is a 1.x ConsumerConfig key; `loglevel` is not
    ((1, 5, 1), ["loglevel"]),
    ((1, 11, 0), ["loglevel"]),
    ((1, 2, 0), []),  # run_huey popped `loglevel` for the logger and passed `utc` to Consumer(...)
    ((2, 0, 0), ["loglevel", "utc"]),  # 2.0.0 dropped `utc` (and -u/--utc)
    (None, ["loglevel", "utc"]),  # unknown: the newest release
])
def test_consumer_keys_of_old_releases(version, ignored):
    problems = check_config_keys({"loglevel": ORIGIN, "utc": ORIGIN, "workers": ORIGIN}, version)
    assert [(problem.kind, problem.option) for problem in problems] == [("unknown-setting", key) for key in ignored]


# -- sources ----------------------------------------------------------------------------------------------


def test_every_fact_says_where_it_was_read():
    """Each literal fact (an UPPER_CASE name bound to a literal) follows a ``#:`` comment naming its source:
    a file of huey (``huey/...``, ``setup.py``) or PyPI; facts derived from other facts need none."""
    lines = (ROOT / "hueylint" / "hueyfacts.py").read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    undocumented = []
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not isinstance(target, ast.Name) or not target.id.isupper() or node.value is None:
            continue
        if not any(isinstance(sub, ast.Constant) for sub in ast.walk(node.value)) or isinstance(
                node.value, (ast.Call, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            continue  # derived from other facts
        index = node.lineno - 2
        comment: list[str] = []
        while index >= 0 and (lines[index].startswith("#:") or re.match(r"^[A-Z_]+(: [^=]+)? = ", lines[index])):
            comment.insert(0, lines[index])
            index -= 1
        text = " ".join(comment)
        if not re.search(r"huey/|setup\.py|PyPI|pip index", text) and not target.id.startswith(("NETWORK", "LOCAL",
                                                                                              "IN_MEMORY")):
            undocumented.append(target.id)
    assert undocumented == [], undocumented


@pytest.mark.parametrize(("args", "version", "message"), [
    (["-f"], (1, 9, 1), "`-f/--flush-locks` needs huey 1.10.0 or newer, but this launch runs huey 1.9.1"),
    (["--health_check_interval", "5"], (1, 2, 0),
     "`-c/--health-check-interval` needs huey 1.2.1 or newer, but this launch runs huey 1.2.0"),
    (["-k", "process"], (0, 4, 9), "`-k/--worker-type` needs huey 1.0.0 or newer, but this launch runs huey 0.4.9"),
])
def test_options_older_releases_lack(args, version, message):
    """huey 1.9.1's consumer_options.py has no ``flush_locks`` (new in 1.10.0), 1.2.0's consumer has no
    health check (1.2.1), 0.4.9's no ``--worker-type`` (1.0.0): optparse refuses them."""
    problems = parse_consumer("huey_consumer", ["app.huey", *args], ORIGIN, version=version).problems
    option, since = message.split("`")[1], message.split("needs huey ")[1].split(" ")[0]
    assert [describe(problem) for problem in problems] == [
        f"{message}. Fix: upgrade huey to {since} or newer where the launch's version comes from, or drop `{option}`"]


# -- one source -------------------------------------------------------------------------------------------


def _code_nodes():
    """(file, node) for every AST node of hueylint's modules but hueyfacts."""
    for path in sorted((ROOT / "hueylint").rglob("*.py")):
        if path.name != "hueyfacts.py":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                yield f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}", node


def test_no_module_repeats_a_huey_class_signal_or_release():
    """A huey class name, a task signal or a release written as a value of its own (``"RedisHuey"``,
    ``at_least(3, 4)``) outside hueyfacts is a second copy of a fact: it must be imported from there."""
    facts = {c.name for c in hf.HUEY_CLASS_TABLE} | set(hf.TASK_SIGNALS)
    copies = [where for where, node in _code_nodes()
              if isinstance(node, ast.Constant) and node.value in facts
              or isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "at_least"
              and any(isinstance(arg, ast.Constant) for arg in node.args)]
    assert copies == []


def test_every_option_a_fix_adds_is_an_option():
    """``fixing.command_fix(launch, ctx, ["-g", "TERM"], ...)``: the words a fix adds start with a consumer option."""
    shorts = {spec.short for spec in hf.SPECS}
    added = [(where, node.args[2].elts[0].value) for where, node in _code_nodes()
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "command_fix" and len(node.args) > 2
             and isinstance(node.args[2], ast.List) and node.args[2].elts
             and isinstance(node.args[2].elts[0], ast.Constant)]
    assert {flag for _, flag in added} >= {"-g", "-t", "-L"}
    assert [(where, flag) for where, flag in added if flag not in shorts] == []
