"""Fixes of launch settings, shared by the checks: set a platform setting (stop signal, kill deadline,
restart policy, unit type) where the launch's file writes it, or add it where it belongs; add words to the
consumer's command line.

Each builder returns a :class:`Fix` or None when hueylint cannot make a precise edit (the setting lives in a
file hueylint did not see, a form it does not edit, a consumer command it did not see).  Edits come from the
model's :class:`Loc` and the file's text (``Context.text``) through :mod:`hueylint.fix_edits`.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from hueylint.checks import Context
from hueylint.findings import SAFE, UNSAFE, Edit, Fix
from hueylint.fix_edits import (
    indent_of,
    ini_set,
    insert_args,
    insert_line_after,
    insert_line_before,
    replace_at,
    text_lines,
    yaml_mapping_set,
    yaml_node,
    yaml_string_at,
    yaml_string_edit,
    yaml_string_insertion_ok,
    yaml_unreadable,
)
from hueylint.hueyfacts import CONSUMER_PROGRAMS, DJANGO_COMMANDS, joinable_timeout
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Restart, Val
from hueylint.regexes import lazy_pattern

#: platform -> (setting key, how a signal is written) for the stop signal
SIGNAL_KEYS = {
    "systemd": ("KillSignal", "SIG{}"),
    "supervisord": ("stopsignal", "{}"),
    "docker": ("STOPSIGNAL", "SIG{}"),
    "compose": ("stop_signal", "SIG{}"),
    "circus": ("stop_signal", "{}"),
    "fly": ("kill_signal", "SIG{}"),  # replaces a written `kill_signal` only (inside its quotes)
}
#: platform -> (setting key, how seconds are written) for the kill deadline
DEADLINE_KEYS = {
    "systemd": ("TimeoutStopSec", "{}"),
    "supervisord": ("stopwaitsecs", "{}"),
    "compose": ("stop_grace_period", "{}s"),
    "circus": ("graceful_timeout", "{}"),
    "kubernetes": ("terminationGracePeriodSeconds", "{}"),  # added above the pod spec's `containers:`
    "fly": ("kill_timeout", "{}"),  # replaces a written value (a quoted duration too) with seconds
    "render": ("maxShutdownDelaySeconds", "{}"),  # replaces a written value
}
#: platform -> (setting key, value) for a restart policy
RESTART_KEYS = {
    "systemd": ("Restart", "on-failure"),
    "supervisord": ("autorestart", "true"),
    "compose": ("restart", "unless-stopped"),
    "circus": ("respawn", "true"),
    "fly": ("policy", "on-failure"),  # replaces a written `[[restart]] policy` (inside its quotes)
}


def _fix(description: str, edit: Edit | None, safety: str = SAFE) -> Fix | None:
    return Fix(description, (edit,), safety) if edit is not None else None


def all_of(description: str, fixes: list[Fix | None], safety: str = SAFE) -> Fix | None:
    """One fix made of the edits of ``fixes`` (one per consumer command, say), or None when there are none or
    any of them cannot be built: a finding is fixed whole or not at all."""
    if not fixes or any(fix is None for fix in fixes):
        return None
    return Fix(description, tuple(edit for fix in fixes if fix is not None for edit in fix.edits), safety)


def _line(ctx: Context, loc: Loc) -> str | None:
    text = ctx.text(loc.path or "") if loc.path else None
    lines = text_lines(text) if text is not None else ()
    return lines[loc.line - 1] if 1 <= loc.line <= len(lines) else None


def _owned(launch: Launch, value: Val[Any] | None, attr: str) -> bool:
    """True when ``value`` comes from the hop of the launch's own platform (the file that starts it), not a
    container around a supervisor nor a supervisor inside a container."""
    if value is None or not launch.chain or launch.chain[0].name != launch.platform:
        return False
    owners = [hop for hop in launch.chain if getattr(hop, attr) is value]
    return not owners or owners[0] is launch.chain[0]


def set_setting(launch: Launch, ctx: Context, current: Val[Any] | None, key: str, value: str) -> Edit | None:
    """Replace the written value ``current`` with ``value``, or add ``key`` to the launch's own section of
    its own file (systemd ``[Service]``, supervisord ``[program:x]``, circus ``[watcher:x]``, compose
    ``services.<name>``, a Dockerfile instruction above the final stage's CMD/ENTRYPOINT).  A compose value
    written in the service's file outside its own mapping (a ``<<: *anchor`` merge, a service it
    ``extends``) is overridden by a key of the service's own: the shared text is left alone."""
    if current is not None and not current.loc.is_default and launch.platform == "compose" \
            and current.loc.path == launch.loc.path and not _own_compose_key(launch, ctx, current.loc, key):
        text = ctx.text(launch.loc.path or "")
        return yaml_mapping_set(launch.loc.path or "", text, ["services", launch.name], key, value,
                                override_merged=True) if text is not None else None
    if current is not None and not current.loc.is_default:
        return _replace_written(ctx, current, value)
    if launch.platform == "fly":
        return _fly_top_level(ctx, launch.chain[0].loc.path if launch.chain else None, key, value)
    path = launch.loc.path
    text = ctx.text(path) if path else None
    if path is None or text is None:
        return None
    if launch.platform == "systemd":
        section = launch.section
        if section is None or section.loc.path is None:
            return None
        section_text = ctx.text(section.loc.path)
        return ini_set(section.loc.path, section_text, section.loc.line, key, value) if section_text else None
    if launch.platform in ("supervisord", "circus"):
        return ini_set(path, text, launch.loc.line, key, value, " = " if launch.platform == "circus" else "=")
    if launch.platform == "compose":
        if (current is None or current.loc.is_default) and _written_in_service(path, text, launch.name, key):
            return None  # a later file drops it (`key: !reset null`): an edit here would change nothing
        return yaml_mapping_set(path, text, ["services", launch.name], key, value)
    if launch.platform == "kubernetes":
        return pod_spec_add(launch, ctx, f"{key}: {value}")
    if launch.platform == "docker":
        line = text_lines(text)[launch.loc.line - 1] if launch.loc.line else ""
        if line.lstrip().split(" ")[0].upper() not in ("CMD", "ENTRYPOINT"):
            return None
        return insert_line_before(path, text, launch.loc.line, f"{key} {value}")
    return None


