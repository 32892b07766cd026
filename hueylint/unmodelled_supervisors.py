"""Supervisors hueylint does not model, and the notice a file of one that starts the consumer gets.

A consumer started by one of these runs in production, but hueylint builds no launch for it: its stop
signal, kill deadline and restart policy are not checked.  Silence would read as "checked and fine", so
such a file gets a notice at the line naming the consumer command, saying which supervisor runs it.

* daemontools-style service directories (``sv/NAME/run``, ``service/NAME/run``): runit's ``runsv``,
  daemontools' ``supervise`` and s6's ``s6-supervise`` run ``./run`` and restart it when it exits.  To stop
  it, runit's ``sv down`` sends "the TERM signal, and the CONT signal" (sv(8)), as daemontools' ``svc -d``
  does ("send it a TERM signal and then a CONT signal", svc(8)) and s6's ``s6-svc -d`` ("a SIGTERM (by
  default) then a SIGCONT ... changed by ... ./down-signal", s6-svc's page); none sends SIGKILL after it
  unless told (``sv force-stop`` waits 7 s, ``sv -w SEC``; s6's ``timeout-kill``).  s6-overlay's layout
  (``s6-rc.d``, ``services.d``) is modelled: :mod:`hueylint.platforms.s6`.
* SysV init scripts (``init.d/NAME``, Debian's ``debian/NAME.init``): ``start-stop-daemon --stop`` sends
  "the TERM signal (or the one specified via --signal or --retry)" (start-stop-daemon(8)); nothing
  restarts a daemon that exits.
* OpenRC service scripts (``#!/sbin/openrc-run``, ``command=``, Gentoo's ``NAME.initd``): started by
  start-stop-daemon, or by ``supervise-daemon`` ("starts a daemon and restarts it if it crashes",
  supervise-daemon(8)) with ``supervisor=supervise-daemon``; ``retry=`` is the stop schedule (openrc-run(8)).
* launchd jobs (macOS, ``NAME.plist`` with ``Label`` and ``Program``/``ProgramArguments``): launchd stops a
  job with SIGTERM and sends SIGKILL ``ExitTimeOut`` seconds later (20 by default; launchd.plist(5));
  ``KeepAlive`` restarts it.
* Upstart jobs (``init/NAME.conf``: ``exec`` or ``script`` with ``start on``/``respawn``): the stopping signal
  is ``kill signal`` (SIGTERM by default), SIGKILL follows after ``kill timeout`` (5 s by default), init(5).
* uWSGI's attached daemons (an ``.ini`` with a ``[uwsgi]`` section and ``attach-daemon``, ``smart-attach-daemon``,
  ``attach-daemon2`` keys): the master runs them and stops them when it stops or reloads, with SIGTERM then SIGKILL
  after ``reload-mercy`` (3 s when unset; uWSGI core/daemons.c); the master takes SIGTERM as a brutal reload unless
  ``die-on-term`` ("Managing the uWSGI server").  The
  command-line and environment spellings a launch gives are followed (:data:`hueylint.model.UWSGI_DAEMON_WHY`).
* Nomad jobs (``NAME.nomad``, ``NAME.nomad.hcl``: a ``job`` block with ``task`` blocks): Nomad "will send the
  SIGINT signal" (the task's ``kill_signal``) and force-kills after ``kill_timeout`` (5 s by default); a
  ``docker`` task is stopped by ``docker stop`` with that timeout, whose signal is the image's STOPSIGNAL,
  "the default is SIGTERM" (Nomad's "Configure exit signals" page); a group's ``count`` runs that many.

* PM2 ecosystem files (``ecosystem.config.js``, ``.cjs``, ``.json``, ``.yml``; ``pm2.config.js``): PM2 stops an
  app with SIGINT (``kill_signal``) and sends SIGKILL "if the application does not exit by itself before 1.6s"
  (``kill_timeout``, 1600 ms by default; PM2's "Graceful Stop" page); ``autorestart`` (true by default) restarts
  it and ``instances`` runs that many.

* NSSM, the Non-Sucking Service Manager (Windows services: ``nssm install NAME PROGRAM [ARGS]``, ``nssm set NAME
  AppParameters ...`` in a PowerShell or batch script, ``.ps1``/``.bat``/``.cmd``): NSSM stops the application by
  sending "a Control-C event ... to the application's console" (Python raises SIGINT: huey's graceful stop), then
  WM_CLOSE to its windows and WM_QUIT to its threads, and last ``TerminateProcess()``, which "cannot be trapped or
  ignored" (NSSM's README, "Stopping the service"); it waits ``AppStopMethodConsole`` milliseconds after the
  Control-C (``NSSM_KILL_CONSOLE_GRACE_PERIOD``, 1500; nssm's ``nssm.h``), and a console program has no window nor
  message queue for the next two; NSSM "will restart the service if it fails for any reason" (its README).
* WinSW, the Windows Service Wrapper (a ``<service>`` configuration whose ``<executable>`` and ``<arguments>``,
  ``<startarguments>`` or ``<argument>`` run the consumer: an XML file beside the renamed ``WinSW.exe``, or one a
  batch or PowerShell script writes, ``echo ^<arguments^>...`` or a here-string): "When the service is requested
  to stop, winsw first attempts to send a Ctrl+C signal to a console application ... then wait for up to 15
  seconds for the process to exit by itself gracefully. If the timeout expires ... winsw resorts to terminate the
  service instantly" (``<stoptimeout>``, WinSW's "XML configuration file" page); ``<onfailure action="restart"/>``
  restarts a process that "exits with non-zero exit code" (the same page).

* crontabs (a file named ``crontab``, ``NAME.crontab``, ``NAME.cron``, or in a ``cron.d``/``crontabs`` folder):
  cron runs a line's command with ``/bin/sh -c`` and forgets it, crontab(5): an ``@reboot`` line starts the
  consumer once at boot, nothing restarts it when it exits, and it is stopped only by the system's shutdown
  (SIGTERM, huey's "stop now"); a schedule (``*/5 * * * *``) starts a new one at every match, beside those still
  running, unless the command guards against it (``flock -n``).
* crontab lines an Ansible ``cron`` task installs (:func:`ansible_cron_notice`); those a script or a Dockerfile
  installs are :mod:`hueylint.platforms.crontabs`'s.
* PaaS configurations hueylint does not read: Google App Engine service configurations (a YAML file with a top-level ``runtime:`` and ``entrypoint:``,
  ``instance_class:``, a scaling block or ``env: flex``): their stop signal, deadline, restart and instances are
  not checked (:func:`paas_notice`); and CapRover's ``captain-definition`` whose ``dockerfileLines`` hold the image's
  Dockerfile inline (one pointing at a ``dockerfilePath`` is read through that Dockerfile).

The functions here read the text only: they run in discovery, before any file is parsed.
"""

