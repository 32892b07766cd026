"""What a platform builder or the app layer records about a launch beyond what every rule reads.

:class:`~hueylint.model.Launch` holds these as typed fields: :class:`ConsumerFacts` (every launch), and one
``<Platform>Facts`` per platform whose configuration the launch comes from (``Launch.systemd``,
``Launch.supervisord``, ``Launch.docker``, ``Launch.compose``, ``Launch.kubernetes``, ``Launch.circus``,
``Launch.s6``, ``Launch.procfile``; None when the launch does not come from that platform).  A launch can hold
two: a supervisord program inside a compose service or a Kubernetes container has ``supervisord`` and
``compose``/``kubernetes`` facts.

Every value is a :class:`~hueylint.model.Val` so that it keeps the line it was read from (a
:class:`~hueylint.locations.Loc`); a value hueylint cannot know statically is an unknown Val.  A field is None when
the configuration does not set it.  Platform facts are built once per unit and may be shared by its launches,
so they are frozen.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from hueylint.records import dataclass

if TYPE_CHECKING:
    from hueylint.locations import Loc
    from hueylint.model import Val

#: a volume as ``(source, target)``: compose ``volumes:`` (``("data", "/data")``, ``("", "/anon")``), or a
#: Kubernetes ``volumeMounts`` item ``(name, mountPath)``
Mount = tuple[str, str]



@dataclass(slots=True)
class ConsumerFacts:
    """The consumer's own command line beyond huey's options (:mod:`hueylint.consumer_cli`), and what the app
    layer (:mod:`hueylint.pyapp.link`) adds.  Set by :func:`hueylint.launches.make_launch`.

    ``program``: ``Launch.program`` at the word that starts the consumer (``huey_consumer``, ``manage.py``'s
    ``run_huey``): the place a fix edits the command.  ``script``: the repo-relative Python file the launch runs
    (``python manage.py run_huey``, ``python worker.py``), at the command; the app layer reads its entry points.
    The Django management command's own options (``run_huey``/``djangohuey``): ``queue`` (``djangohuey
    --queue``, or ``call_command(..., queue=...)``), ``django_settings`` (``--settings``, or ``settings=``),
    ``django_pythonpath`` (``--pythonpath``), ``django_verbosity`` (``-v``, an int), ``disable_autoload``
    (``-A``) and ``django_flags`` (``--traceback``, ``--no-color``, ``--force-color``, ``--skip-checks`` by
    their dest: ``django_traceback``...).  ``settings_incomplete``: ``Val(True)`` at the Django setting when the
    consumer settings are built by code (the app layer then made every unset option unknown).
    """

    program: Val[str] | None = None
    script: Val[str] | None = None
    queue: Val[Any] | None = None
    django_settings: Val[Any] | None = None
    django_pythonpath: Val[Any] | None = None
    django_verbosity: Val[Any] | None = None
    disable_autoload: Val[Any] | None = None
    django_flags: dict[str, Val[Any]] = field(default_factory=dict)
    settings_incomplete: Val[bool] | None = None
    # where the consumer's command line ends when that is in another file than ``program``: a wrapper script
    # shared by launches (``exec python3 manage.py "$@"``) whose caller writes the words (``ExecStart=/usr/bin/
    # shopctl run_huey -w 2``): an option is added there, after its last word (None: where ``program`` is)
    options_at: Loc | None = None

    def set_command_options(self, extra: dict[str, Val[Any]]) -> None:
        """Record the management command's options as :func:`hueylint.consumer_cli.parse_consumer` returns
        them (``ParsedConsumer.extra``, keyed by argparse dest)."""
        for dest, val in extra.items():
            if dest in ("queue", "django_settings", "django_pythonpath", "django_verbosity", "disable_autoload"):
                setattr(self, dest, val)
            else:
                self.django_flags[dest] = val


@dataclass(frozen=True, slots=True)
class SystemdFacts:
    """A systemd unit's settings the rules read beyond stop signal and deadline (:mod:`hueylint.platforms.systemd`).

    ``type``, ``exec_reload`` and ``kill_mode`` are the ``[Service]`` entries ``Type=``, ``ExecReload=`` and
    ``KillMode=`` as written (the last one wins, drop-ins included; for ``KillMode=`` the last value systemd
    accepts; None when unset), except that an unset ``Type=`` is systemd's default (``simple``, or ``dbus`` with
    ``BusName=``) at a platform-default location.  ``dropins``: the
    repo-relative drop-in files applied to the unit, in systemd's order, at the unit's ``ExecStart=``.
    ``discarded``: the entry that throws the consumer's standard error (huey's log) away, ``StandardError=null``, or
    ``StandardOutput=null`` with ``StandardError=`` unset or ``inherit`` (systemd.exec(5): StandardError= "defaults
    to inherit", the same as standard output), as written at its line; None when the journal or a file gets it.
    """

    dropins: Val[tuple[str, ...]]
    type: Val[str] | None = None
    exec_reload: Val[str] | None = None
    kill_mode: Val[str] | None = None
    discarded: Val[str] | None = None


@dataclass(frozen=True, slots=True)
class SupervisordFacts:
    """A supervisord ``[program:x]`` (:mod:`hueylint.platforms.supervisord`).

    ``command_vars``: the names of the ``%(name)s`` expansions written in ``command=`` and ``environment=``, in
    order (at the first one, else the program's ``command=``); ``command_var_locs``: where each is written (same
    order).  ``config``: the repo-relative main config file (the one ``supervisord -c`` reads) at its line 1.
    ``group``: the ``[group:x]`` naming the program.  ``stopasgroup``/``killasgroup``/``nodaemon`` (the latter
    from ``[supervisord]``) are booleans (unknown when not one); ``stdout_logfile``, ``stderr_logfile``,
    ``redirect_stderr``, ``process_name``, ``stdout_logfile_maxbytes``, ``stderr_logfile_maxbytes`` the option's
    text as written (supervisord's defaults: ``AUTO`` log files, ``redirect_stderr=false``, 50MB; ``0`` is "never
    rotate", http://supervisord.org/configuration.html).  ``childlogdir``: ``[supervisord] childlogdir=`` as
    written (where ``AUTO`` program logs go; default: the temporary directory, ``$TMPDIR`` or ``/tmp``).
    ``auto_unrotated``: the ``*_logfile_maxbytes=0`` of :attr:`output_stream` when that stream's log is supervisord's
    ``AUTO`` file (``*_logfile`` unset or ``AUTO``), which it then never rotates; None otherwise.
    """

    config: Val[str]
    command_vars: Val[list[str]]
    command_var_locs: Val[list[Loc]]
    group: Val[str] | None = None
    stopasgroup: Val[bool] | None = None
    killasgroup: Val[bool] | None = None
    nodaemon: Val[bool] | None = None
    stdout_logfile: Val[str] | None = None
    stderr_logfile: Val[str] | None = None
    redirect_stderr: Val[str] | None = None
    process_name: Val[str] | None = None
    stdout_logfile_maxbytes: Val[str] | None = None
    stderr_logfile_maxbytes: Val[str] | None = None
    childlogdir: Val[str] | None = None
    auto_unrotated: Val[str] | None = None

    @property
    def output_stream(self) -> str:
        """``stdout`` or ``stderr``: the program log that holds the consumer's output (huey logs to standard error;
        ``redirect_stderr=true`` sends it to the program's stdout log)."""
        redirect = self.redirect_stderr
        on = redirect is not None and str(redirect.value).strip().lower() in ("true", "yes", "on", "1")
        return "stdout" if on else "stderr"

    @property
    def output_files(self) -> tuple[Val[str] | None, Val[str] | None]:
        """The ``*_logfile`` and ``*_logfile_maxbytes`` settings of :attr:`output_stream`, None where not written."""
        if self.output_stream == "stdout":
            return self.stdout_logfile, self.stdout_logfile_maxbytes
        return self.stderr_logfile, self.stderr_logfile_maxbytes


@dataclass(frozen=True, slots=True)
class DockerFacts:
    """The image a launch runs (:mod:`hueylint.platforms.docker`).

    ``stage``: the Dockerfile's final stage (its name, or its index as text) at its ``FROM`` line, for the
    Dockerfile's own ``docker run`` launch.  ``image``: the repo-relative Dockerfile whose PID 1 is the
    supervisor (supervisord, circus, s6) running this launch's program, at the stage's ``FROM``.
    """

    stage: Val[str] | None = None
    image: Val[str] | None = None


@dataclass(frozen=True, slots=True)
class ComposeFacts:
    """A compose service and its project (:mod:`hueylint.platforms.compose`), shared by its launches.

    ``services``: every service of the project by name with its volumes (``Mount`` pairs; this one included),
    at the service; ``same_image``: the names of the services running the same image as this one (this one
    included), at the service.  ``volumes``: the service's own ``volumes:`` (None when it sets none).
    ``project``: why these compose files form one project (``combined by `Makefile:2```), None for a file of its
    own.  ``profiles``: ``profiles:`` as written.  ``image``: the repo-relative Dockerfile that builds the image,
    at the line that says so.  ``stack``: where the repository deploys the project to a Docker Swarm
    (``docker stack deploy -c FILE``), None when it does not: Swarm ignores ``restart:`` there.
    """

    services: Val[dict[str, tuple[Mount, ...]]]
    same_image: Val[tuple[str, ...]]
    volumes: Val[tuple[Mount, ...]] | None = None
    project: Val[str] | None = None
    profiles: Val[Any] | None = None
    image: Val[str] | None = None
    stack: Loc | None = None


@dataclass(frozen=True, slots=True)
class KubernetesFacts:
    """A Kubernetes workload's container (:mod:`hueylint.platforms.kubernetes`), shared by its launches.

    ``kind``: the workload's kind (``Deployment``...), at the workload.  ``containers``: how many containers the
    pod runs.  ``volume_mounts``: the container's ``volumeMounts`` as ``(name, mountPath)``; ``volumes``: the
    pod's ``volumes`` as ``(name, source kind)`` (``persistentVolumeClaim``, ``emptyDir``...).  ``services``: the
    ``Service`` objects of the deployment unit by name, at each.  ``image``: the repo-relative Dockerfile that
    builds the container's image, at the line that says so.

    Where a fix adds a setting that is not written, in a plain manifest's block mappings (never a Helm
    template; None otherwise): ``pod_key`` is the pod spec's ``containers`` key (siblings go above it, with its
    indentation), ``container_key`` the container's first key when its value is a scalar (value: that key; a new
    key goes below its line), ``os_name`` the pod's ``os.name`` when written.
    """

    kind: Val[str]
    containers: Val[int]
    volume_mounts: Val[tuple[Mount, ...]] | None = None
    volumes: Val[tuple[Mount, ...]] | None = None
    services: Val[dict[str, Loc]] | None = None
    image: Val[str] | None = None
    pod_key: Val[str] | None = None
    container_key: Val[str] | None = None
    os_name: Val[Any] | None = None


@dataclass(frozen=True, slots=True)
class CircusFacts:
    """A circus ``[watcher:x]`` (:mod:`hueylint.platforms.circus`): ``config`` the repo-relative file at its
    line 1; ``stop_children``, ``use_sockets``, ``copy_env`` the booleans as written (None when unset)."""

    config: Val[str]
    stop_children: Val[bool | None] | None = None
    use_sockets: Val[bool | None] | None = None
    copy_env: Val[bool | None] | None = None


@dataclass(frozen=True, slots=True)
class S6Facts:
    """An s6-overlay service (:mod:`hueylint.platforms.s6`): ``kind`` (``longrun``, ``legacy``...), the
    repo-relative ``service`` folder, both at the ``run`` script; ``finish`` the service's ``finish`` script at
    its line 1, when it has one."""

    kind: Val[str]
    service: Val[str]
    finish: Val[str] | None = None


@dataclass(frozen=True, slots=True)
class ProcfileFacts:
    """A Procfile entry (:mod:`hueylint.platforms.procfile`): ``dev`` why the Procfile is a local-development
    file (its name, a development server in it), at its line 1; None for a PaaS Procfile."""

    dev: Val[str] | None = None