def _replace_written(ctx: Context, current: Val[Any], value: str) -> Edit | None:
    """The written value ``current`` (one word on one line) replaced with ``value``; None for a variable, a
    template or more than the value, where no precise edit exists."""
    text = ctx.text(current.loc.path or "")
    if text is None or current.loc.line != current.loc.end_line:
        return None
    line = text_lines(text)[current.loc.line - 1]
    written = line[current.loc.col - 1:current.loc.end_col - 1].strip()
    if not written and line[:current.loc.col - 1].rstrip().endswith("=") and not line[current.loc.col - 1:].strip():
        # an empty INI assignment (a `KillSignal=` systemd ignores, so the default applies): the value is written there
        return replace_at(current.loc, value)
    if not written or any(ch in written for ch in "$%{}") or len(written.split()) != 1:
        return None
    return replace_at(current.loc, value)


#: supervisors inside the launch's platform (a container's CMD, a unit running ``supervisord -n``) whose
#: program settings a fix edits in their own file: the hop's ``loc`` is the program's section header
INNER_SUPERVISORS = ("supervisord", "circus")


def _inner_setting(launch: Launch, ctx: Context, value: Val[Any] | None, attr: str,
                   keys: dict[str, tuple[str, str]], wanted: object) -> tuple[str, Edit | None] | None:
    """(the setting as written, its edit) when ``value`` (a hop's ``attr``: ``sends``, ``deadline``) is a
    supervisord program's or circus watcher's inside the platform: the written value replaced, or the key
    added to the program's own section; None for any other owner (the platform's own: :func:`set_setting`)."""
    if value is None:
        return None
    hop = next((hop for hop in launch.chain[1:] if getattr(hop, attr) is value), None)
    name = hop.name.split(" ")[0] if hop is not None else ""
    if hop is None or name not in INNER_SUPERVISORS or not hop.loc.path:
        return None
    key, form = keys[name]
    setting = form.format(wanted)
    sep = " = " if name == "circus" else "="
    if not value.loc.is_default:
        return f"{key}{sep}{setting}", _replace_written(ctx, value, setting)
    text = ctx.text(hop.loc.path)
    return f"{key}{sep}{setting}", ini_set(hop.loc.path, text, hop.loc.line, key, setting, sep) if text else None


def _written_in_service(path: str, text: str, name: str, key: str) -> bool:
    """``key`` is written in the mapping of compose service ``name`` of the file ``path``."""
    service = yaml_node(path, text, ["services", name])
    return key in (getattr(getattr(service, "lc", None), "data", None) or {})


def _own_compose_key(launch: Launch, ctx: Context, loc: Loc, key: str) -> bool:
    """True when ``loc`` is the value of ``key`` written in the compose service's own mapping (not in an
    anchor it merges, nor in a service it extends)."""
    text = ctx.text(loc.path or "")
    service = yaml_node(loc.path or "", text, ["services", launch.name]) if text is not None else None
    positions = getattr(getattr(service, "lc", None), "data", None) or {}
    return key in positions and service.lc.value(key)[0] + 1 == loc.line  # type: ignore[union-attr]


_TOML_KEY = lazy_pattern(r"""^\s*(?:[A-Za-z0-9_.-]+|"[^"]*"|'[^']*')\s*=""")


def _fly_top_level(ctx: Context, path: str | None, key: str, value: str) -> Edit | None:
    """``key = value`` added to a ``fly.toml``'s top level (``kill_signal``, ``kill_timeout``: Fly.io has no other
    place for them): below the last top-level key, else above the first table; a string quoted."""
    text = ctx.text(path) if path else None
    if path is None or text is None or key not in ("kill_signal", "kill_timeout"):
        return None
    lines = text_lines(text)
    line = f"{key} = {value if value.isdigit() else chr(34) + value + chr(34)}"
    last_key = first_table = 0
    for number, written in enumerate(lines, 1):
        if written.lstrip().startswith("["):
            first_table = number
            break
        if _TOML_KEY.match(written):
            last_key = number
    if last_key:
        return insert_line_after(path, text, last_key, line)
    if first_table:
        return insert_line_before(path, text, first_table, line, indent="")
    return insert_line_after(path, text, len(lines), line) if lines else None