from __future__ import annotations

import re

from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.regexes import lazy_pattern

#: folders that hold daemontools-style service directories (``/etc/sv``, ``/etc/service``, ``/service``,
#: ``/var/service``, a repository's ``runit/`` copy of them)
SERVICE_FOLDERS = frozenset({"sv", "service", "services", "runit", "daemontools", "s6", "supervise"})
#: name endings of init scripts kept outside an ``init.d`` folder (Debian's ``debian/NAME.init``, Gentoo's
#: ``files/NAME.initd``, ``contrib/init/NAME.openrc``)
INIT_SUFFIXES = (".init", ".initd", ".init.d", ".openrc")

#: the words every notice of this module holds (:func:`is_unmodelled_notice`)
NOT_MODELLED = "a supervisor hueylint does not model"


def is_unmodelled_notice(reason: str) -> bool:
    """Is a notice's reason one of this module's (a file of a supervisor hueylint does not model)?"""
    return NOT_MODELLED in reason


#: the words of the notice said at a script's line that installs a crontab (:mod:`hueylint.platforms.crontabs`)
INSTALLED_BY_SCRIPT = "is started by a crontab installed by"


def is_installed_crontab_notice(reason: str) -> bool:
    """Is a notice's reason that of a crontab a script installs (said at the script, even one a launch runs:
    cron, not the launch, runs that consumer)?"""
    return INSTALLED_BY_SCRIPT in reason


