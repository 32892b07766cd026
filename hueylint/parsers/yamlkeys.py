"""Keys a YAML mapping repeats, for the tools that refuse them.

YAML 1.2 requires a mapping's keys to be unique, and tools differ on a file that repeats one: docker compose
(compose-go, on gopkg.in/yaml.v3) refuses the project ("mapping key "x" already defined at line N"), and GitHub
Actions refuses a workflow ("'x' is already defined"); kubectl and Helm (sigs.k8s.io/yaml on yaml.v2) keep
the last value.  hueylint's documents (:mod:`hueylint.parsers.yamldocs`) keep one value per key; this module
tells, for the formats whose tool refuses, where a key is repeated.  The text is composed (not constructed)
by PyYAML, with libyaml when it has it: nothing is resolved, tags are kept as written.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class RepeatedKey(NamedTuple):
    """A scalar key written again in one mapping: 1-based ``line``/``col`` of the repetition and the line
    of the first one."""

    key: str
    line: int
    col: int
    first_line: int


def repeated_keys(text: str) -> list[RepeatedKey]:
    """Every repeated scalar key of every mapping of ``text``'s documents, in the order written (``<<`` merge
    keys excepted: a merge may be written several times); none when PyYAML cannot compose the text (the
    document reader reports that) or it holds template tags (``{{ }}``, ``{% %}``: not YAML as written)."""
    if "{{" in text or "{%" in text:
        return []
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    found: list[RepeatedKey] = []
    seen: set[int] = set()
    stack: list[Any] = [node for node in nodes if node is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue  # an alias: the node was walked where it is anchored
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}  # (resolved tag, text): `1` and `"1"` are two keys
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    spelled = (key.tag, key.value)
                    if spelled in first:
                        found.append(RepeatedKey(key.value, key.start_mark.line + 1, key.start_mark.column + 1,
                                                 first[spelled]))
                    else:
                        first[spelled] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found, key=lambda repeated: (repeated.line, repeated.col))