def pod_spec_add(launch: Launch, ctx: Context, content: str) -> Edit | None:
    """``content`` (``key: value``, or a nested block written with two-space steps) added to a plain
    Kubernetes manifest's pod spec, above its ``containers:`` key with that key's indentation; None for a Helm
    template, a flow mapping or a key that does not start its line (``kubernetes.pod_key``)."""
    anchor = launch.kubernetes.pod_key if launch.kubernetes is not None else None
    line = _line(ctx, anchor.loc) if anchor is not None else None
    if anchor is None or line is None or line[:anchor.loc.col - 1].strip():
        return None
    text = ctx.text(anchor.loc.path or "") or ""
    indent = " " * (anchor.loc.col - 1)
    return insert_line_before(anchor.loc.path or "", text, anchor.loc.line, content.replace("\n", "\n" + indent),
                              indent=indent)


def container_add(launch: Launch, ctx: Context, content: str) -> Edit | None:
    """``content`` (as :func:`pod_spec_add`) added to a plain Kubernetes manifest's container mapping, below
    its first key (``- name: worker``) with that key's indentation, when that key's value is a one-line scalar
    (the next line is not indented deeper); None otherwise (``kubernetes.container_key``)."""
    anchor = launch.kubernetes.container_key if launch.kubernetes is not None else None
    line = _line(ctx, anchor.loc) if anchor is not None else None
    if anchor is None or line is None or line[:anchor.loc.col - 1].strip() not in ("", "-"):
        return None
    text = ctx.text(anchor.loc.path or "") or ""
    lines = text_lines(text)
    following = lines[anchor.loc.line] if anchor.loc.line < len(lines) else ""
    if following.strip() and len(indent_of(following)) > anchor.loc.col - 1:
        return None  # a block scalar or a continued value
    indent = " " * (anchor.loc.col - 1)
    return insert_line_after(anchor.loc.path or "", text, anchor.loc.line, content.replace("\n", "\n" + indent),
                             indent=indent)


def k8s_stop_signal_fix(launch: Launch, ctx: Context, wanted: str) -> Fix | None:
    """``lifecycle: stopSignal: SIG<wanted>`` added to the container, and ``os: name: linux`` to the pod spec
    when it has no ``os.name``: unsafe, since the field needs Kubernetes 1.33+ with the ContainerStopSignals
    feature gate (alpha; an API server without it drops the field) and a pod whose ``spec.os.name`` is set."""
    lifecycle = container_add(launch, ctx, f"lifecycle:\n  stopSignal: SIG{wanted}")
    if lifecycle is None:
        return None
    edits = [lifecycle]
    if launch.kubernetes is None or launch.kubernetes.os_name is None:
        os_name = pod_spec_add(launch, ctx, "os:\n  name: linux")
        if os_name is None:
            return None
        edits.append(os_name)
    return Fix(f"set `lifecycle.stopSignal: SIG{wanted}` (Kubernetes 1.33+, ContainerStopSignals)", tuple(edits),
               UNSAFE)


def stop_signal_fix(launch: Launch, ctx: Context, signal: Val[str], wanted: str) -> Fix | None:
    """The platform sends ``wanted`` (``INT``/``TERM``): its stop-signal setting set or added; or the
    ``stopsignal`` of the supervisord program inside the platform that sends it (:func:`_inner_setting`)."""
    inner = _inner_setting(launch, ctx, signal, "sends", SIGNAL_KEYS, wanted)
    if inner is not None:
        return _fix(f"set `{inner[0]}`", inner[1])
    if launch.platform not in SIGNAL_KEYS or not _owned(launch, signal, "sends"):
        return None
    key, form = SIGNAL_KEYS[launch.platform]
    value = form.format(wanted)
    shown = {"docker": f"{key} {value}", "compose": f"{key}: {value}",
             "fly": f'{key} = "{value}"'}.get(launch.platform, f"{key}={value}")
    return _fix(f"set `{shown}`", set_setting(launch, ctx, signal, key, value))


def deadline_fix(launch: Launch, ctx: Context, deadline: Val[float] | None, seconds: int) -> Fix | None:
    """The platform's kill deadline set to ``seconds`` (or the deadline of the supervisord program inside it
    when that is the one that binds: :func:`_inner_setting`).  With a supervisor inside the platform
    (:func:`nested_raises`), each of the two deadlines that falls short is raised in one fix: the supervisor's to
    ``seconds``, the platform's to :data:`SUPERVISOR_MARGIN` more (or to ``seconds`` when only it is short); the
    supervisor's alone where no file sets the platform's (``docker stop``'s 10 s)."""
    nested = nested_raises(launch, seconds)
    if nested is not None and deadline is not None and deadline in (nested[0].deadline, nested[1].deadline):
        outer, inner, raise_inner, outer_wanted = nested
        inner_fix = _single_deadline_fix(launch, ctx, inner.deadline, seconds) if raise_inner else None
        outer_fix = outer_deadline_fix(launch, ctx, outer, outer_wanted) if outer_wanted else None
        if inner_fix is not None and outer_fix is not None:
            return all_of(f"{inner_fix.description} and {outer_fix.description}", [inner_fix, outer_fix])
        return inner_fix if raise_inner else outer_fix
    return _single_deadline_fix(launch, ctx, deadline, seconds)