def service_run_file(parts: tuple[str, ...]) -> bool:
    """Is the repo path (split on ``/``) the ``run`` file of a daemontools-style service directory:
    ``.../sv/NAME/run``, ``.../service/NAME/run``, ``.../runit/NAME/run`` (s6-overlay's ``s6-rc.d`` and
    ``services.d`` are not asked: they are modelled)."""
    return (len(parts) >= 3 and parts[-1] == "run"
            and (parts[-3].lower() in SERVICE_FOLDERS or any("runit" in part.lower() for part in parts[:-2])))


def init_script(parts: tuple[str, ...]) -> bool:
    """Is the repo path (split on ``/``) an init script: a file of an ``init.d`` folder, or named so
    (:data:`INIT_SUFFIXES`)."""
    return (len(parts) >= 2 and parts[-2] == "init.d") or parts[-1].lower().endswith(INIT_SUFFIXES)


def consumer_at(text: str, comments: tuple[str, ...] = ("#",)) -> str | None:
    """Where a notice starts: ``line N: `WORD``` for the first line that names a consumer program outside a
    comment (a line starting with one of ``comments``); None when none does (the file then gets no notice)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(comments):
            continue
        found = CONSUMER_WORD.search(line)
        if found is not None:
            return f"line {number}: `{found.group(0)}`"
    return None


def _service_supervisor(rel: str, text: str) -> str:
    """Which supervisor the service directory is for, from its run file and path: runit's own tools
    (``chpst``, ``svlogd``, an ``sv/`` or ``runit/`` folder), daemontools' (``setuidgid``, ``envdir``,
    ``multilog``), s6's (``s6-*``); else the three of them."""
    lower = rel.lower()
    if re.search(r"\b(chpst|svlogd|runsv)\b", text) or "runit" in lower or lower.startswith("sv/") or "/sv/" in lower:
        return "runit"
    if re.search(r"(?<![\w-])s6-[a-z]", text) or "s6" in lower.split("/"):
        return "s6"
    if re.search(r"\b(setuidgid|envuidgid|envdir|softlimit|multilog)\b", text) or "daemontools" in lower:
        return "daemontools"
    return "runit, daemontools or s6"


#: how each supervisor of a service directory stops it (the notice says it): see the module's docstring
_SERVICE_STOPS = {
    "runit": "`sv down` sends SIGTERM then SIGCONT and no SIGKILL; `sv force-stop` sends SIGKILL after 7 s, `-w`",
    "daemontools": "`svc -d` sends SIGTERM then SIGCONT and no SIGKILL",
    "s6": "`s6-svc -d` sends SIGTERM (or `down-signal`) then SIGCONT; SIGKILL only after `timeout-kill`",
    "runit, daemontools or s6": "`sv down`, `svc -d` and `s6-svc -d` send SIGTERM then SIGCONT and no SIGKILL",
}


def service_notice(rel: str, text: str, copied: tuple[str, str, str] | None = None) -> str | None:
    """The notice for the ``run`` file of a service directory that names a consumer command, or None.

    ``copied``: (the image path, the ``COPY`` that puts the file there as ``Dockerfile:LINE``, the image's
    base) for a script of another name an image copies to a service directory's ``run`` (``COPY huey.sh
    /etc/service/huey/run``; phusion/baseimage's ``/sbin/my_init`` runs runit's ``runsvdir`` on ``/etc/service``)."""
    at = consumer_at(text)
    if at is None:
        return None
    if copied is None:
        supervisor = _service_supervisor(rel, text)
        what = f"this service directory's `run` script ({supervisor})"
    else:
        target, where, base = copied
        supervisor = _service_supervisor(target, text)
        if supervisor == "runit, daemontools or s6" and "phusion/" in base:
            supervisor = "runit"
        what = f"`{target}`, the `run` script of a service directory ({supervisor}) this file is copied to ({where})"
    return (f"{at} is run by {what}, {NOT_MODELLED}: its stop signal, "
            f"deadline and restart are not checked ({_SERVICE_STOPS[supervisor]}; huey takes SIGTERM as "
            "\"stop now\" unless the consumer runs with `-g TERM`)")


