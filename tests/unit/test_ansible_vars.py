"""Ansible's variables in a role's unit template, as Ansible evaluates them (hueylint.platforms.ansible_vars):
the precedence of what a repository holds, hosts and plays that disagree (unknown, said in a notice), Jinja's
``default``/``int`` filters, variables naming variables, and the loops that install a template once per item."""

from __future__ import annotations

import pytest

from hueylint.platforms.ansible_vars import Scope, Setting, Undefined, Unknown, evaluate, render, resolve
from tests.helpers import lint, triples, write_tree

UNIT = ("[Unit]\nDescription=shop consumer\n\n[Service]\nType=exec\nUser=shop\nRestart=always\nKillSignal=SIGINT\n"
        "TimeoutStopSec={{ huey_stop_timeout }}\n"
        "ExecStart={{ venv }}/bin/huey_consumer {{ huey_module }} -w {{ huey_workers }}\n"
        "ExecReload=/bin/kill -HUP $MAINPID\n")
APP = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nhuey = RedisHuey(url='redis://127.0.0.1:6379')\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")
DEFAULTS = "huey_stop_timeout: {timeout}\nvenv: /srv/shop/venv\nhuey_module: shop.tasks.huey\nhuey_workers: 4\n"
TASK = ("- name: install the consumer unit\n  ansible.builtin.template:\n    src: huey.service.j2\n"
        "    dest: /etc/systemd/system/shop-huey.service\n")
PLAY = "- hosts: {hosts}\n  roles:\n    - worker\n"


def _tree(tmp_path, timeout: object = 5, **files: str):
    write_tree(tmp_path, {"roles/worker/templates/huey.service.j2": UNIT,
                          "roles/worker/defaults/main.yml": DEFAULTS.format(timeout=timeout),
                          "roles/worker/tasks/main.yml": TASK, "shop/__init__.py": "", "shop/tasks.py": APP,
                          "requirements.txt": "huey==2.5.2\n", **files})
    return lint(tmp_path)


def _deadline(result) -> object:
    """The one launch's kill deadline (None: unknown); each launch's, sorted, when plays make several."""
    found = [launch.deadline.value if launch.deadline is not None and launch.deadline.known else None
             for launch in result.project.launches]
    return found[0] if len(found) == 1 else sorted(found, key=str)


def _notices(result) -> list[str]:
    return [notice.reason for notice in result.notices if "(Ansible" in notice.reason]


def test_role_defaults_fill_the_template(tmp_path):
    result = _tree(tmp_path)
    (launch,) = result.project.launches
    assert launch.name == "shop-huey.service"
    assert launch.argv[-3:] == ("shop.tasks.huey", "-w", "4")
    assert _deadline(result) == 5
    assert triples(result) == [("HL102", "roles/worker/templates/huey.service.j2", 9)]


def test_role_defaults_that_are_right_are_clean(tmp_path):
    result = _tree(tmp_path, timeout=60)
    assert _deadline(result) == 60
    assert triples(result) == []
    assert _notices(result) == []


@pytest.mark.parametrize("folder", ["roles/worker/defaults/main.yaml", "roles/worker/defaults/main/huey.yml"])
def test_defaults_main_in_every_form(tmp_path, folder):
    files = {"roles/worker/templates/huey.service.j2": UNIT, folder: DEFAULTS.format(timeout=7),
             "roles/worker/tasks/main.yml": TASK, "shop/__init__.py": "", "shop/tasks.py": APP,
             "requirements.txt": "huey==2.5.2\n"}
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert _deadline(result) == 7