def _single_deadline_fix(launch: Launch, ctx: Context, deadline: Val[float] | None, seconds: int) -> Fix | None:
    inner = _inner_setting(launch, ctx, deadline, "deadline", DEADLINE_KEYS, seconds)
    if inner is not None:
        return _fix(f"set `{inner[0]}`", inner[1])
    if launch.platform not in DEADLINE_KEYS or not _owned(launch, deadline, "deadline"):
        return None
    most = launch.chain[0].max_deadline
    if most is not None and seconds > most:
        return None  # more than the platform accepts
    key, form = DEADLINE_KEYS[launch.platform]
    value = form.format(seconds)
    return _fix(f"set `{key}` to {value}", set_setting(launch, ctx, deadline, key, value))


#: how much longer than a supervisor's own kill deadline the platform around it should wait: the platform's
#: deadline runs from the stop signal to the supervisor, which then stops its programs and waits its own
SUPERVISOR_MARGIN = 5


def nested_deadlines(launch: Launch) -> tuple[Hop, Hop] | None:
    """(the platform's hop, the supervisor's hop) when a supervisor inside the platform (supervisord or circus run
    as a container's command or by a unit: :data:`INNER_SUPERVISORS`) kills the consumer after a deadline of its
    own while the platform kills the supervisor, its programs with it, after its deadline: both known.  None for
    any other chain."""
    if len(launch.chain) < 2 or launch.chain[0].deadline is None or not launch.chain[0].deadline.known:
        return None
    found = next(((index, hop) for index, hop in enumerate(launch.chain) if index and hop.kind == "supervisor"
                  and hop.deadline is not None and hop.name.split(" ")[0] in INNER_SUPERVISORS), None)
    if found is None or found[1].deadline is None or not found[1].deadline.known:
        return None
    index, inner = found
    if not all(hop.passes_signal for hop in launch.chain[:index]):
        return None  # (a script that daemonizes it: the platform's stop never reaches it, its deadline stands alone)
    return launch.chain[0], inner


def nested_raises(launch: Launch, seconds: int) -> tuple[Hop, Hop, bool, int] | None:
    """For a supervisor inside the platform (:func:`nested_deadlines`) whose consumer needs ``seconds`` before
    SIGKILL: (the platform's hop, the supervisor's hop, whether the supervisor's deadline must rise to ``seconds``,
    what the platform's must rise to, 0 when it is long enough: :data:`SUPERVISOR_MARGIN` above the supervisor's
    raised one, else ``seconds``); None for any other chain."""
    nested = nested_deadlines(launch)
    if nested is None:
        return None
    outer, inner = nested
    raise_inner = inner.deadline is not None and (inner.deadline.value or 0) < seconds
    wanted = seconds + SUPERVISOR_MARGIN if raise_inner else seconds
    short = outer.deadline is not None and (outer.deadline.value or 0) < wanted
    return outer, inner, raise_inner, wanted if short else 0


def outer_deadline_fix(launch: Launch, ctx: Context, outer: Hop, seconds: int) -> Fix | None:
    """The kill deadline of the platform around a supervisor (:func:`nested_deadlines`) set to ``seconds``, in
    the platform's own file: a written value replaced, else the key added to the compose service that runs the
    image (named at the hop) or to a plain Kubernetes manifest's pod spec; None where no file says it (``docker
    stop``'s 10 s, a unit not read as the launch's) or the platform accepts no such deadline."""
    deadline = outer.deadline
    if deadline is None or outer.name not in DEADLINE_KEYS or not outer.loc.path:
        return None
    if outer.max_deadline is not None and seconds > outer.max_deadline:
        return None
    key, form = DEADLINE_KEYS[outer.name]
    value = form.format(seconds)
    description = f"set `{key}` to {value}"
    if outer.name == "compose":
        line = _line(ctx, outer.loc)
        service = line[outer.loc.col - 1:outer.loc.end_col - 1] if line is not None and outer.loc.end_col else ""
        if not service or service.strip() != service or any(ch in service for ch in "\"'{}"):
            return None  # the service's name as written is its key (not quoted, no template)
        return _fix(description, set_setting(replace(launch, platform="compose", loc=outer.loc, name=service), ctx,
                                             deadline, key, value))
    if not deadline.loc.is_default:
        return _fix(description, _replace_written(ctx, deadline, value))
    if outer.name == "kubernetes":
        return _fix(description, pod_spec_add(launch, ctx, f"{key}: {value}"))
    return None


def restart_setting(restart: Val[bool]) -> str:
    """The setting that decided ``restart`` when it is not the platform's usual restart key (:class:`Restart`:
    ``"condition"``, a compose service's written ``deploy.restart_policy.condition``, which ``docker compose up``
    applies over ``restart:`` and a Swarm stack reads alone; ``"policy"``, a ``deploy.restart_policy`` without a
    ``condition``, no restart under ``docker compose up`` whatever ``restart:`` says), else ``""``."""
    return restart.setting if isinstance(restart, Restart) else ""


