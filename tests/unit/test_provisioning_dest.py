"""Where a provisioning task installs a template: hueylint.parsers.embedded.installs and names_file."""

from __future__ import annotations

import time

import pytest

from hueylint.parsers.embedded import installs, names_file
from hueylint.platforms.ansible_vars import task_installs
from tests.helpers import write_tree
from tests.unit.test_supervisord import workspace


def looped(tmp_path, text: str) -> list[tuple[str, str]]:
    """What the role task file ``text`` installs, each item of a task's loop read from the parsed task
    (hueylint.platforms.ansible_vars.task_installs, the one reader of an Ansible loop's items)."""
    write_tree(tmp_path, {"roles/shop/tasks/main.yml": text})
    return task_installs(workspace(tmp_path), "roles/shop/tasks/main.yml")

ANSIBLE = """\
- name: install the consumer unit
  ansible.builtin.template:
    src: systemd/consumer.j2
    dest: "/etc/systemd/system/ledger-huey.service"
    mode: "0644"
- name: one line
  template: src=scheduler.j2 dest=/etc/supervisor/conf.d/ledger.conf
- name: from the role path
  template:
    dest: /etc/systemd/system/ledger-beat.service
    src: "{{ role_path }}/templates/beat.j2"  # the role's own
"""

SALT = """\
/etc/systemd/system/huey.service:
  file.managed:
    - source: salt://huey/files/consumer.jinja
    - template: jinja
ledger-reports:
  file.managed:
    - name: /etc/systemd/system/ledger-reports.service
    - source: salt://huey/files/reports.jinja
"""


@pytest.mark.parametrize(("text", "names", "dest"), [
    (ANSIBLE, ("systemd/consumer.j2", "consumer.j2"), "/etc/systemd/system/ledger-huey.service"),
    (ANSIBLE, ("scheduler.j2",), "/etc/supervisor/conf.d/ledger.conf"),
    (ANSIBLE, ("beat.j2",), "/etc/systemd/system/ledger-beat.service"),  # dest before src, a comment after
    (ANSIBLE, ("consumer.j2",), "/etc/systemd/system/ledger-huey.service"),  # `systemd/consumer.j2` ends with it
    (ANSIBLE, ("umer.j2",), None),  # a path part, not a piece of a name
    (SALT, ("consumer.jinja",), "/etc/systemd/system/huey.service"),  # the state ID is the path
    (SALT, ("reports.jinja",), "/etc/systemd/system/ledger-reports.service"),  # its `- name:` sibling
    (SALT, ("other.jinja",), None),
])
def test_the_destination_of_the_task_naming_the_template(text, names, dest):
    found = [written for source, written in installs(text.splitlines()) if names_file(source, names)]
    assert found[:1] == ([dest] if dest else [])


def test_installs_lists_every_source_with_its_destination():
    from hueylint.parsers.embedded import installs

    assert installs(ANSIBLE.splitlines()) == [
        ("systemd/consumer.j2", "/etc/systemd/system/ledger-huey.service"),
        ("scheduler.j2", "/etc/supervisor/conf.d/ledger.conf"),
        ("{{ role_path }}/templates/beat.j2", "/etc/systemd/system/ledger-beat.service"),
    ]


def test_a_salt_source_list_gives_each_item_the_state_destination():
    from hueylint.parsers.embedded import installs

    text = """\
/etc/systemd/system/reports.service:
  file.managed:
    - source:
      - salt://huey/files/reports-{{ grains['os'] }}.jinja
      - 'salt://huey/files/reports.jinja'  # the fallback
    - template: jinja
beat:
  file.managed:
    - name: /etc/systemd/system/beat.service
    - source:
      - salt://huey/files/beat.jinja
    - user: root
"""
    assert installs(text.splitlines()) == [
        ("salt://huey/files/reports-{{ grains['os'] }}.jinja", "/etc/systemd/system/reports.service"),
        ("salt://huey/files/reports.jinja", "/etc/systemd/system/reports.service"),
        ("salt://huey/files/beat.jinja", "/etc/systemd/system/beat.service"),
    ]


LOOPED = """\
- name: install the consumer units
  ansible.builtin.template:
    src: "{{ item.src }}"
    dest: "/etc/systemd/system/{{ item.unit }}"
  with_items:
    - { src: consumer.j2, unit: shop-huey.service }
    - src: mailer.j2
      unit: shop-mail.service
- name: by name
  template: src="{{ item }}.j2" dest="/etc/systemd/system/{{ item }}"
  loop:
    - huey-a.service
    - 'huey-b.service'
- loop: [beat.j2, clock.j2]
  template:
    src: "{{ item['x'] }}"
    dest: /etc/systemd/system/{{ item }}
- name: a loop over a variable is not written out
  template:
    src: "{{ item }}.j2"
    dest: /etc/systemd/system/{{ item }}
  loop: "{{ units }}"
- name: one line, unquoted braces
  copy: src={{ item }} dest={{ ansible_env.HOME }}/.config/systemd/user/
  with_list:
    - reports.service
"""