@pytest.mark.parametrize(("files", "expected"), [
    # inventory group_vars/all over the role's defaults
    ({"inventory/group_vars/all.yml": "huey_stop_timeout: 30\n"}, 30),
    # one group sets it: a host in no such group keeps the default, so it is unknown ...
    ({"group_vars/workers.yml": "huey_stop_timeout: 30\n"}, None),
    # ... unless the play runs on that very group
    ({"group_vars/workers.yml": "huey_stop_timeout: 30\n", "site.yml": PLAY.format(hosts="workers")}, 30),
    # two groups that disagree: unknown
    ({"group_vars/workers.yml": "huey_stop_timeout: 30\n", "group_vars/batch/main.yml": "huey_stop_timeout: 90\n",
      "site.yml": PLAY.format(hosts="workers")}, None),
    # host_vars over the groups (the other hosts keep the default): unknown
    ({"host_vars/w1.yml": "huey_stop_timeout: 30\n"}, None),
    # play vars over the inventory
    ({"group_vars/all.yml": "huey_stop_timeout: 30\n",
      "site.yml": PLAY.format(hosts="all") + "  vars:\n    huey_stop_timeout: 45\n"}, 45),
    # vars_files over play vars
    ({"vars/prod.yml": "huey_stop_timeout: 50\n",
      "site.yml": PLAY.format(hosts="all") + "  vars:\n    huey_stop_timeout: 45\n  vars_files:\n    - vars/prod.yml\n"},
     50),
    # role vars over play vars
    ({"roles/worker/vars/main.yml": "huey_stop_timeout: 55\n",
      "site.yml": PLAY.format(hosts="all") + "  vars:\n    huey_stop_timeout: 45\n"}, 55),
    # role params over role vars
    ({"roles/worker/vars/main.yml": "huey_stop_timeout: 55\n",
      "site.yml": "- hosts: all\n  roles:\n    - role: worker\n      huey_stop_timeout: 65\n"}, 65),
    # two plays giving different params: each play runs the role on its own hosts, an instance of its own
    ({"site.yml": "- hosts: a\n  roles:\n    - role: worker\n      huey_stop_timeout: 65\n"
                  "- hosts: b\n  roles:\n    - { role: worker, huey_stop_timeout: 75 }\n"}, [65, 75]),
    # two plays whose values agree: one unit
    ({"site.yml": "- hosts: a\n  roles:\n    - role: worker\n      huey_stop_timeout: 65\n"
                  "- hosts: b\n  vars:\n    huey_stop_timeout: 65\n  roles:\n    - worker\n"}, 65),
    # include_role with vars: the role's params
    ({"site.yml": "- hosts: all\n  tasks:\n    - include_role:\n        name: worker\n      vars:\n"
                  "        huey_stop_timeout: 70\n"}, 70),
    # a role dependency's params (another role's meta/main.yml)
    ({"roles/app/meta/main.yml": "dependencies:\n  - role: worker\n    huey_stop_timeout: 85\n"}, 85),
    # an INI inventory's host variable: that host only
    ({"inventory/hosts": "[workers]\nw1 huey_stop_timeout=30\n"}, None),
    # a YAML inventory's group vars: for the hosts of that group (the others keep the default)
    ({"inventories/prod/hosts.yml": "all:\n  children:\n    workers:\n      hosts:\n        w1: {}\n"
      "      vars:\n        huey_stop_timeout: 60\n"}, None),
    # ... its `all:` vars: every host; group_vars/all above them
    ({"inventories/prod/hosts.yml": "all:\n  vars:\n    huey_stop_timeout: 60\n  hosts:\n    w1:\n"}, 60),
    ({"inventory/hosts": "[all:vars]\nhuey_stop_timeout=60\n"}, 60),
    ({"inventories/prod/hosts.yml": "all:\n  vars:\n    huey_stop_timeout: 60\n",
      "inventories/prod/group_vars/all.yml": "huey_stop_timeout: 70\n"}, 70),
    # set by a variable, resolved in turn
    ({"roles/worker/vars/main.yml": "huey_stop_timeout: \"{{ shop_grace }}\"\nshop_grace: 80\n"}, 80),
    # a variable naming itself: unknown, not a loop forever
    ({"roles/worker/vars/main.yml": "huey_stop_timeout: \"{{ huey_stop_timeout }}\"\n"}, None),
    # a role's own test plays (Molecule, the skeleton's tests/test.yml) run no deployment
    ({"roles/worker/molecule/default/converge.yml": "- hosts: all\n  roles:\n    - role: worker\n"
      "      huey_stop_timeout: 1\n", "roles/worker/tests/test.yml": "- hosts: localhost\n  roles:\n"
      "    - { role: worker, huey_stop_timeout: 2 }\n"}, 5),
    # registered on the host, by a task file the role includes before installing the unit: unknown
    ({"roles/worker/tasks/probe.yml": "- command: nproc\n  register: huey_stop_timeout\n",
      "roles/worker/tasks/main.yml": "- include_tasks: probe.yml\n" + TASK}, None),
    # ... a task file nothing includes never runs: the default
    ({"roles/worker/tasks/probe.yml": "- command: nproc\n  register: huey_stop_timeout\n"}, 5),
])
def test_precedence(tmp_path, files, expected):
    assert _deadline(_tree(tmp_path, **files)) == expected