def _condition_added(launch: Launch, ctx: Context, restart: Val[bool]) -> Edit | None:
    """``condition: any`` added to the service's own block mapping ``deploy.restart_policy`` whose key is at
    ``restart``; None when that key is not the service's own (a service it extends, a ``<<: *merge``, an ``*alias``
    of an anchor written above, an ``&anchor`` another service may share) or the mapping is written in flow style
    (``restart_policy: {}``)."""
    path = restart.loc.path or ""
    text = ctx.text(path) if path else None
    service = yaml_node(path, text, ["services", launch.name]) if text is not None else None
    if text is None or service is None or "deploy" not in (getattr(getattr(service, "lc", None), "data", None) or {}):
        return None
    deploy_line = service.lc.key("deploy")[0]
    deploy = service["deploy"]
    if "restart_policy" not in (getattr(getattr(deploy, "lc", None), "data", None) or {}):
        return None
    policy_line = deploy.lc.key("restart_policy")[0]
    lines = text_lines(text)
    if policy_line + 1 != restart.loc.line or policy_line <= deploy_line or any(
            "&" in lines[number].split("#")[0].partition(":")[2] for number in (deploy_line, policy_line)):
        return None  # (an alias's anchor is written above it)
    return yaml_mapping_set(path, text, ["services", launch.name, "deploy", "restart_policy"], "condition", "any")


def restart_fix(launch: Launch, ctx: Context, restart: Val[bool]) -> Fix | None:
    """The platform's restart setting set (:data:`RESTART_KEYS`); where a written ``deploy.restart_policy.condition:
    none`` decides (``restart``'s place), that condition replaced by ``any``, and where a ``deploy.restart_policy``
    without a condition does, ``condition: any`` added to it: a ``restart:`` added beside it would change nothing
    (compose applies the policy over it, a Docker Swarm stack ignores it)."""
    if restart_setting(restart) == "condition":
        return _fix("set `deploy.restart_policy.condition` to `any`", _replace_written(ctx, restart, "any"))
    if restart_setting(restart) == "policy":
        return _fix("add `condition: any` to `deploy.restart_policy`", _condition_added(launch, ctx, restart))
    if launch.compose is not None and launch.compose.stack is not None:
        return None
    if launch.platform not in RESTART_KEYS:
        return None
    key, value = RESTART_KEYS[launch.platform]
    return _fix(f"set `{key}` to `{value}`", set_setting(launch, ctx, restart, key, value))


#: huey's consumer options as the keyword arguments of ``Consumer(...)``/``huey.create_consumer(...)`` (the
#: ``dest`` of each option in huey/consumer_options.py): option -> (keyword, how its value is written)
_KEYWORDS = {"-g": ("graceful_signal", '"{}"'), "-t": ("shutdown_timeout", "{}"), "-f": ("flush_locks", "True"),
             "-L": ("extra_locks", '"{}"')}


def code_options(launch: Launch, words: list[str]) -> str | None:
    """How to give a consumer that a Python program builds itself (``Consumer(huey, workers=4).run()``,
    ``huey.create_consumer(...)``: launch program ``script``) the command-line options ``words``: the same
    settings as keyword arguments of that call (``pass `graceful_signal="TERM", shutdown_timeout=25` to the
    consumer `run_worker.py` builds``), since no command line reaches it; None for every other launch (its
    options are command-line words) or an option with no keyword here."""
    script = launch.consumer.script
    if launch.program != "script" or script is None or not isinstance(script.value, str):
        return None
    keywords: list[str] = []
    index = 0
    while index < len(words):
        spec = _KEYWORDS.get(words[index])
        if spec is None:
            return None
        takes_value = "{}" in spec[1]
        value = words[index + 1] if takes_value and index + 1 < len(words) else ""
        if words[index] == "-L" and "-f" not in words:
            keywords.append("flush_locks=True")  # the flush itself: named locks are flushed along with it
        keywords.append(f"{spec[0]}={spec[1].format(value)}")
        index += 2 if takes_value else 1
    return f"pass `{', '.join(keywords)}` to the consumer `{script.value}` builds"


def command_fix(launch: Launch, ctx: Context, words: list[str], description: str) -> Fix | None:
    """``words`` added to the consumer's command line, right after its program word; None when hueylint did
    not see the consumer's command (a part of the launch was not followed)."""
    consumer = launch.consumer.program
    if consumer is None or launch.unresolved or consumer.loc.is_default or launch.program not in CONSUMER_PROGRAMS:
        return None  # a Python script starting the consumer itself does not read huey's options
    at = launch.consumer.options_at
    if at is not None:  # a wrapper's `"$@"`: after the last word its caller writes, when written there as a word
        text = ctx.text(at.path or "")
        last_word = launch.argv[-1] if launch.argv else launch.program
        lines = text_lines(text) if text is not None else []
        written = lines[at.line - 1][at.col - 1:at.end_col - 1] if 1 <= at.line <= len(lines) and \
            at.end_line in (0, at.line) else None
        edit = insert_args(text, at, words) if text is not None and written == last_word else None
        return _fix(description, edit) if edit is not None else None
    text = ctx.text(consumer.loc.path or "")
    last = _last_word(launch, consumer.loc, text) if text is not None else None
    edit = insert_args(text, last, words) if text is not None and last is not None else None
    if edit is not None and text is not None and not yaml_string_insertion_ok(edit.path, text, edit):
        return None  # in a YAML string over several lines, the words would not land in the command it runs
    return _fix(description, edit)