def test_a_looped_task_installs_each_item(tmp_path) -> None:
    """``with_items``/``loop``/``with_list`` of mappings (flow or block style) or of strings: each item's values
    fill ``{{ item }}``/``{{ item.key }}`` in ``src`` and ``dest`` (an item without the key installs nothing); a
    loop over a variable is kept as written; a destination ending with ``/`` is a folder, where the file keeps the
    source's own name (ansible/plugins/action/template.py)."""
    found = looped(tmp_path, LOOPED)
    assert found == [
        ("consumer.j2", "/etc/systemd/system/shop-huey.service"),
        ("mailer.j2", "/etc/systemd/system/shop-mail.service"),
        ("huey-a.service.j2", "/etc/systemd/system/huey-a.service"),
        ("huey-b.service.j2", "/etc/systemd/system/huey-b.service"),
        ("{{ item }}.j2", "/etc/systemd/system/{{ item }}"),
        ("reports.service", "{{ ansible_env.HOME }}/.config/systemd/user/reports.service"),
    ]
    assert next(dest for source, dest in found if names_file(source, ("mailer.j2",))) == \
        "/etc/systemd/system/shop-mail.service"
    # the line reader alone keeps a loop's task as written
    assert installs(LOOPED.splitlines())[:2] == [("{{ item.src }}", "/etc/systemd/system/{{ item.unit }}")] * 1 + [
        ("{{ item }}.j2", "/etc/systemd/system/{{ item }}")]


@pytest.mark.parametrize(("task", "dest"), [
    ("- copy:\n    src: files/huey.service\n    dest: /etc/systemd/system/\n", "/etc/systemd/system/huey.service"),
    # the template module keeps the source's name, suffix included: systemd reads no `huey.service.j2` unit
    ("- template: src=huey.service.j2 dest=/etc/systemd/system/\n", "/etc/systemd/system/huey.service.j2"),
])
def test_a_folder_destination_takes_the_sources_file_name(task: str, dest: str) -> None:
    [(_, found)] = installs(task.splitlines())
    assert found == dest


def test_a_loop_variable_named_by_loop_control(tmp_path) -> None:
    """``loop_control: {loop_var: unit}``: the items fill ``{{ unit.src }}``, not ``{{ item }}``."""
    task = """\
- name: units
  template:
    src: "{{ unit.src }}"
    dest: "/etc/systemd/system/{{ unit['name'] }}"
  loop:
    - {src: consumer.j2, name: shop-huey.service}
  loop_control:
    loop_var: unit
"""
    assert looped(tmp_path, task) == [("consumer.j2", "/etc/systemd/system/shop-huey.service")]


def test_jinja_filters_on_the_loop_item_are_applied_or_kept_as_written(tmp_path) -> None:
    """``{{ item.unit | default('x') }}``, ``| basename``, ``| replace('a', 'b')``, ``| lower`` render as Ansible
    renders them (before: the reference with a filter was never filled, the unit named after its template), and so
    does ``regex_replace`` with a pattern of no group (the renderings' evaluation, hueylint.platforms.ansible_vars);
    a filter not followed there (``splitext``) keeps the reference as written."""
    task = """\
- name: units
  template:
    src: "{{ item.src | trim }}"
    dest: "/etc/systemd/system/{{ item.unit | default('shop-huey.service') }}"
  loop:
    - {src: consumer.j2}
    - {src: mailer.j2, unit: shop-mail.service}
- name: more
  template:
    src: "{{ item }}"
    dest: "/etc/systemd/system/{{ item | basename | replace('.j2', '') | lower }}"
  with_items:
    - templates/Shop-Exports.service.j2
- name: a pattern without a group
  template:
    src: "{{ item }}"
    dest: "/etc/systemd/system/{{ item | regex_replace('[.]j2$', '') }}"
  with_items:
    - other.service.j2
- name: not followed
  template:
    src: "{{ item }}"
    dest: "/etc/systemd/system/{{ item | splitext | first }}"
  with_items:
    - last.service.j2
"""
    assert looped(tmp_path, task) == [
        ("consumer.j2", "/etc/systemd/system/shop-huey.service"),
        ("mailer.j2", "/etc/systemd/system/shop-mail.service"),
        ("templates/Shop-Exports.service.j2", "/etc/systemd/system/shop-exports.service"),
        ("other.service.j2", "/etc/systemd/system/other.service"),
        ("last.service.j2", "/etc/systemd/system/{{ item | splitext | first }}"),
    ]


def test_a_comment_after_a_loop_items_value_is_no_part_of_it(tmp_path) -> None:
    """YAML: `` #`` starts a comment after a plain scalar; a quoted one ends at its quote (before: ``f.j2   #
    comment`` was the source, which names no template)."""
    task = """\
- name: units
  template:
    src: "{{ item['src'] }}"
    dest: "/etc/systemd/system/{{ item['unit'] }}"
  with_list:
    - src: consumer.j2   # the queue
      unit: "shop-huey.service"  # its unit
    - src: 'mailer.j2' # quoted
      unit: shop-mail.service#not-a-comment
- name: strings
  copy:
    src: "{{ item }}"
    dest: /etc/systemd/system/
  loop:
    - reports.service  # the reports
"""
    assert looped(tmp_path, task) == [
        ("consumer.j2", "/etc/systemd/system/shop-huey.service"),
        ("mailer.j2", "/etc/systemd/system/shop-mail.service#not-a-comment"),
        ("reports.service", "/etc/systemd/system/reports.service"),
    ]


def test_item_references_with_long_filter_chains_stay_linear(tmp_path) -> None:
    """An untrusted tasks file: a reference with thousands of filters, or long runs of spaces in a value, a key or
    a list item, is read in linear time (each pattern has one way to match each space; before: a lazy value
    before trailing spaces, ``(.+?)[ \\t]*$``, took 14 s for a line of 20,000 spaces)."""
    chain = "| a " * 20000
    spaces = " " * 50000
    lines = ["- template:", f'    src: "{{{{ item {chain} x"', f'    dest: "/etc/systemd/system/{{{{ item{spaces}|"',
             f"  loop: a{spaces}b", f"    - a{spaces}b", f"- src: x{spaces}y", f"  dest{spaces}x", f"    name: a{spaces}b"]
    started = time.perf_counter()
    installs(lines)
    looped(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