def test_task_vars_and_include_vars(tmp_path):
    task = TASK + "  vars:\n    huey_stop_timeout: 40\n"
    assert _deadline(_tree(tmp_path, **{"roles/worker/tasks/main.yml": task})) == 40
    included = "- include_vars: tuned.yml\n" + task
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": included,
                                "roles/worker/vars/tuned.yml": "huey_stop_timeout: 95\n"})
    assert _deadline(result) == 95  # include_vars over task vars (Ansible's precedence)


def test_disagreeing_values_are_said(tmp_path):
    result = _tree(tmp_path, **{"group_vars/workers.yml": "huey_stop_timeout: 30\n"})
    assert _deadline(result) is None
    (notice,) = _notices(result)
    assert notice.startswith("line 9: `{{ huey_stop_timeout }}`: `huey_stop_timeout` is set differently")
    assert "30 (group_vars/workers.yml:1)" in notice and "5 (roles/worker/defaults/main.yml:1)" in notice


def test_filters(tmp_path):
    unit = UNIT.replace("{{ huey_stop_timeout }}", "{{ (huey_grace | default(25)) | int }}")
    assert _deadline(_tree(tmp_path, **{"roles/worker/templates/huey.service.j2": unit})) == 25
    unit = UNIT.replace("{{ huey_stop_timeout }}", "{{ huey_stop_timeout | random }}")
    result = _tree(tmp_path, **{"roles/worker/templates/huey.service.j2": unit})
    assert _deadline(result) is None
    assert _notices(result) == ["line 9: `{{ huey_stop_timeout | random }}`: the filter `random` is not evaluated; "
                                "left unknown (Ansible: the template as the task at roles/worker/tasks/main.yml:2 "
                                "installs it)"]


SCOPE = Scope({"a": [Setting(3, "x:1")], "b": [Setting("{{ a }}0", "x:2")], "units": [Setting({"q": {"w": 2}}, "x:3")],
               "s": [Setting(" Mixed ", "x:4")]})


@pytest.mark.parametrize(("expr", "value"), [
    ("a", 3), ("-a-", 3), (" -5 ", -5), ("b", "30"), ("b | int", 30), ("missing | default(7)", 7), ("missing | d('x')", "x"),
    ("a | default(7)", 3), ("'5' | int", 5), ("'abc' | int", 0), ("a | string", "3"), ("s | trim | lower", "mixed"),
    ("units.q.w", 2), ("units['q']['w']", 2), ("units | dict2items", [{"key": "q", "value": {"w": 2}}]),
    ("'huey.service.j2' | regex_replace('\\\\.j2$', '')", "huey.service"),
    ("'/a/b.j2' | basename | replace('.j2', '')", "b"),
])
def test_expressions(expr, value):
    assert evaluate(expr, SCOPE) == value