def _last_word(launch: Launch, program: Loc, text: str) -> Loc | None:
    """The last consumer argument (``launch.argv``, found in order after the program word, and after
    ``run_huey``/``djangohuey`` for Django) on the program's line or the lines that continue it (the next lines
    of a YAML block scalar, ``command: >``, or a ``\\`` continuation: each word the next one written), so new
    options go at the end of the command; None when some of the arguments are not written there (``"$@"`` from
    another file, a word between them): an option added there could land before the Django subcommand."""
    lines = text_lines(text)
    if not program.path or not 1 <= program.line <= len(lines):
        return None
    line, cursor, last = lines[program.line - 1], program.end_col - 1, program
    words = list(launch.argv)
    following = lines[program.line] if program.line < len(lines) else ""
    if launch.platform == "circus" and words and not line[cursor:].strip() and following.lstrip().startswith("args"):
        # circus: `cmd = huey_consumer` and the arguments on their own `args = ...` line
        line, cursor = following, following.find("=") + 1
        program = Loc(program.path, program.line + 1, cursor, program.line + 1, cursor)
    if launch.program in DJANGO_COMMANDS:  # `manage.py run_huey`: the options follow the command
        words.insert(0, launch.program)
    number = program.line
    # a blank line inside a YAML scalar is a line break of its value (blank to a shell splitting it into words);
    # elsewhere it ends the command
    yaml = (program.path or "").endswith((".yml", ".yaml"))
    for word in words:
        found = line.find(word, cursor)
        # the command goes on on the next line: a YAML block or multi-line scalar (`command: >` folds its lines into
        # one string of words), a `\` continuation; the word is the next one written there
        while (found < 0 or line[cursor:found].strip(" \t\"',") != "") and number < len(lines) \
                and line[cursor:].strip(" \t\"',\\") == "" and (yaml or lines[number].strip()):
            number, line, cursor = number + 1, lines[number], 0
            found = line.find(word)
        if found < 0 or line[cursor:found].strip(" \t\"',") != "":
            return None
        cursor = found + len(word)
        last = Loc(program.path, number, found + 1, number, cursor + 1)
    return last


def option_value_fix(value: Val[Any], ctx: Context, replacement: str, description: str) -> Fix | None:
    """A consumer option's written value replaced: ``value.loc`` spans the option as written (``-t``,
    ``--shutdown-timeout``, ``-t55``, ``--shutdown-timeout=55``); its value is the rest of that word, or the
    next word (``-t 55``, ``"-t", "55"``)."""
    if value.loc.is_default or not value.known or value.loc.line != value.loc.end_line:
        return None
    line = _line(ctx, value.loc)
    if line is None:
        return None
    expected = f"{value.value:g}" if isinstance(value.value, float) else str(value.value)
    written = line[value.loc.col - 1:value.loc.end_col - 1]
    flag = written.lstrip("\"'")
    if flag.startswith("-") and flag.rstrip("\"'").endswith(expected) and flag.rstrip("\"'") not in ("-t", "--shutdown-timeout"):
        start = value.loc.col - 1 + written.rindex(expected)  # -t55, --shutdown-timeout=55
    else:
        gap = len(line[value.loc.end_col - 1:]) - len(line[value.loc.end_col - 1:].lstrip(" \t=\"',"))
        start = value.loc.end_col - 1 + gap
    if line[start:start + len(expected)] != expected or line[start + len(expected):start + len(expected) + 1].isalnum():
        return None
    return _fix(description, Edit(value.loc.path or "", value.loc.line, start + 1, value.loc.line,
                                  start + 1 + len(expected), replacement))


def option_words(value: Val[Any], ctx: Context) -> tuple[int, int, int] | None:
    """(line, start col, end col) of an option and its value as written (``-l /x``, ``--logfile=/x``,
    ``"-l", "/x"``), the separator before it included, for removing the option; None when not precise."""
    if value.loc.is_default or value.loc.line != value.loc.end_line or not value.known:
        return None
    line, written = _line(ctx, value.loc), str(value.value)
    if line is None:
        return None
    start = value.loc.col - 1
    end = line.find(written, value.loc.end_col - 1 if line[start:value.loc.end_col - 1].lstrip("\"'").startswith("-")
                    else start)
    if end < 0 or line[value.loc.end_col - 1:end].strip(" =\"',") != "":
        return None
    end += len(written)
    if line[start:start + 1] in ("\"", "'") or (start and line[start - 1] in "\"'"):  # exec form: `, "-l", "/x"`
        start -= 0 if line[start:start + 1] in ("\"", "'") else 1
        end += 1 if line[end:end + 1] == line[start] else 0
        head = line[:start].rstrip()
        if not head.endswith(","):
            return None
        start = len(head) - 1
    else:
        while start and line[start - 1] in " \t":
            start -= 1
    return value.loc.line, start + 1, end + 1


def grace_for(longest: float, timeout: float | None = None) -> int:
    """A kill deadline that fits ``longest`` seconds of task and ``-t`` (5 s above the larger; a ``-t`` no join
    can wait, HL002, is left out)."""
    need = max(longest if longest != math.inf else 0, timeout if timeout and joinable_timeout(timeout) else 0)
    return int(math.ceil(need)) + 5


SHELL_SYNTAX = set("$;&|<>()*?[]{}~`'\"\\#=")


