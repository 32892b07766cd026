"""A supervisor inside a platform (supervisord as a container's command) has two kill deadlines on the way to the
consumer: its own `stopwaitsecs`, and the platform's (compose `stop_grace_period`, Docker's 10 s, Kubernetes
`terminationGracePeriodSeconds`), which kills supervisord and its programs together.  HL102's and HL103's fixes
raise every one of them that falls short, in one fix, the platform's a few seconds above the supervisor's; where no
file sets the platform's (`docker stop`), the supervisor's alone, and HL102's message names the other."""

from __future__ import annotations

from tests.helpers import fix_tree, lint, write_tree

APP = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nhuey = RedisHuey('app', host='localhost')\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
IMAGE = ('FROM python:3.11\nRUN pip install huey==3.5.4 supervisor && useradd app\nCOPY supervisord.conf /etc/supervisord.conf\n'
         'COPY app.py /app/app.py\nWORKDIR /app\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n')
PROGRAM = "[supervisord]\nnodaemon=true\n\n[program:huey]\ncommand=huey_consumer app.huey -w 4 -g TERM\nuser=app\nautorestart=true\n"
COMPOSE = "services:\n  worker:\n    build: .\n    restart: unless-stopped\n"


def _hl102(root):
    return [finding for finding in lint(root).findings if finding.rule == "HL102"]


def test_both_defaults_are_raised_in_one_fix(tmp_path):
    """compose's 10 s binds, supervisord's default 10 s is as short: raising stop_grace_period alone left
    supervisord to kill the task (before: no fix at all, and the message named compose's setting only)."""
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM, "compose.yaml": COMPOSE})
    [finding] = _hl102(tmp_path)
    assert (finding.loc.path, finding.loc.line) == ("supervisord.conf", 5)
    assert finding.message == (
        "compose stops `huey` after 10s (compose default stop_grace_period) and supervisord (inside compose) after "
        "the same 10s (supervisord default stopwaitsecs): a task running longer is killed; "
        "longest-task is 20s. Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds below it), "
        "and stop_grace_period: a few seconds above it: compose kills supervisord and its programs together")
    assert finding.fix is not None
    assert finding.fix.description == "set `stopwaitsecs=25` and set `stop_grace_period` to 30s"
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "supervisord.conf").read_text() == PROGRAM + "stopwaitsecs=25\n"
    assert (tmp_path / "compose.yaml").read_text() == COMPOSE.replace("    build:", "    stop_grace_period: 30s\n    build:")
    assert _hl102(tmp_path) == []


def test_the_supervisor_binding_under_a_short_platform_deadline(tmp_path):
    """stopwaitsecs binds (12 s) and compose's written 15 s is below what it needs: both raised, the message says
    compose's deadline and where it is written, once, after the one that binds first (SkyRadar-like: the fix used to
    repeat it)."""
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM + "stopwaitsecs=12\n",
                          "compose.yaml": COMPOSE + "    stop_grace_period: 15s\n"})
    [finding] = _hl102(tmp_path)
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("supervisord.conf", 8, 14)
    assert finding.message == (
        "supervisord (inside compose) stops `huey` after 12s (supervisord.conf:8) and, were that raised, compose after "
        "15s (compose.yaml:5): a task running longer is killed; longest-task is 20s. "
        "Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds below it), and "
        "stop_grace_period: a few seconds above it: compose kills supervisord and its programs together")
    assert finding.message.count("15s") == 1
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "supervisord.conf").read_text() == PROGRAM + "stopwaitsecs=25\n"
    assert (tmp_path / "compose.yaml").read_text() == COMPOSE + "    stop_grace_period: 30s\n"
    assert _hl102(tmp_path) == []


def test_a_long_enough_platform_deadline_keeps_the_single_fix(tmp_path):
    """compose waits 90 s: only stopwaitsecs rises, the message as before."""
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM,
                          "compose.yaml": COMPOSE + "    stop_grace_period: 90s\n"})
    [finding] = _hl102(tmp_path)
    assert finding.message.endswith("Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds "
                                    "below it)")
    assert finding.fix is not None and finding.fix.description == "set `stopwaitsecs=25`"