def test_unknowns():
    looping = Scope({"x": [Setting({"a": "{{ x.a }}"}, "x:1")], "y": [Setting("{{ z }}", "x:2")],
                     "z": [Setting("{{ y }}", "x:3")]})
    assert isinstance(evaluate("x.a", looping), Unknown)
    assert isinstance(evaluate("y", looping), Unknown)
    assert evaluate("missing", SCOPE) == Undefined("missing")
    assert isinstance(evaluate("a + 1", SCOPE), Unknown)
    assert isinstance(evaluate("a | random", SCOPE), Unknown)
    assert isinstance(resolve("{{ missing }}-x", SCOPE), Unknown)
    assert render("-w {{ a }} {{ missing }} {{ a | random }}", SCOPE)[0] == "-w 3 {{ missing }} {{ a | random }}"


LOOP_UNIT = UNIT.replace("{{ huey_stop_timeout }}", "{{ item.value.timeout }}").replace(
    "{{ huey_workers }}", "{{ item.value.workers }}")


@pytest.mark.parametrize("task", [
    # with_dict over a role variable
    "- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/shop-{{ item.key }}.service\n"
    "  with_dict: \"{{ queues }}\"\n",
    # loop with dict2items
    "- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/shop-{{ item.key }}.service\n"
    "  loop: \"{{ queues | dict2items }}\"\n",
    # loop with the dict lookup
    "- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/shop-{{ item.key }}.service\n"
    "  loop: \"{{ lookup('dict', queues) }}\"\n",
])
def test_dict_loops_are_instances(tmp_path, task):
    result = _tree(tmp_path, **{"roles/worker/templates/huey.service.j2": LOOP_UNIT, "roles/worker/tasks/main.yml": task,
                                "roles/worker/defaults/main.yml": DEFAULTS.format(timeout=5) +
                                "queues:\n  mail: {workers: 2, timeout: 5}\n  reports: {workers: 1, timeout: 60}\n"})
    found = sorted((launch.name, launch.argv[-1], launch.deadline.value) for launch in result.project.launches)
    assert found == [("shop-mail.service", "2", 5), ("shop-reports.service", "1", 60)]
    assert triples(result) == [("HL102", "roles/worker/templates/huey.service.j2", 9)]


@pytest.mark.parametrize("loop", [
    "  with_subelements:\n    - \"{{ apps }}\"\n    - queues\n",
    "  loop: \"{{ apps | subelements('queues') }}\"\n",
    "  loop: \"{{ query('subelements', apps, 'queues') }}\"\n",
])
def test_subelements(tmp_path, loop):
    unit = UNIT.replace("{{ huey_module }}", "{{ item.0.name }}.{{ item.1 }}.huey")
    task = ("- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/{{ item.0.name }}-{{ item.1 }}.service\n"
            + loop)
    result = _tree(tmp_path, **{"roles/worker/templates/huey.service.j2": unit, "roles/worker/tasks/main.yml": task,
                                "roles/worker/defaults/main.yml": DEFAULTS.format(timeout=60) +
                                "apps:\n  - name: shop\n    queues: [tasks, mail]\n"})
    assert sorted((launch.name, launch.argv[-3]) for launch in result.project.launches) == [
        ("shop-mail.service", "shop.mail.huey"), ("shop-tasks.service", "shop.tasks.huey")]


def test_fileglob(tmp_path):
    task = ("- template:\n    src: \"{{ item }}\"\n"
            "    dest: \"/etc/systemd/system/{{ item | basename | regex_replace('\\\\.j2$', '') }}\"\n"
            "  with_fileglob:\n    - ../templates/*.service.j2\n")
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": task,
                                "roles/worker/templates/mail.service.j2": UNIT.replace("{{ huey_workers }}", "1")})
    assert sorted(launch.name for launch in result.project.launches) == ["huey.service", "mail.service"]
    assert _notices(result) == []


