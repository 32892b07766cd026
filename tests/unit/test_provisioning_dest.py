"""Where a provisioning task installs a template: hueylint.parsers.embedded.installed_at."""

from __future__ import annotations

import pytest

from hueylint.parsers.embedded import installed_at

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
def test_installed_at_is_the_destination_of_the_task_naming_the_template(text, names, dest):
    assert installed_at(text.splitlines(), names) == dest


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
