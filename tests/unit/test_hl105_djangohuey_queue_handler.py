"""HL105 with django-huey: a SIGNAL_INTERRUPTED handler is registered on one queue (django-huey 1.3.1
``django_huey/__init__.py``: ``signal(*args, queue=None)`` returns ``default_queue(queue).signal(*args)``, the
default queue without ``queue=``; ``get_queue(name)`` is the queue's Huey), so it covers that queue's consumer
(``manage.py djangohuey --queue NAME``) only (:attr:`hueylint.appmodel.SignalHandler.queue`).  Before, any
handler covered every queue, and the ``queue=`` keyword was read as a signal name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
SETTINGS = ("INSTALLED_APPS = ['django_huey', 'shop']\nDJANGO_HUEY = {'default': 'main', 'queues': {\n"
            "    'main': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n"
            "    'mail': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n}}\n")
PROCFILE = ("main: python manage.py djangohuey --queue main -t 25\n"
            "mail: python manage.py djangohuey --queue mail -t 25\n")
HEAD = "from django_huey import enqueue, get_queue, signal\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
BODY = "def requeue(signal_name, task, *args, **kwargs):\n    enqueue(task)\n"


def hl105(tmp_path: Path, tasks: str) -> list[tuple[str, int, str]]:
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
                          "site_cfg/settings.py": SETTINGS, "shop/__init__.py": "", "shop/tasks.py": HEAD + tasks})
    return [(f.loc.path or "", f.loc.line, f.message) for f in lint(tmp_path).findings if f.rule == "HL105"]


@pytest.mark.parametrize(("tasks", "uncovered"), [
    # django-huey's module function with queue=
    (f"@signal(SIGNAL_INTERRUPTED, queue='mail')\n{BODY}", "main"),
    # the queue's own Huey
    (f"@get_queue('mail').signal(SIGNAL_INTERRUPTED)\n{BODY}", "main"),
    # a name bound to it
    (f"MAIL = get_queue('mail')\n\n\n@MAIL.signal(SIGNAL_INTERRUPTED)\n{BODY}", "main"),
    # registered by calling the decorator
    (f"{BODY}\n\nsignal(SIGNAL_INTERRUPTED, queue='mail')(requeue)\n", "main"),
    # every signal, on one queue (the keyword is no signal name)
    (f"@signal(queue='mail')\n{BODY}", "main"),
    # no queue=: the default queue, 'main'
    (f"@signal(SIGNAL_INTERRUPTED)\n{BODY}", "mail"),
])
def test_a_handler_covers_its_own_queue_only(tmp_path: Path, tasks: str, uncovered: str) -> None:
    [(path, line, message)] = hl105(tmp_path, tasks)
    assert (path, line) == ("site_cfg/settings.py", 3 if uncovered == "main" else 4)
    other = "mail" if uncovered == "main" else "main"
    assert "registers no SIGNAL_INTERRUPTED handler (the handler at shop/tasks.py:" in message
    assert f"is registered on queue '{other}' only)" in message


def test_handlers_on_both_queues_or_an_unknown_queue_are_no_finding(tmp_path: Path) -> None:
    both = (f"@signal(SIGNAL_INTERRUPTED, queue='mail')\n{BODY}\n\n"
            f"@signal(SIGNAL_INTERRUPTED)\n{BODY.replace('requeue', 'requeue_main')}")
    assert hl105(tmp_path / "a", both) == []
    # a queue not known here may be either: no finding
    unknown = f"import os\n\n\n@signal(SIGNAL_INTERRUPTED, queue=os.environ['Q'])\n{BODY}"
    assert hl105(tmp_path / "b", unknown) == []