def exec_form_fix(launch: Launch, ctx: Context, *, image_command: bool = False) -> Fix | None:
    """A one-line shell-form Dockerfile ``CMD``/``ENTRYPOINT`` that starts the consumer and holds no shell
    syntax, rewritten in exec (JSON) form: the same words, no ``/bin/sh -c`` in between. ``image_command``:
    the wrapper is known to be that instruction's ``/bin/sh -c`` although the launch is a compose service or
    Kubernetes container running the image's command."""
    import json

    consumer = launch.consumer.program
    if consumer is None or (not image_command
                            and (launch.platform != "docker" or consumer.loc.path != launch.loc.path)):
        return None
    line = _line(ctx, consumer.loc)
    if line is None:
        return None
    stripped = line.lstrip()
    keyword, _, rest = stripped.partition(" ")
    if keyword.upper() not in ("CMD", "ENTRYPOINT") or not rest.strip() or rest.lstrip().startswith("["):
        return None
    if any(ch in SHELL_SYNTAX for ch in rest) or line.rstrip().endswith("\\"):
        return None
    start = len(line) - len(stripped) + len(keyword) + 1 + (len(rest) - len(rest.lstrip()))
    words = rest.split()
    return _fix(f"{keyword} in exec form", Edit(consumer.loc.path or "", consumer.loc.line, start + 1,
                                               consumer.loc.line, len(line.rstrip()) + 1, json.dumps(words)))


def exec_fix(launch: Launch, ctx: Context, *, instruction: bool = False, last_on_path: bool = False,
             command: Loc | None = None) -> Fix | None:
    """``exec`` before the consumer's command when it is the final command of a ``sh -c`` string or of a
    script: the command starts after ``&&``/``;``/the string's opening quote (or at the line's start in a
    script), nothing but the closing quote (or, in a script, blank and comment lines) follows it.
    ``instruction``: the line is a one-line shell-form Dockerfile ``CMD``/``ENTRYPOINT``: its command starts
    after the keyword or the last ``&&``/``;`` (``CMD exec huey_consumer ...``), never before the keyword;
    the Dockerfile's later lines do not matter.  ``last_on_path``: the chain found that nothing but ``exit``
    runs after the command on the launch's path (a script's ``case`` arm or ``if`` branch with nothing after
    the ``esac``/``fi``, a function called last: ``WrapperProblem.how == "last"``), so later lines of the
    script do not matter, the arm's ``;;`` may follow the command and a ``pattern)`` may precede it.

    A command written in a YAML string over several lines (``- |`` and the script below it, ``>-``, a plain
    or quoted scalar continued on the next lines) is judged on the string's value, the code the shell runs
    (a folded line is one line of it), and ``exec`` is written only where it lands in that value exactly
    (:func:`~hueylint.fix_edits.yaml_string_edit`: the file still reads as YAML with that value).

    ``command``: instead of the consumer, the command written there (one line, all of its words), which leads to
    the consumer through another hop (``sh -c ". /env && /app/start.sh"``: `exec` before ``/app/start.sh``); it
    must then end its string or script, as the consumer must."""
    consumer = launch.consumer.program
    if consumer is None or consumer.loc.is_default or launch.unresolved:
        return None
    if command is not None and (command.is_default or command.end_line not in (0, command.line)):
        return None
    at_loc = command if command is not None else consumer.loc
    path = at_loc.path or ""
    text = ctx.text(path) or ""
    scalar = None if instruction else yaml_string_at(path, text, at_loc.line, at_loc.col)
    if scalar is not None:  # the code is the string's value: its lines, the consumer's line and column in it
        found, at = scalar
        code = found.value
        number = code.count("\n", 0, at) + 1
        col = at - (code.rfind("\n", 0, at) + 1) + 1
        width = at_loc.end_col - at_loc.col if at_loc.end_line in (0, at_loc.line) else 0
        program = Loc(path, number, col, number, col + max(width, 1))
    else:
        code, program = text, at_loc
    lines = text_lines(code)
    if not 1 <= program.line <= len(lines):
        return None
    line = lines[program.line - 1]
    head = line[: program.col - 1]
    quote = max(head.rfind("'"), head.rfind('"'))
    in_string = quote >= 0 and head.count(head[quote]) % 2 == 1
    # a script's command the chain found last on the path: what follows it (`;;`, `esac`, other arms, its
    # arguments from elsewhere: `--queue "$2"`) does not run after it, only where it starts matters
    proven = last_on_path and not in_string and not instruction and command is None
    if scalar is None and not in_string and yaml_unreadable(path, text):
        return None  # a template that is no YAML (Helm): the consumer's line may be part of a folded string
    if proven and launch.program not in line[program.col - 1:]:
        return None  # the command is not written at that place
    if not proven:
        last = _last_word(launch, program, code) if command is None else program  # (the command's words, whole)
        if last is None:
            return None
        end = last.end_col - 1
        rest = line[end:].strip()
        if in_string:  # a `-c` string: only its closing quote may follow
            if not rest.startswith(head[quote]) or head[quote] in line[program.col - 1:end]:
                return None  # more follows the consumer, or its words are exec-form strings of their own
        elif rest and not rest.startswith("#"):
            return None
        elif not instruction and any(other.strip() and not other.lstrip().startswith("#")
                                     for other in lines[program.line:]):
            return None  # not the script's last command
    base = quote + 1 if in_string else 0
    if proven:  # a case arm written on one line: `worker) huey_consumer ... ;;`
        pattern = re.match(r"\s*\(?[^()|;&'\"]*\)\s*", head)
        base = pattern.end() if pattern else 0
    found_op = _last_operator(head[base:])
    if found_op is not None and found_op[1].startswith("|"):
        return None  # a pipeline or an `||` list: `exec` there runs in a subshell, or not at all
    if instruction and (in_string or (found_op is None and head.strip().upper() not in ("CMD", "ENTRYPOINT"))):
        return None
    cut = base + found_op[0] + len(found_op[1]) if found_op is not None else base if in_string or base else -1
    if instruction and cut < 0:  # right after the keyword
        cut = len(head.rstrip())
    start = max(cut, 0)
    segment = head[start:]
    first = segment.split()[0] if segment.split() else ""
    if "=" in first or first in ("exec", "nohup", "then", "do", "else") or segment.strip().endswith("|"):
        return None
    col = start + len(segment) - len(segment.lstrip()) + 1
    if cut < 0 and head[:col - 1].strip() != "":
        return None
    if cut < 0 and program.line > 1 and _continues(lines[program.line - 2]):
        return None  # the line continues the one above (`nice \`): the command starts there
    builtin = re.match(r"command(?:\s+-p)*\s+", line[col - 1:]) if first == "command" else None
    if builtin is not None:  # the `command` builtin runs what follows: `exec command` would run a program `command`
        col += builtin.end()
    word = line[col - 1:].split()[0]
    if in_string and not proven and len(line[col - 1:end].split()) == 1:
        word = line[col - 1:end]  # a lone word before the string's closing quote: the quote is not part of it
    description = f"`exec` {word}"
    if scalar is not None:
        offset = at - (program.col - col)
        return _fix(description, yaml_string_edit(path, text, scalar[0], offset, "exec "))
    return _fix(description, Edit(path, program.line, col, program.line, col, "exec "))