def test_vars_files_not_known_are_said(tmp_path):
    play = ("- hosts: all\n  vars:\n    conf: conf\n  vars_files:\n    - \"{{ conf }}/prod.yml\"\n"
            "    - \"{{ secrets_dir }}/vault.yml\"\n    - \"{{ playbook_dir }}/vars/{{ env }}.yml\"\n  roles:\n    - worker\n")
    result = _tree(tmp_path, **{"site.yml": play, "conf/prod.yml": "huey_stop_timeout: 30\n",
                                "vars/prod.yml": "huey_workers: 2\n", "vars/stage.yml": "huey_workers: 2\n"})
    assert _deadline(result) == 30  # read through the play's own `conf`
    (launch,) = result.project.launches
    assert launch.argv[-1] == "2"  # both files of `vars/{{ env }}.yml` agree
    assert _notices(result) == ["the play at site.yml:4 reads `vars_files: {{ secrets_dir }}/vault.yml`, a file not "
                                "known here: a variable it sets is not seen (Ansible: the template as the task at "
                                "roles/worker/tasks/main.yml:2 installs it)"]


def test_loop_var_and_unfollowed_loop(tmp_path):
    task = ("- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/shop-{{ q.key }}.service\n"
            "  loop: \"{{ queues | dict2items }}\"\n  loop_control:\n    loop_var: q\n")
    unit = LOOP_UNIT.replace("item.", "q.")
    result = _tree(tmp_path, **{"roles/worker/templates/huey.service.j2": unit, "roles/worker/tasks/main.yml": task,
                                "roles/worker/defaults/main.yml": "venv: /v\nhuey_module: m.huey\n"
                                "queues:\n  mail: {workers: 2, timeout: 60}\n"})
    assert [launch.name for launch in result.project.launches] == ["shop-mail.service"]
    task = task.replace("queues | dict2items", "lookup('env', 'QUEUES')")
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": task})
    assert [launch.name for launch in result.project.launches] == ["huey.service"]
    assert any("the `loop:` of the task at roles/worker/tasks/main.yml:4 is not followed" in notice
               for notice in _notices(result))


PROGRAM = ("[program:huey]\ncommand={{ venv }}/bin/huey_consumer shop.tasks.huey -w 2\nuser=shop\nautorestart=true\n"
           "stopsignal={{ stop_signal }}\nstopwaitsecs=60\n")


