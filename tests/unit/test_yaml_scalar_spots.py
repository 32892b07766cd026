"""Where each character of a YAML string scalar is written (hueylint.parsers.yamlscalar), for every scalar form:
literal and folded block scalars with chomping and indentation indicators, plain, single- and double-quoted
scalars over several lines; read through the documents the builders read (yamldocs.load_text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.parsers.yamldocs import Doc, load_text
from hueylint.parsers.yamlscalar import locate
from hueylint.sources import SourceFile


def _doc(text: str, rendered: str | None = None) -> Doc:
    return load_text(SourceFile(Path("/x/c.yaml"), "c.yaml", text), rendered)[0]


def _where(doc: Doc, value: str, word: str, nth: int = 0) -> tuple[int, int, int, int] | None:
    """The span of the ``nth`` occurrence of ``word`` in the command's last item (``value``)."""
    spots = doc.item_spots(doc.data["command"], len(doc.data["command"]) - 1)
    assert spots is not None
    start = -1
    for _ in range(nth + 1):
        start = value.index(word, start + 1)
    return spots.span(start, start + len(word))


def _check_written(text: str, doc: Doc, value: str) -> None:
    """Every character with a one-character spot is that character of the file."""
    spots = doc.item_spots(doc.data["command"], len(doc.data["command"]) - 1)
    assert spots is not None and len(spots.spots) == len(value)
    lines = text.splitlines()
    for char, spot in zip(value, spots.spots):
        if spot is not None and spot[2] == spot[1] + 1:
            assert lines[spot[0] - 1][spot[1] - 1] == char


CASES = [
    # literal block: each line where it is
    ("command:\n  - sh\n  - -c\n  - |\n    cd /app\n    python manage.py run_huey -w 2\n",
     "run_huey", (6, 22, 6, 30)),
    # literal, strip chomping, trailing blank lines, a comment on the header
    ("command:\n  - sh\n  - -c\n  - |- # start\n    cd /app\n\n    exec huey_consumer app.huey\n\n\n",
     "huey_consumer", (7, 10, 7, 23)),
    # literal, keep chomping
    ("command:\n  - |+\n      cd /app\n      huey_consumer app.huey\n\n", "app.huey", (4, 21, 4, 29)),
    # indentation indicator: the first line more indented than the content
    ("command:\n  - |2\n        cd /app\n      huey_consumer app.huey\n", "app.huey", (4, 21, 4, 29)),
    ("command:\n  - |2-\n        cd /app\n      huey_consumer app.huey\n", "cd", (3, 9, 3, 11)),
    # folded: lines joined by a space; an empty line keeps a newline; a more-indented line keeps its breaks
    ("command:\n  - >\n    cd /app &&\n    python manage.py\n    run_huey -w 2\n", "run_huey", (5, 5, 5, 13)),
    ("command:\n  - >-\n    cd /app\n\n    python manage.py\n      run_huey -w 2\n    -n\n", "-w", (6, 16, 6, 18)),
    # plain scalar over several lines
    ("command:\n  - sh\n  - -c\n  - cd /app &&\n    python manage.py run_huey\n      -w 2  # note\n",
     "-w", (6, 7, 6, 9)),
    # single-quoted, with a doubled quote and a folded break
    ("command:\n  - sh\n  - -c\n  - 'echo ''go'' &&\n     python manage.py run_huey -w 2'\n", "run_huey",
     (5, 23, 5, 31)),
    ("command:\n  - sh\n  - -c\n  - 'echo ''go'' &&\n     python manage.py run_huey -w 2'\n", "'go'",
     (4, 11, 4, 17)),
    # double-quoted: escapes span their sequence; an escaped line break joins without a space
    ('command:\n  - sh\n  - -c\n  - "echo \\"go\\" &&\\\n     python manage.py\\trun_huey -w 2"\n', "run_huey",
     (5, 24, 5, 32)),
    ('command:\n  - sh\n  - -c\n  - "echo \\"go\\" &&\\\n     python manage.py\\trun_huey -w 2"\n', '"go"',
     (4, 11, 4, 17)),
    ('command: ["sh", "-c", "cd /app &&\n   python manage.py run_huey"]\n', "run_huey", (2, 21, 2, 29)),
    # an anchor before the block indicator
    ("command:\n  - &cmd |\n    huey_consumer app.huey\n", "app.huey", (3, 19, 3, 27)),
]