def _continues(line: str) -> bool:
    """The shell line ends with a backslash that joins the next line to it (an odd number of them)."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _last_operator(text: str) -> tuple[int, str] | None:
    """The last control operator of the shell text ``text`` outside quotes: (index, ``&&``, ``||``, ``;``,
    ``&``, ``|`` or ``|&``); an ``&`` of a redirection (``2>&1``, ``&>``, ``<&``) is none. None when there is
    none. Quotes and backslashes as POSIX sh reads them."""
    found, index, quote = None, 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                index += 1
        elif char == "\\":
            index += 1
        elif char in "'\"":
            quote = char
        elif char in ";&|":
            token = text[index:index + 2] if text[index:index + 2] in ("&&", "||", "|&", ";;") else char
            redirect = char == "&" and token == "&" and (text[index - 1:index] in "<>" and index > 0
                                                         or text[index + 1:index + 2] == ">")
            if not redirect:
                found = (index, token)
            index += len(token) - 1
        index += 1
    return found


def literal_false_fix(ctx: Context, loc: Loc, description: str, *, conditional: bool = False) -> Fix | None:
    """The literal ``True`` that ends the one-line span ``loc`` (``True``, ``'immediate': True``,
    ``huey.immediate = True``) replaced with ``False``; unsafe when it is written in an if/try branch
    (``conditional``): the code's own choice for that case, where perhaps no consumer runs."""
    line = _line(ctx, loc)
    if line is None or loc.line != loc.end_line:
        return None
    span = line[loc.col - 1:loc.end_col - 1]
    if not span.endswith("True") or (len(span) > 4 and (span[-5].isalnum() or span[-5] == "_")):
        return None
    col = loc.end_col - 4
    return _fix(description, Edit(loc.path or "", loc.line, col, loc.line, loc.end_col, "False"),
                UNSAFE if conditional else SAFE)


def dict_key_fix(ctx: Context, loc: Loc, key: str, value: str, description: str) -> Fix | None:
    """``'key': value,`` as the first entry of the multi-line dict literal that ``loc`` starts
    (``HUEY = {`` ending its line), indented and quoted like the dict's first entry."""
    text = ctx.text(loc.path or "") if loc.path else None
    lines = text_lines(text) if text is not None else ()
    if not 1 <= loc.line < len(lines) or not lines[loc.line - 1].split("#")[0].rstrip().endswith("{"):
        return None
    following = lines[loc.line]
    entry = following.strip()
    if not entry or entry[0] not in "\"'":
        return None
    quote = entry[0]
    return _fix(description, Edit(loc.path or "", loc.line + 1, 1, loc.line + 1, 1,
                                  f"{indent_of(following)}{quote}{key}{quote}: {value},\n"))


def swap_lines_fix(ctx: Context, first: Loc, second: Loc, description: str) -> Fix | None:
    """The two one-line decorators ``first`` and ``second`` (their ``@`` at ``col - 1``, nothing else on their
    lines but a comment) swapped, each keeping the other's line."""
    a, b = _line(ctx, first), _line(ctx, second)
    if a is None or b is None or first.line == second.line or first.path != second.path:
        return None
    for loc, line in ((first, a), (second, b)):
        if loc.line != loc.end_line or line[:loc.col - 1].strip() != "@":
            return None
    return Fix(description, (Edit(first.path or "", first.line, 1, first.line, len(a) + 1, b),
                             Edit(second.path or "", second.line, 1, second.line, len(b) + 1, a)))