@pytest.mark.parametrize(("signal", "expected"), [
    ("TERM", [("HL101", "roles/worker/templates/huey.conf.j2", 5)]),
    ("INT", []),
])
def test_supervisord_template(tmp_path, signal, expected):
    task = "- template: src=huey.conf.j2 dest=/etc/supervisor/conf.d/huey.conf\n"
    write_tree(tmp_path, {"roles/worker/templates/huey.conf.j2": PROGRAM, "roles/worker/tasks/main.yml": task,
                          "roles/worker/defaults/main.yml": f"venv: /srv/v\nstop_signal: {signal}\n",
                          "shop/__init__.py": "", "shop/tasks.py": APP, "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    assert [launch.platform for launch in result.project.launches] == ["supervisord"]
    assert triples(result) == expected


def test_one_notice_per_unknown_with_its_lines():
    scope = Scope({"x": [Setting(1, "group_vars/a.yml:1"), Setting(2, "group_vars/b.yml:1")]})
    assert render("A={{ x }}\nB=1\nC={{ x }}\n", scope) == ("A={{ x }}\nB=1\nC={{ x }}\n", [
        "line 1: `{{ x }}`: `x` is set differently for the hosts and plays that may apply: 1 (group_vars/a.yml:1), "
        "2 (group_vars/b.yml:1); left unknown (also at line 3)"])


def test_include_vars_not_known_is_said(tmp_path):
    tasks = "- include_vars: \"{{ tuning_file }}\"\n" + TASK
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": tasks})
    assert _deadline(result) == 5
    assert _notices(result) == ["the task at roles/worker/tasks/main.yml:1 includes `{{ tuning_file }}`, a file not known "
                                "here: a variable it sets is not seen (Ansible: the template as the task at "
                                "roles/worker/tasks/main.yml:3 installs it)"]


def test_hostile_variables_stay_linear():
    chain = {f"a{n}": [Setting("{{ a%d }}{{ a%d }}" % (n + 1, n + 1), f"x:{n}")] for n in range(7)}
    chain["a7"] = [Setting("x" * 50_000, "x:7")]
    assert isinstance(evaluate("a0", Scope(chain)), Unknown)  # 2^7 x 50,000 characters: not rendered
    deep = {f"b{n}": [Setting("{{ b%d }}" % (n + 1), f"y:{n}")] for n in range(1000)}
    assert isinstance(evaluate("b0", Scope(deep)), Unknown)  # deeper than MAX_DEPTH


INLINE = ("- name: the consumer unit\n  copy:\n    dest: /etc/systemd/system/{{ shop_name }}-huey.service\n"
          "    content: |\n" + "".join(f"      {line}\n" for line in UNIT.splitlines()))


@pytest.mark.parametrize(("timeout", "expected"), [
    (5, [("HL102", "roles/worker/tasks/main.yml", 13)]),
    (60, []),
])
def test_inline_unit_of_a_role_task(tmp_path, timeout, expected):
    write_tree(tmp_path, {"roles/worker/tasks/main.yml": INLINE, "shop/__init__.py": "", "shop/tasks.py": APP,
                          "roles/worker/defaults/main.yml": DEFAULTS.format(timeout=timeout) + "shop_name: shop\n",
                          "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert (launch.name, launch.argv[-1]) == ("shop-huey.service", "4")
    assert triples(result) == expected


@pytest.mark.parametrize("loop", [
    "  loop: \"{{ consumers }}\"\n",
    "  with_items: \"{{ consumers }}\"\n",
    "  with_items:\n    - \"{{ consumers }}\"\n",  # flattened one level
])
def test_list_loops_over_a_variable(tmp_path, loop):
    unit = UNIT.replace("{{ huey_workers }}", "{{ item.workers }}")
    task = ("- template:\n    src: huey.service.j2\n    dest: /etc/systemd/system/{{ item.name }}.service\n" + loop)
    result = _tree(tmp_path, 60, **{"roles/worker/templates/huey.service.j2": unit, "roles/worker/tasks/main.yml": task,
                                    "roles/worker/defaults/main.yml": DEFAULTS.format(timeout=60) +
                                    "consumers:\n  - {name: shop-a, workers: 2}\n  - {name: shop-b, workers: 3}\n"})
    assert sorted((launch.name, launch.argv[-1]) for launch in result.project.launches) == [
        ("shop-a.service", "2"), ("shop-b.service", "3")]


@pytest.mark.parametrize("fact", ['"{{ huey_stop_timeout }}"', '"{{- huey_stop_timeout -}}"'])
def test_a_fact_set_to_its_own_value_changes_nothing(tmp_path, fact):
    """``set_fact: {x: "{{ x }}"}`` renders ``x`` as it is when the task runs (a play does it to turn an extra var
    into a host fact): the value stays the role default's, and nothing is said of a variable naming itself."""
    tasks = f"- name: keep it\n  ansible.builtin.set_fact:\n    huey_stop_timeout: {fact}\n" + TASK
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": tasks})
    assert _deadline(result) == 5
    assert _notices(result) == []


def test_a_fact_computed_from_its_own_value_is_unknown_and_said(tmp_path):
    tasks = "- name: longer\n  ansible.builtin.set_fact:\n    huey_stop_timeout: \"{{ huey_stop_timeout * 2 }}\"\n" + TASK
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": tasks})
    assert _deadline(result) is None
    assert any("huey_stop_timeout" in notice for notice in _notices(result))


FACT = "- name: tune\n  ansible.builtin.set_fact:\n    huey_stop_timeout: 60\n"


@pytest.mark.parametrize(("tasks", "expected"), [
    # bad: the fact is set after the unit is installed, which Ansible renders with the default (5 s)
    (TASK + FACT, 5),
    # good: set before it
    (FACT + TASK, 60),
    # include_vars after the unit: not seen; before it: seen
    (TASK + "- include_vars: tuned.yml\n", 5),
    ("- include_vars: tuned.yml\n" + TASK, 95),
    # a task file included before the unit runs in place, one included after it runs later
    ("- include_tasks: tune.yml\n" + TASK, 60),
    (TASK + "- import_tasks: tune.yml\n", 5),
])
def test_facts_apply_to_the_tasks_after_them(tmp_path, tasks, expected):
    result = _tree(tmp_path, **{"roles/worker/tasks/main.yml": tasks, "roles/worker/tasks/tune.yml": FACT,
                                "roles/worker/vars/tuned.yml": "huey_stop_timeout: 95\n"})
    assert _deadline(result) == expected
    assert triples(result) == ([("HL102", "roles/worker/templates/huey.service.j2", 9)] if expected == 5 else [])


@pytest.mark.parametrize(("play", "expected"), [
    # a play's pre_tasks run before its roles, its tasks and post_tasks after them
    ("- hosts: all\n  pre_tasks:\n" + FACT.replace("- ", "    - ", 1).replace("\n  ", "\n      ") + "  roles:\n    - worker\n", 60),
    ("- hosts: all\n  roles:\n    - worker\n  tasks:\n" + FACT.replace("- ", "    - ", 1).replace("\n  ", "\n      "), 5),
    ("- hosts: all\n  roles:\n    - worker\n  post_tasks:\n" + FACT.replace("- ", "    - ", 1).replace("\n  ", "\n      "),
     5),
    # a role listed before the worker role sets it first
    ("- hosts: all\n  roles:\n    - tuning\n    - worker\n", 60),
    ("- hosts: all\n  roles:\n    - worker\n    - tuning\n", 5),
])
def test_facts_of_a_play_in_its_order(tmp_path, play, expected):
    result = _tree(tmp_path, **{"site.yml": play, "roles/tuning/tasks/main.yml": FACT})
    assert _deadline(result) == expected


def _inline_play(first: str, second: str) -> str:
    """A play whose tasks are ``first`` then ``second`` (each a task of 4 spaces' indent)."""
    return "- hosts: all\n  vars:\n    shop_name: shop\n  tasks:\n" + first + second


INLINE_PLAY_UNIT = ("    - name: the consumer unit\n      copy:\n        dest: /etc/systemd/system/{{ shop_name }}-huey.service\n"
                    "        content: |\n" + "".join(f"          {line}\n" for line in UNIT.splitlines()))
PLAY_FACT = "    - set_fact:\n        huey_stop_timeout: 60\n"


@pytest.mark.parametrize(("first", "second", "expected"), [
    (INLINE_PLAY_UNIT, PLAY_FACT, 5),  # bad: the play's fact comes after the task writing the unit
    (PLAY_FACT, INLINE_PLAY_UNIT, 60),  # good
])
def test_a_plays_fact_after_its_inline_unit_is_not_seen(tmp_path, first, second, expected):
    defaults = "huey_stop_timeout: 5\nvenv: /srv/shop/venv\nhuey_module: shop.tasks.huey\nhuey_workers: 4\n"
    write_tree(tmp_path, {"site.yml": _inline_play(first, second), "group_vars/all.yml": defaults,
                          "shop/__init__.py": "", "shop/tasks.py": APP, "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    assert [launch.name for launch in result.project.launches] == ["shop-huey.service"]
    assert _deadline(result) == expected


def test_run_order(tmp_path):
    """A play's tasks in the order Ansible runs them: pre_tasks, each role of ``roles:`` (its dependencies first,
    its includes in place), tasks (an include_role in place), post_tasks, handlers last."""
    from hueylint.platforms.ansible_vars import _documents, _line, _run_order
    from tests.unit.test_supervisord import workspace

    write_tree(tmp_path, {
        "site.yml": "- hosts: all\n  handlers:\n    - debug: {msg: h}\n  post_tasks:\n    - debug: {msg: post}\n"
                    "  tasks:\n    - debug: {msg: t}\n    - include_role: {name: extra, tasks_from: other}\n"
                    "  roles:\n    - web\n  pre_tasks:\n    - debug: {msg: pre}\n",
        "roles/web/meta/main.yml": "dependencies:\n  - base\n",
        "roles/web/tasks/main.yml": "- debug: {msg: w1}\n- include_tasks: more.yml\n- debug: {msg: w2}\n",
        "roles/web/tasks/more.yml": "- block:\n    - debug: {msg: more}\n",
        "roles/web/tasks/unused.yml": "- debug: {msg: never}\n",
        "roles/base/tasks/main.yml": "- debug: {msg: base}\n",
        "roles/extra/tasks/main.yml": "- debug: {msg: not-this}\n",
        "roles/extra/tasks/other.yml": "- debug: {msg: extra}\n"})
    ws = workspace(tmp_path)
    (play,) = _documents(ws, "site.yml")[0]
    order = _run_order(ws, "site.yml", play)
    said = [task["debug"]["msg"] if "debug" in task else next(iter(task)) for _, task in order]
    assert said == ["pre", "base", "w1", "include_tasks", "more", "w2", "t", "include_role", "extra", "post", "h"]
    assert [(rel, _line(task)) for rel, task in order][4] == ("roles/web/tasks/more.yml", 2)


@pytest.mark.parametrize("pattern", ["**/group_vars/*", "**/group_vars/*/**/*", "**/hosts", "**/inventor*/*.ini",
                                     "**/inventory/**/*.yaml", "**/*.yml", "**/meta/main.yml", "**/roles/web/tasks/*"])
def test_tree_globs_answer_from_the_walk_as_pathlib_does(tmp_path, pattern):
    """The tree-wide globs of inventories, playbooks and role metadata match the walked paths as :meth:`Path.glob`
    matches the files (``**`` any folders, none too; ``*`` within a name, dot files included), without asking the
    file system (twenty such globs were 0.26 s of the Django bench tree's warm run)."""
    from hueylint.platforms.ansible_vars import glob_matches

    files = ["hosts", "deploy/hosts", "deploy/hosts.yml", "group_vars/all", "group_vars/all.yml", "a/group_vars/web/main.yml",
             "a/group_vars/web/deep/x.yml", "group_varsx/a", "inventories/prod/hosts.ini", "inventory/a/b.yaml",
             "roles/web/meta/main.yml", "roles/web/tasks/main.yml", "roles/web/tasks/sub/x.yml", ".hidden/site.yml",
             "site.yml", "x/inventory.ini"]
    write_tree(tmp_path, {rel: "" for rel in files})
    by_pathlib = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.glob(pattern) if path.is_file())
    assert glob_matches(pattern, sorted(files)) == by_pathlib


def test_an_ansible_run_asks_no_tree_wide_glob(tmp_path):
    """What the replay asks again: no ``**`` glob of the whole tree (the walk's digest covers those files)."""
    from hueylint.config import Settings
    from hueylint.engine import build_project

    _tree(tmp_path, **{"inventory/group_vars/all.yml": "huey_stop_timeout: 30\n", "site.yml": PLAY.format(hosts="all")})
    ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    assert [launch.deadline.value for launch in project.launches] == [30]  # (the inventory was read)
    assert [arg for kind, arg in ws.probes if kind == "glob" and arg.startswith("**")] == []