@pytest.mark.parametrize(("text", "word", "span"), CASES, ids=range(len(CASES)))
def test_words_of_each_scalar_form_at_their_own_line_and_column(text, word, span):
    doc = _doc(text)
    value = doc.data["command"][-1]
    assert _where(doc, value, word) == span
    _check_written(text, doc, value)


def test_a_folded_break_has_no_spot_and_a_word_across_it_spans_its_lines():
    text = "command:\n  - sh\n  - -c\n  - >\n    echo 'a\n    b'\n"
    doc = _doc(text)
    value = doc.data["command"][-1]
    assert value == "echo 'a b'\n"
    spots = doc.item_spots(doc.data["command"], 2)
    assert spots is not None
    assert spots.spots[value.index(" b")] is None
    assert spots.span(value.index("'a"), value.index("b'") + 2) == (5, 10, 6, 7)
    assert spots.span(value.index(" b"), value.index(" b") + 2) is None  # starts at the folded break


def test_the_scalar_loc_of_a_block_scalar_ends_at_its_last_character():
    text = "command:\n  - sh\n  - -c\n  - |\n    cd /app\n    huey_consumer app.huey\nother: 1\n"
    doc = _doc(text)
    loc = doc.item_loc(doc.data["command"], 2)
    assert (loc.line, loc.col, loc.end_line, loc.end_col) == (4, 5, 6, 27)


def test_text_that_does_not_read_as_the_value_gives_no_spots():
    lines = ["command: |", "  huey_consumer app.huey"]
    assert locate(lines, 0, 9, "huey_consumer other\n") is None
    assert locate(lines, 0, 9, "huey_consumer app.huey\n") is not None
    assert locate(lines, 5, 0, "x") is None  # no such line
    assert locate(["a: *alias"], 0, 3, "x") is None  # an alias is no scalar of its own
    assert locate([""], 0, -1, "x") is None and locate(["a: |"], 0, 3, "x\n") is None  # no place; no line below


def test_a_template_placeholder_spans_its_text_in_the_file():
    """A Helm/Jinja template is parsed with its placeholders replaced: the characters before and after one keep
    their columns in the file (counted from the line's end after it), a rendered value spans the placeholder."""
    written = "command:\n  - sh\n  - -c\n  - |\n    cd {{ .Values.dir }} && huey_consumer app.huey -w 4\n"
    rendered = "command:\n  - sh\n  - -c\n  - |\n    cd /srv && huey_consumer app.huey -w 4\n"
    doc = _doc(written, rendered)
    value = doc.data["command"][-1]
    assert value.startswith("cd /srv")
    assert _where(doc, value, "cd") == (5, 5, 5, 7)
    assert _where(doc, value, "/srv") == (5, 8, 5, 25)
    assert _where(doc, value, "huey_consumer") == (5, 29, 5, 42)
    assert _where(doc, value, "4") == (5, 55, 5, 56)


def test_every_written_character_is_where_its_spots_say_for_scalars_yaml_emits_in_each_style():
    """Differential check: strings of quotes, escapes, line breaks, tabs and indicators, written by PyYAML's
    emitter in every style (plain, literal, folded, single- and double-quoted) and widths that fold them;
    each located character with a one-character spot is that character of the file."""
    import random

    import yaml

    rng = random.Random(7)
    alphabet = "abc de\n\t'\"\\#:-&|>  x\u00e9{}[],%@`"
    located = 0
    for _ in range(400):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        text = yaml.dump({"command": ["sh", value]}, default_style=rng.choice([None, "|", ">", '"', "'"]),
                         width=rng.choice([10, 20, 80]), indent=rng.choice([2, 4]), allow_unicode=True)
        doc = load_text(SourceFile(Path("/x/c.yaml"), "c.yaml", text))[0]
        parsed = doc.data["command"][1]
        spots = doc.item_spots(doc.data["command"], 1)
        if spots is None:
            assert not parsed.strip("\n")  # only a block scalar of empty lines has no content line to read
            continue
        located += 1
        _check_written(text, doc, parsed)
    assert located > 350
