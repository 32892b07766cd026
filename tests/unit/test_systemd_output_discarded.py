"""A systemd unit that throws the consumer's standard error away (`StandardError=null`, or `StandardOutput=null`
with `StandardError=` unset, empty or `inherit`: systemd.exec(5), StandardError= defaults to inherit): the journal
collects nothing, so a `-l` file is the consumer's only log: HL503 judges its rotation (its fix names the entry to
drop) and HL501 (whose fix drops `-l`) stays quiet. No rule reports the discard itself; inspect shows it."""

from __future__ import annotations

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from tests.helpers import lint, triples, write_tree

JOBS = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n\nhuey = RedisHuey('jobs')\n\n"
        "@huey.signal(SIGNAL_INTERRUPTED)\ndef again(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
UNIT = ("[Service]\nType=exec\nUser=app\nExecStart=/srv/venv/bin/huey_consumer jobs.huey -w 2 -t 50{logfile}\n"
        "ExecReload=/bin/kill -HUP $MAINPID\nRestart=on-failure\nKillSignal=SIGINT\nTimeoutStopSec=60\n")
LOG = " -l /var/log/huey/jobs.log"


def _tree(tmp_path, output: str, logfile: str = LOG, dropin: str | None = None):
    files = {"jobs.py": JOBS, "requirements.txt": "huey==3.5.4\n", "huey.service": UNIT.format(logfile=logfile) + output}
    if dropin is not None:
        files["huey.service.d/log.conf"] = "[Service]\n" + dropin
    write_tree(tmp_path, files)


@pytest.mark.parametrize(("output", "dropin", "entry"), [
    ("StandardError=null\n", None, ("StandardError=null", "huey.service", 9)),
    ("StandardOutput=null\n", None, ("StandardOutput=null", "huey.service", 9)),
    ("StandardOutput=null\nStandardError=inherit\n", None, ("StandardOutput=null", "huey.service", 9)),
    ("StandardOutput=null\nStandardError=\n", None, ("StandardOutput=null", "huey.service", 9)),  # reset: inherit
    ("StandardError=journal\n", "StandardError=null\n", ("StandardError=null", "huey.service.d/log.conf", 2)),
    # the file /dev/null itself: the same discard (before: taken for a log file named /dev/null)
    ("StandardError=file:/dev/null\n", None, ("StandardError=file:/dev/null", "huey.service", 9)),
    ("StandardOutput=append:/dev/null\n", None, ("StandardOutput=append:/dev/null", "huey.service", 9)),
    ("StandardError=truncate:/dev/null\n", None, ("StandardError=truncate:/dev/null", "huey.service", 9)),
])
def test_stderr_thrown_away_leaves_the_logfile_as_the_only_log(tmp_path, output, dropin, entry):
    _tree(tmp_path, output, dropin=dropin)
    [launch] = build_project([tmp_path], Settings(root=tmp_path))[1].launches
    discarded = launch.systemd.discarded
    assert (discarded.value, discarded.loc.path, discarded.loc.line) == entry
    assert not launch.collects_logs
    result = lint(tmp_path)
    assert [rule for rule, _path, _line in triples(result) if rule.startswith("HL50")] == ["HL503"]
    [finding] = [f for f in result.findings if f.rule == "HL503"]
    assert finding.message.endswith(f"or log to stderr and drop `{entry[0]}` ({entry[1]}:{entry[2]}), which throws "
                                    "stderr away, so the journal collects it")


@pytest.mark.parametrize("output", [
    "StandardOutput=null\nStandardError=journal\n",  # stderr still to the journal
    "StandardError=null\nStandardError=journal\n",  # the last one wins
    "",
])
def test_stderr_collected_keeps_hl501(tmp_path, output):
    _tree(tmp_path, output)
    [launch] = build_project([tmp_path], Settings(root=tmp_path))[1].launches
    assert launch.systemd.discarded is None and launch.collects_logs
    assert [rule for rule, _path, _line in triples(lint(tmp_path)) if rule.startswith("HL50")] == ["HL501"]


@pytest.mark.parametrize("output", ["StandardError=null\n", "StandardError=file:/dev/null\n"])
def test_a_discard_alone_is_no_finding(tmp_path, output):
    """No rule covers a consumer whose output nobody keeps (left for a rule of its own): silent, shown by inspect
    as a discard (`file:/dev/null` was shown as a log file named /dev/null)."""
    _tree(tmp_path, output, logfile="")
    assert triples(lint(tmp_path)) == []
    [launch] = build_project([tmp_path], Settings(root=tmp_path))[1].launches
    assert launch.systemd.discarded.value == output.strip() and launch.stderr_file is None