def _openrc(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.startswith("#!") and bool(re.search(r"\b(openrc-run|runscript)\b", first))


def init_script_notice(text: str) -> str | None:
    """The notice for a SysV init or OpenRC script that names a consumer command, or None."""
    at = consumer_at(text)
    if at is None:
        return None
    if _openrc(text):
        return (f"{at} is started by this OpenRC service script, {NOT_MODELLED}: "
                "its stop signal, deadline and restart are not checked (start-stop-daemon sends "
                "SIGTERM unless `retry=` says otherwise; nothing restarts the consumer without "
                "`supervisor=supervise-daemon`)")
    how = " (start-stop-daemon)" if "start-stop-daemon" in text else ""
    return (f"{at} is started by this SysV init script{how}, {NOT_MODELLED}: "
            "its stop signal, deadline and restart are not checked (`start-stop-daemon --stop` sends "
            "SIGTERM unless `--signal`/`--retry` say otherwise; nothing restarts a consumer that exits)")


_UPSTART_STANZA = lazy_pattern(r"^\s*(start on|stop on|respawn|exec|script|pre-start|post-stop|kill signal|"
                             r"kill timeout)\b", re.M)


def upstart_notice(text: str) -> str | None:
    """The notice for an Upstart job (``.conf``: ``start on``/``respawn`` and an ``exec`` or ``script``
    stanza) that names a consumer command, or None when the text is no Upstart job."""
    stanzas = {match.group(1) for match in _UPSTART_STANZA.finditer(text)}
    if not stanzas & {"exec", "script"} or not stanzas & {"start on", "stop on", "respawn"}:
        return None
    at = consumer_at(text)
    if at is None:
        return None
    return (f"{at} is started by this Upstart job, {NOT_MODELLED}: "
            "its stop signal (`kill signal`, SIGTERM by default), deadline (`kill timeout`, 5 s by default) "
            "and restart (`respawn`) are not checked")


_LAUNCHD_KEYS = lazy_pattern(r"<key>\s*(Label|Program|ProgramArguments)\s*</key>")


def launchd_notice(text: str) -> str | None:
    """The notice for a launchd job (a property list with ``Label`` and ``Program``/``ProgramArguments``)
    that names a consumer command, or None when the text is no launchd job."""
    keys = set(_LAUNCHD_KEYS.findall(text))
    if "Label" not in keys or not keys & {"Program", "ProgramArguments"}:
        return None
    at = consumer_at(text)
    if at is None:
        return None
    return (f"{at} is started by this launchd job (macOS), {NOT_MODELLED}: "
            "its stop signal, deadline and restart are not checked (launchd stops a job with SIGTERM, "
            "then SIGKILL after `ExitTimeOut`, 20 s by default; `KeepAlive` restarts it)")


_NOMAD_JOB = lazy_pattern(r'^[ \t]*job[ \t]+"[^"\n]*"[ \t]*\{', re.M)
_NOMAD_TASK = lazy_pattern(r'^[ \t]*task[ \t]+"[^"\n]*"[ \t]*\{', re.M)
#: HCL's comments: ``#`` and ``//`` lines (``/* */`` blocks are rare in job files and not skipped)
HCL_COMMENTS = ("#", "//")


def nomad_notice(text: str) -> str | None:
    """The notice for a Nomad job (HCL with a ``job "NAME" {`` block holding ``task "NAME" {`` blocks) that
    names a consumer command, or None when the text is no Nomad job or names none."""
    if not _NOMAD_JOB.search(text) or not _NOMAD_TASK.search(text):
        return None
    at = consumer_at(text, HCL_COMMENTS)
    if at is None:
        return None
    return (f"{at} is run by this Nomad job, {NOT_MODELLED}: its stop signal, deadline, restart and "
            "instances are not checked (Nomad sends the task's `kill_signal`, SIGINT by default, and for a "
            "`docker` task `docker stop`'s signal, the image's STOPSIGNAL else SIGTERM; SIGKILL follows after "
            "`kill_timeout`, 5 s by default; every instance of the group's `count` enqueues the periodic tasks "
            "unless run with `--no-periodic`)")


_UWSGI_SECTION = lazy_pattern(r"^[ \t]*\[uwsgi\][ \t]*$", re.M)
_UWSGI_DAEMON_KEY = lazy_pattern(r"^[ \t]*(?:smart-)?attach-(?:control-)?daemon2?[ \t]*=[^\n]*$", re.M)


def uwsgi_ini_notice(text: str) -> str | None:
    """The notice for a uWSGI ini file whose ``attach-daemon`` (or ``smart-``/``attach-daemon2``) line names a
    consumer command, or None when the text is no uWSGI config or no daemon line names one."""
    if not _UWSGI_SECTION.search(text):
        return None
    for match in _UWSGI_DAEMON_KEY.finditer(text):
        found = CONSUMER_WORD.search(match.group(0))
        if found is not None:
            line = text.count("\n", 0, match.start()) + 1
            return (f"line {line}: `{found.group(0)}` is run by uWSGI as a daemon attached to its master, "
                    f"{NOT_MODELLED}: its stop signal, deadline and restart are not checked (the master stops a "
                    "daemon without a pidfile with SIGTERM, then SIGKILL after `reload-mercy`, 3 s by default, when "
                    "it stops or reloads; uWSGI takes SIGTERM as a brutal reload unless `die-on-term`)")
    return None


#: PM2's ecosystem files, by name: ``ecosystem.config.js`` (what ``pm2 init`` writes), its ``.cjs``/``.mjs``/JSON/YAML
#: forms and variants (``ecosystem.prod.config.js``), ``pm2.config.js``, ``pm2.json``
_PM2_NAME = lazy_pattern(r"^(?:ecosystem|pm2)(?:[._-][\w-]+)*(?:\.config)?\.(?:c?js|mjs|json|ya?ml)$", re.I)
#: JavaScript's and YAML's comment lines (a ``/* */`` block's inner lines start with ``*`` by habit)
PM2_COMMENTS = ("//", "#", "/*", "*")


def pm2_file(name: str) -> bool:
    """Is the file name one of a PM2 ecosystem file (:data:`_PM2_NAME`)?"""
    return _PM2_NAME.match(name) is not None


def pm2_notice(text: str) -> str | None:
    """The notice for a PM2 ecosystem file naming a consumer command, or None when it names none."""
    at = consumer_at(text, PM2_COMMENTS)
    if at is None:
        return None
    return (f"{at} is run by PM2 (this ecosystem file), {NOT_MODELLED}: its stop signal, deadline, restart and "
            "instances are not checked (PM2 stops an app with SIGINT, its `kill_signal`, and sends SIGKILL after "
            "`kill_timeout`, 1600 ms by default: a running task is killed unless `kill_timeout` outlasts it; "
            "`autorestart` restarts it; every one of `instances` enqueues the periodic tasks unless run with "
            "`--no-periodic`)")


#: Windows scripts that may install an NSSM service: PowerShell and batch files
WINDOWS_SCRIPT_SUFFIXES = (".ps1", ".psm1", ".bat", ".cmd")
#: an ``nssm`` command that installs a service or sets one of its parameters (``nssm.exe``, ``& $nssm install``,
#: ``"C:\tools\nssm.exe" set NAME AppParameters ...``; a variable holding nssm's path is named for it by habit)
_NSSM_COMMAND = lazy_pattern(r"\bnssm\w*(?:\.exe)?[\"']?\s+(?:install|set)\s", re.I)
#: PowerShell's and batch files' comment lines
WINDOWS_COMMENTS = ("#", "REM ", "rem ", "Rem ", "::", "@REM ", "@rem ")


def nssm_notice(text: str) -> str | None:
    """The notice for a PowerShell or batch script that installs a Windows service with NSSM (an ``nssm install``
    or ``nssm set`` command) and names a consumer command, or None when it does neither."""
    if _NSSM_COMMAND.search(text) is None:
        return None
    at = consumer_at(text, WINDOWS_COMMENTS)
    if at is None:
        return None
    return (f"{at} is run as a Windows service by NSSM (`nssm install`/`nssm set` in this script), {NOT_MODELLED}: "
            "its stop signal, deadline, restart and instances are not checked (NSSM stops it with a Control-C event, "
            "which Python takes as SIGINT, huey's graceful stop, and ends it with TerminateProcess when it has not "
            "exited `AppStopMethodConsole` milliseconds later, 1500 by default: a running task is killed unless "
            "`nssm set NAME AppStopMethodConsole MS` outlasts it; NSSM restarts an application that exits)")


#: the elements of a WinSW ``<service>`` configuration that hold the command it runs; a batch script's ``echo``
#: writes ``^<`` and ``^>`` for ``<`` and ``>`` (cmd.exe's escape character), a PowerShell here-string writes them
#: as they are
_WINSW_COMMAND = lazy_pattern(r"\^?<(executable|startarguments|arguments|argument)\^?>(.*?)\^?</\1\^?>", re.I | re.S)
#: the root element of a WinSW configuration (``<service>``; escaped in a batch ``echo``)
_WINSW_ROOT = lazy_pattern(r"\^?<service\^?>", re.I)
#: XML's comment lines, and those of the scripts that write a WinSW configuration
WINSW_COMMENTS = ("<!--", *WINDOWS_COMMENTS)


def winsw_notice(text: str) -> str | None:
    """The notice for a WinSW service configuration whose command (``<executable>``, ``<arguments>``,
    ``<startarguments>``, ``<argument>``) names a consumer: an XML file, or a batch or PowerShell script writing
    one (:data:`_WINSW_COMMAND`); None when the text holds no ``<service>`` or its command names no consumer.
    The notice is at the line of the consumer's word, which may lie on a later line of a multi-line element."""
    if _WINSW_ROOT.search(text) is None:
        return None
    for element in _WINSW_COMMAND.finditer(text):
        found = CONSUMER_WORD.search(element.group(2))
        if found is None:
            continue
        start = element.start(2) + found.start()
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].lstrip().startswith(WINSW_COMMENTS):
            continue
        line = text.count("\n", 0, start) + 1
        return (f"line {line}: `{found.group(0)}` is run as a Windows service by WinSW (its `<service>` "
                f"configuration), {NOT_MODELLED}: its stop signal, deadline, restart and instances are not checked "
                "(WinSW stops it with a Ctrl+C event, which Python takes as SIGINT, huey's graceful stop, and "
                "terminates it when it has not exited `<stoptimeout>` later, 15 s by default: a running task is "
                "killed unless `<stoptimeout>` outlasts it; `<onfailure action=\"restart\"/>` restarts it when it "
                "fails; every service installed from it enqueues the periodic tasks unless run with `--no-periodic`)")
    return None


