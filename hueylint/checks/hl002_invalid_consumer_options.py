"""HL002: consumer command lines huey would refuse or misread, and Django consumer settings keys it does not
know.

The consumer's command line is parsed as huey's own parsers do (:mod:`hueylint.consumer_cli`) and the
platform builders add what they find (a ``huey_consumer.py`` huey 3 no longer installs); each records a
:class:`~hueylint.model.Problem`: what huey does with the option as written and the huey it runs.
:func:`describe` writes the message (huey's own parser error is quoted verbatim).
"""

from __future__ import annotations

import re
from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import settings_configs
from hueylint.findings import Finding
from hueylint.huey_options import check_config_keys
from hueylint.model import Problem, Project
from hueylint.regexes import lazy_pattern

# Problem.kind -> the message, formatted with the problem's fields (``value`` of -b/-t with :g)
MESSAGES = {
    "needs-version": ("`{option}` needs huey {since} or newer, but this launch runs {huey}. Fix: upgrade huey to {since} "
                      "or newer where the launch's version comes from, or drop `{option}`"),
    "removed": ("`{option}` was removed in huey {since}, and this launch runs {huey}: the consumer refuses to start. "
                "Fix: drop `{option}`"),
    "renamed": "`{option}` was renamed `{to}` in huey {since}; {huey} refuses the old spelling. Fix: write `{to}`",
    "old-spelling": ("{huey} spells it `{to}` (`{option}` arrived in {since}). Fix: write `{to}`, or upgrade huey to "
                     "{since} or newer"),
    "not-an-option": ("`{option}` is not an option of {program}: Django refuses the command. Fix: drop `{option}`, or "
                      "write the option as `manage.py {program} --help` lists it"),
    "positional": ("`{option}`: {program} takes no positional argument (Django refuses it). Fix: drop `{option}` (the "
                   "command runs the app of the `HUEY` setting) or give it the option it belongs to"),
    "no-app": ("no import path to the Huey instance: huey exits at start. Fix: name it as the first argument, "
               "`huey_consumer my_app.huey` (module and attribute)"),
    "backoff": "`-b {value:g}`: the backoff must be at least 1. Fix: `-b 1` or more (huey's default is 1.15)",
    "join-refuses-timeout": ("`-t {value:g}`: huey waits for its workers this long when it stops gracefully, and "
                             "Python's Thread.join refuses it ({said}): the consumer crashes instead of stopping. "
                             "Fix: `-t` a few seconds below the kill deadline"),
    "scheduler-interval": ("`-s {value}`: the scheduler interval must divide 60. Fix: one of 1, 2, 3, 4, 5, 6, 10, 12, "
                           "15, 20, 30 or 60 (huey's default is 1)"),
    "max-tasks-without-health": ("`-M` with `-C`: max_tasks recycles workers through the health check, which `-C` "
                                 "disables (huey refuses to start). Fix: drop `-C`, or `-M`"),
    "negative-timeout": ("`-t {value:g}`: the shutdown timeout cannot be negative. Fix: `-t` a few seconds below the "
                         "kill deadline"),
    "script-not-installed": ("`{option}`: huey 3.0 stopped installing `huey_consumer.py` ({huey}), so this command "
                             "fails with 'not found'. Fix: run `huey_consumer` (same options)"),
    "unknown-setting": ("`{option}` is not a consumer setting: huey silently ignores it{hint}. Fix: use a "
                        "ConsumerConfig key (`workers`, `worker_type`, `periodic`, `flush_locks`, ...) or remove it"),
    "setting-needs-version": ("`{option}` needs huey {since} or newer, but the app runs {huey}: it is silently ignored. "
                              "Fix: upgrade huey to {since} or newer, or remove it"),
    "command-not-installed": ("`{option}` is a management command of `{to}`, which the INSTALLED_APPS of `{said}` do "
                              "not list: Django exits with \"Unknown command: '{option}'\" and the consumer never "
                              "starts. Fix: add `'{to}'` to INSTALLED_APPS"),
    "exec-form-variable": ("`{option}` reaches huey as written: a Dockerfile exec form (JSON) runs no shell, so no "
                           "variable is substituted in it (huey gets the text `{option}`, the consumer fails or "
                           "misreads it). Fix: write the value, or run the command through a shell "
                           "(`[\"sh\", \"-c\", \"exec huey_consumer ...\"]`)"),
    "args-replaced": ("`{option}` never reaches huey: the program replaces `sys.argv` ({said}) before "
                      "`consumer_main()`, so huey reads only the words written there and runs with its defaults for "
                      "the rest. Fix: write these options in the program's `sys.argv`, or extend it "
                      "(`sys.argv.extend([...])`) instead of replacing it"),
    "module-not-consumer": ("`{option}` starts no consumer: {said}. Fix: run `huey_consumer` (the console script, "
                            "same options) or `python -m {to}`"),
    "colon-app-path": ("`{option}`: huey's consumer imports `module.attribute` (dots only); a `module:attribute` path "
                       "fails at start with an import error. Fix: write `{to}`"),
}