def test_only_the_platform_deadline_short(tmp_path):
    """supervisord waits 60 s, compose's default 10 s binds: the fix raises stop_grace_period (before: none, the
    launch being supervisord's, not compose's own)."""
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM + "stopwaitsecs=60\n",
                          "compose.yaml": COMPOSE})
    [finding] = _hl102(tmp_path)
    assert finding.message.endswith("Fix: raise stop_grace_period: above your longest task (and keep `-t` a few "
                                    "seconds below it)")
    assert finding.fix is not None and finding.fix.description == "set `stop_grace_period` to 25s"
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert _hl102(tmp_path) == []


def test_docker_stop_is_named_where_no_file_sets_it(tmp_path):
    """The image alone (`docker run`/`docker stop`, 10 s): the fix raises stopwaitsecs, the message says Docker's
    deadline must rise too (no repository file sets it), and the finding stays at Docker's 10 s after the fix."""
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM})
    [finding] = _hl102(tmp_path)
    assert finding.message.endswith(
        "Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds below it), and `docker stop -t` "
        "/ compose stop_grace_period a few seconds above it: docker kills supervisord and its programs together")
    assert finding.fix is not None and finding.fix.description == "set `stopwaitsecs=25`"
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "supervisord.conf").read_text() == PROGRAM + "stopwaitsecs=25\n"
    [left] = _hl102(tmp_path)
    assert left.message.startswith("docker stops `huey` after 10s (`docker stop` default)")


def test_kubernetes_grace_period_raised_with_the_program(tmp_path):
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  replicas: 1\n"
                "  selector:\n    matchLabels: {app: worker}\n  template:\n    metadata:\n      labels: {app: worker}\n"
                "    spec:\n      terminationGracePeriodSeconds: 20\n      containers:\n        - name: worker\n"
                "          image: app:latest\n")
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": PROGRAM + "stopwaitsecs=12\n",
                          "build.sh": "docker build -t app:latest .\n", "k8s/worker.yaml": manifest})
    [finding] = _hl102(tmp_path)
    assert finding.message.endswith("and terminationGracePeriodSeconds: a few seconds above it: kubernetes kills "
                                    "supervisord and its programs together after 20s (k8s/worker.yaml:13)")
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "k8s/worker.yaml").read_text() == manifest.replace("Seconds: 20", "Seconds: 30")
    assert (tmp_path / "supervisord.conf").read_text() == PROGRAM + "stopwaitsecs=25\n"


def test_hl103_raises_both_deadlines(tmp_path):
    """`-t 20` over supervisord's 15 s inside compose's 20 s: HL103's fix raises both (before: stopwaitsecs alone,
    and HL103 came back at compose's 20 s)."""
    program = PROGRAM.replace("-g TERM", "-g TERM -t 20") + "stopwaitsecs=15\n"
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": IMAGE, "supervisord.conf": program,
                          "compose.yaml": COMPOSE + "    stop_grace_period: 20s\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL103"]
    assert finding.fix is not None
    assert finding.fix.description == "set `stopwaitsecs=25` and set `stop_grace_period` to 30s"
    fix_tree(tmp_path, {"select": ["HL103"]})
    assert [f.rule for f in lint(tmp_path).findings if f.rule in ("HL102", "HL103")] == []


def test_a_daemonized_supervisor_keeps_its_own_deadline_alone(tmp_path):
    """A script daemonizes supervisord and execs another program: the platform's stop never reaches supervisord,
    whose `stopwaitsecs` (supervisorctl stop, its own shutdown) is judged alone, as before (no platform deadline
    named, nothing added to it)."""
    image = IMAGE.replace('CMD ["supervisord", "-c", "/etc/supervisord.conf"]',
                          'COPY start.sh /start.sh\nCMD ["/start.sh"]')
    write_tree(tmp_path, {"app.py": APP, "Dockerfile": image, "supervisord.conf": PROGRAM.replace("nodaemon=true\n", ""),
                          "start.sh": "#!/bin/sh\nsupervisord -c /etc/supervisord.conf\nexec gunicorn app:wsgi\n",
                          "compose.yaml": COMPOSE})
    [finding] = _hl102(tmp_path)
    assert finding.message.endswith("Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds "
                                    "below it)")
    assert finding.fix is not None and finding.fix.description == "set `stopwaitsecs=25`"