#: crontab files by name: ``crontab`` (also ``crontab.txt``), ``NAME.crontab``, ``NAME.cron``
_CRON_NAME = lazy_pattern(r"^(?:crontab(?:\.txt)?|.+\.(?:crontab|cron))$", re.I)
#: a crontab line: five time fields or an ``@`` nickname, then the command (crontab(5)); a ``cron.d`` line's user
#: field comes before the command and is part of what is matched as the command here (it is never a consumer word)
_CRON_LINE = lazy_pattern(r"^\s*(@(?:reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|"
                          r"(?:\S+\s+){4}\S+)\s+(.+)$")


def cron_file(parts: tuple[str, ...]) -> bool:
    """Is the repo path (split on ``/``) a crontab: named so (:data:`_CRON_NAME`) or in a ``cron.d``/``crontabs``
    folder."""
    return _CRON_NAME.match(parts[-1]) is not None or (len(parts) > 1 and parts[-2].lower() in ("cron.d", "crontabs"))


def cron_entry(text: str) -> tuple[int, int, str, str] | None:
    """(line number, column, consumer word, schedule) of the first crontab line of ``text`` whose command names a
    consumer (both 1-based; the schedule is the five time fields or the ``@`` nickname); None when none does."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        match = _CRON_LINE.match(line)
        found = CONSUMER_WORD.search(match.group(2)) if match is not None else None
        if match is None or found is None:
            continue
        return number, match.start(2) + found.start() + 1, found.group(0), match.group(1).strip()
    return None


def cron_how(when: str) -> str:
    """What cron does with a consumer a crontab line starts on the schedule ``when`` (the notice's last part)."""
    return ("cron starts it once at boot and forgets it: nothing restarts it when it exits, and only the system's "
            "shutdown stops it (SIGTERM, huey's \"stop now\" unless the consumer runs with `-g TERM`)"
            if when == "@reboot" else
            f"cron starts another one at every match of `{when}`, beside those still running, unless "
            "the command guards against it (`flock -n`): each enqueues the periodic tasks, and nothing stops "
            "them gracefully")


#: what the notice of a consumer a crontab starts says is not checked
CRON_UNCHECKED = f"{NOT_MODELLED}: its stop signal, deadline, restart and instances are not checked"


def cron_notice(text: str, installed: str = "") -> str | None:
    """The notice for a crontab line whose command names a consumer, or None when none does; ``installed`` says
    what installs the file, when it is no crontab by its name (``installed by `crontab deploy/jobs` in ...``)."""
    entry = cron_entry(text)
    if entry is None:
        return None
    number, _, word, when = entry
    by = f" ({installed})" if installed else ""
    return f"line {number}: `{word}` is started by this crontab{by}, {CRON_UNCHECKED} ({cron_how(when)})"


#: an Ansible ``cron`` task (``ansible.builtin.cron:``, ``cron:``): its parameters on the next, deeper lines, or
#: ``key=value`` words on its own line
_ANSIBLE_CRON = lazy_pattern(r"^([ \t]*)(?:-[ \t]+)?(?:ansible\.builtin\.|ansible\.legacy\.)?cron[ \t]*:[ \t]*(.*)$",
                             re.M)
_ANSIBLE_PARAM = lazy_pattern(r"^[ \t]*(\w+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_ANSIBLE_WORD = lazy_pattern(r"""(\w+)=("[^"]*"|'[^']*'|\S+)""")
#: Ansible cron's ``special_time`` values (``@reboot`` ...) and the time fields, ``*`` when left out
_TIME_FIELDS = ("minute", "hour", "day", "month", "weekday")


def ansible_cron_notice(text: str) -> str | None:
    """The notice for an Ansible ``cron`` task (the ``ansible.builtin.cron`` module: one crontab line, ``job`` on the
    schedule ``special_time`` or ``minute``/``hour``/``day``/``month``/``weekday``) whose job names a consumer, or
    None; a task removing (``state: absent``) or commenting out (``disabled: true``) its line installs nothing."""
    lines = text.splitlines()
    for match in _ANSIBLE_CRON.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        params: dict[str, tuple[str, int]] = {}
        inline = match.group(2).strip()
        if inline and not inline.startswith("#"):
            params = {key: (value.strip("\"'"), first) for key, value in _ANSIBLE_WORD.findall(inline)}
        else:
            indent = len(match.group(0)) - len(match.group(0).lstrip(" \t-"))  # the column of `cron:`
            for number in range(first + 1, len(lines) + 1):
                line = lines[number - 1]
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if len(line) - len(line.lstrip(" \t")) <= indent:
                    break
                found = _ANSIBLE_PARAM.match(line)
                if found:
                    params[found.group(1)] = (found.group(2).strip("\"'"), number)
        job = params.get("job")
        word = CONSUMER_WORD.search(job[0]) if job is not None else None
        if job is None or word is None or params.get("state", ("", 0))[0].lower() == "absent" or \
                params.get("disabled", ("", 0))[0].lower() in ("true", "yes"):
            continue
        special = params.get("special_time")
        when = f"@{special[0]}" if special is not None else " ".join(
            params.get(name, ("*", 0))[0] or "*" for name in _TIME_FIELDS)
        return (f"line {job[1]}: `{word.group(0)}` is started by a crontab line this Ansible `cron` task installs "
                f"(line {first}), {CRON_UNCHECKED} ({cron_how(when)})")
    return None


def captain_definition(parts: tuple[str, ...]) -> bool:
    """Is the repo path a CapRover ``captain-definition`` (``captain-definition-worker`` too, what
    ``caprover deploy`` is pointed at for another app of the same repository)?"""
    return parts[-1].startswith("captain-definition") and "." not in parts[-1]


def upsun_config(parts: tuple[str, ...]) -> bool:
    """Is the repo path (split on ``/``) a Platform.sh or Upsun configuration (apps, routes, services)?"""
    lower = parts[-1].lower()
    return lower == ".platform.app.yaml" or (len(parts) > 1 and parts[-2] in (".platform", ".upsun")
                                             and lower.endswith((".yaml", ".yml")))


def upsun_app_config(parts: tuple[str, ...]) -> bool:
    """Is the repo path a Platform.sh/Upsun file that configures apps (read by :mod:`hueylint.platforms.platformsh`),
    not ``routes.yaml``/``services.yaml``: ``.platform.app.yaml``, ``.platform/applications.yaml`` and any
    ``.upsun/*.yaml`` (Upsun reads every YAML file of that folder)?"""
    lower = parts[-1].lower()
    if lower == ".platform.app.yaml":
        return True
    if len(parts) > 1 and parts[-2] == ".platform":
        return lower in ("applications.yaml", "applications.yml")
    return len(parts) > 1 and parts[-2] == ".upsun" and lower.endswith((".yaml", ".yml"))


#: an AWS Copilot service or job manifest (``copilot/NAME/manifest.yml``): its top-level ``type`` is one of Copilot's
#: workload types
_COPILOT_TYPE = lazy_pattern(r"^type:[ \t]*[\"']?(?:Load Balanced Web Service|Backend Service|Worker Service|"
                             r"Request-Driven Web Service|Scheduled Job)\b", re.M)
_APPENGINE_RUNTIME = lazy_pattern(r"^runtime:[ \t]*[\"']?[\w.-]+", re.M)
_APPENGINE_KEYS = lazy_pattern(r"^(?:entrypoint|instance_class|automatic_scaling|basic_scaling|manual_scaling):"
                               r"|^env:[ \t]*[\"']?flex\b", re.M)


def paas_notice(parts: tuple[str, ...], text: str) -> str | None:
    """The notice for a PaaS configuration hueylint does not read (App Engine, an AWS Copilot
    manifest, a CapRover captain-definition's inline Dockerfile) that names a consumer command, or None."""
    at = consumer_at(text)
    if at is None:
        return None
    if captain_definition(parts):
        what = ("the image of this CapRover captain-definition, written inline as its `dockerfileLines`, which "
                "hueylint does not read")
    elif _COPILOT_TYPE.search(text):
        what = ("this AWS Copilot manifest (an ECS service or job: its `command`/`entrypoint` over its image), which "
                "hueylint does not model (`copilot svc package` writes the CloudFormation template it deploys, whose "
                "`AWS::ECS::TaskDefinition` hueylint reads)")
    elif _APPENGINE_RUNTIME.search(text) and _APPENGINE_KEYS.search(text):
        what = "this Google App Engine service configuration (its `entrypoint:`), a platform hueylint does not model"
    else:
        return None
    return f"{at} is run by {what}: its stop signal, deadline, restart and instances are not checked"