def describe(problem: Problem) -> str:
    """The problem's message: what huey does with the option as written, and the fix."""
    if problem.kind == "exec-not-json":
        return _exec_not_json(problem)
    if problem.kind == "refused":
        text = f"huey would refuse this command line: {problem.said}. Fix: {refused_fix(problem.said)}"
        return f"on the paths that pass it ({problem.maybe}): {text}" if problem.maybe else text
    hint = f" (did you mean `{problem.hint}`?)" if problem.hint else ""
    text = MESSAGES[problem.kind].format(said=problem.said, option=problem.option, since=problem.since,
                                         huey=problem.huey, to=problem.to, program=problem.program,
                                         value=problem.value, hint=hint)
    return f"on the paths that pass it ({problem.maybe}): {text}" if problem.maybe else text


#: the parsers' errors (optparse for huey_consumer, argparse for Django's commands), each with its fix; ``opt`` the
#: option refused, ``value`` the value it was given
_REFUSALS = (
    (lazy_pattern(r"(?:option |argument )(?P<opt>[^:]+): invalid choice: '(?i:gevent)'"),
     "`-k greenlet` (huey's name for gevent workers)"),
    (lazy_pattern(r"(?:option |argument )(?P<opt>[^:]+): invalid choice: "), "one of the choices listed"),
    (lazy_pattern(r"option (?P<opt>-\w): invalid [\w-]+ value: '=(?P<value>[^']*)'"),
     "`{opt} {value}` (huey's optparse takes `={value}` as the value)"),
    (lazy_pattern(r"(?:option |argument )(?P<opt>[^:]+): invalid [\w-]+ value: "), "give `{opt}` a number"),
    (lazy_pattern(r"(?P<opt>\S+) option requires \d+ argument"), "give `{opt}` its value"),
    (lazy_pattern(r"argument (?P<opt>[^:]+): expected one argument"), "give `{opt}` its value"),
    (lazy_pattern(r"(?P<opt>\S+) option does not take a value"), "write `{opt}` alone: it is a flag"),
    (lazy_pattern(r"ambiguous option: (?P<opt>\S+) (?:\((?P<value>[^?]*)\?\)|could match (?P<matches>.*))"),
     "write the whole option name ({value})"),
    (lazy_pattern(r"(?:no such option|unrecognized arguments): (?P<opt>.+)"),
     "drop `{opt}`, or write the option as the consumer's `--help` lists it"),
)


def refused_fix(said: str) -> str:
    """The fix for a parser's refusal of the command line (:data:`_REFUSALS`)."""
    for pattern, fix in _REFUSALS:
        found = pattern.search(said)
        if found is not None:
            parts = found.groupdict()
            names = (parts.get("value") or parts.get("matches") or "").replace(",", " ").split()
            value = " or ".join(f"`{name}`" for name in names) if "matches" in parts and names else parts.get("value")
            return fix.format(opt=parts["opt"].strip(), value=value or "")
    return "write the options as the consumer's `--help` lists them"


def _exec_not_json(problem: Problem) -> str:
    """A Dockerfile ENTRYPOINT/CMD that looks like an exec form but is no JSON: the shell command Docker runs
    instead, quoted as a shell would need it, and the exec form meant."""
    text, first = problem.program, problem.hint
    quoted = f"'{text}'" if "'" not in text else '"' + re.sub(r'(["\\$`])', r"\\\1", text) + '"'
    comment = " (a Dockerfile comment must be on its own line)" if "#" in text else ""
    return (f"`{problem.option}` is not valid JSON ({problem.said}): Docker runs this as /bin/sh -c {quoted}, whose "
            f"first word `{first}` {'is the test command' if first in ('[', '[[') else 'is no command'}, so the "
            "container exits at start and the consumer never runs. "
            f"Fix: `{problem.option} {problem.to}`{comment}")


@check("HL002")
def consumer_settings_keys(project: Project, ctx: Context) -> Iterable[Finding]:
    for rel, config, _loc, _setting in settings_configs(project):
        if not config.consumer:
            continue
        keys = {key: val.loc for key, val in config.consumer.items()}
        for problem in check_config_keys(keys, project.version_for(rel)):
            yield Finding("HL002", f"HUEY['consumer']: {describe(problem)}", problem.loc)


@check("HL002")
def invalid_consumer_options(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        for problem in launch.problems:
            yield Finding("HL002", describe(problem), problem.loc)
