"""``--fix`` on shapes found by running it over real repositories: each test pins the exact text written
(or that no fix is offered) for one kind of file shape that once got a wrong edit."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fix_tree, git_init, write_tree


def _fixed(tmp_path: Path, files: dict[str, str], config: dict | None = None, *, unsafe: bool = False
           ) -> tuple[Path, object]:
    root = git_init(tmp_path / "p")
    write_tree(root, files)
    return root, fix_tree(root, config, unsafe=unsafe)


def _keys(result) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in result.findings)


MERGED = """x-base: &base
  image: app
  stop_signal: SIGTERM
  stop_grace_period: 1m
services:
  web:
    <<: *base
    command: gunicorn app.wsgi
  worker:
    <<: *base
    command: huey_consumer app.huey -t 50
"""


def test_compose_value_from_a_merged_anchor_is_overridden_in_the_service(tmp_path):
    """`stop_signal` written in an anchor that `web` merges too: the fix adds the worker's own key (YAML's
    merge lets it override the anchor's) instead of rewriting the anchor, which changed `web`'s signal."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": MERGED}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == MERGED.replace(
        "    <<: *base\n    command: huey_consumer", "    <<: *base\n    stop_signal: SIGINT\n    command: huey_consumer")
    assert outcome.fixed == {"HL101": 1}
    assert [f.rule for f in outcome.result.findings] == []


EXTENDED = """services:
  base:
    image: app
    command: huey_consumer app.huey -t 50
    stop_signal: SIGTERM
    stop_grace_period: 1m
    restart: always
  worker:
    extends: base
    environment:
      A: b
"""


def test_compose_value_from_an_extended_service_is_overridden_in_the_service(tmp_path):
    """`worker` extends `base`, whose `stop_signal` is written in `base`: each service gets its own setting
    (the base's replaced, the extending service's own key added), never one edit for both."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": EXTENDED}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == EXTENDED.replace(
        "    stop_signal: SIGTERM", "    stop_signal: SIGINT").replace(
        "    extends: base", "    stop_signal: SIGINT\n    extends: base")
    assert outcome.fixed == {"HL101": 2}
    assert _keys(outcome.result) == []
