"""hueylint.words: the one word splitter and the shell names every layer uses."""

from __future__ import annotations

import re

import pytest

from hueylint.chain import Token, resolve
from hueylint.locations import Loc
from hueylint.words import (
    SCRIPT_SHEBANGS,
    SHEBANG_SHELLS,
    SHELLS,
    Jinja,
    jinja_renderings,
    shell_string_index,
    shell_words,
    split,
    split_with_spans,
    templated,
)

ORIGIN = Loc("deploy/huey.service", 7, 11)


def test_split_as_the_shell_and_at_whitespace_when_it_would_refuse() -> None:
    assert split("""huey_consumer "my app.huey" -w\\ 2 '# not a comment'""") == \
        ["huey_consumer", "my app.huey", "-w 2", "# not a comment"]
    assert shell_words("echo 'unterminated") is None
    assert split("echo 'unterminated x") == ["echo", "'unterminated", "x"]
    assert shell_words("[ -f /x ] # check", comments=True) == ["[", "-f", "/x", "]"]


def test_placeholders_stay_in_one_word() -> None:
    def placeholder(text: str) -> Jinja:
        return Jinja(text, blocks=False, tags=False, comments=False, variables=True)

    assert split("{{ venv }}/bin/huey_consumer {{ app | quote }}.huey", whole=placeholder) == \
        ["{{ venv }}/bin/huey_consumer", "{{ app | quote }}.huey"]
    assert [word for word, _start, _end in split_with_spans("{{ venv }}/bin/x 'a b' \"c\\\"d\"")] == \
        ["{{venv}}/bin/x", "a b", 'c"d']


def test_a_jinja_statement_inside_a_line_is_one_unknown_word() -> None:
    """Jinja renders `{% if %}...{% endif %}` before systemd or supervisord reads the line: what it writes depends
    on the condition, so the block is one word (never `{%`, `if`, ...), and so is a lone tag or comment."""
    line = "{{ venv }}/bin/python manage.py run_huey {% if w %}-w {{ w }}{% endif %} -f {# locks #} {%- set x = 1 -%}"
    words = [word for word, _start, _end in split_with_spans(line)]
    assert words == ["{{venv}}/bin/python", "manage.py", "run_huey", "{% if w %}-w {{ w }}{% endif %}", "-f",
                     "{%- set x = 1 -%}"]  # the comment renders to nothing
    start, end = next((start, end) for word, start, end in split_with_spans(line) if word.startswith("{% if"))
    assert line[start:end] == "{% if w %}-w {{ w }}{% endif %}"
    assert [templated(word) for word in words] == [True, False, False, True, False, True]
    assert [word for word, _start, _end in split_with_spans("-w{# two #}2 '' {#a#}{#b#}")] == ["-w2", ""]
    assert split("run_huey {% for q in queues %}-Q {{ q }} {% endfor %}-f", whole=Jinja) == \
        ["run_huey", "{% for q in queues %}-Q {{ q }} {% endfor %}-f"]


def test_shell_names_and_the_shebang_only_ones() -> None:
    assert {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"} == SHELLS
    assert SHEBANG_SHELLS - SHELLS == {"busybox"}
    assert SCRIPT_SHEBANGS - SHELLS == {"with-contenv", "execlineb"}


def test_every_shell_runs_a_dash_c_string() -> None:
    for shell in sorted(SHELLS):
        [hit] = resolve([Token(shell, ORIGIN), Token("-c", ORIGIN), Token("exec huey_consumer app.huey", ORIGIN)],
                        ORIGIN)
        assert (hit.program, [token.text for token in hit.args]) == ("huey_consumer", ["app.huey"])


def test_shell_words_is_shlex_split_exactly() -> None:
    """shell_words replaces shlex.split (quadratic in a word's length): the same words, and None exactly where
    shlex raises, on every short text of the characters that matter (fixed seed) and on the forms by hand."""
    import random
    import shlex

    def reference(text: str, comments: bool) -> list[str] | None:
        try:
            return shlex.split(text, comments=comments)
        except ValueError:
            return None

    by_hand = ['a "b c" d', "a 'b\\' c", 'x "a\\"b\\\\c\\$d"', 'x "" \'\' y', "a\\ b c\\", 'a #b\nc', "a#b c",
               "'unterminated", '"x\\', "\u00a0a\x0bb\tc\r\nd", "", "   ", 'a"b"c\'d\'e']
    rng = random.Random(20261130)
    alphabet = [" ", "\t", "\n", "\r", '"', "'", "\\", "#", "a", "b", "\x0b", "\u00a0", "é"]
    texts = by_hand + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    for text in texts:
        for comments in (False, True):
            assert shell_words(text, comments=comments) == reference(text, comments), (text, comments)


def test_shell_words_takes_a_long_word_in_a_few_slices(monkeypatch) -> None:
    """A 2 MiB file can hold one 2-million-character word (`ExecStart=/x/huey_consumer app.huey aaaa...`): shlex
    appended it character by character (about 30 s). The splitter takes each run of plain or quoted text as
    one slice: the work counted here is the runs, a handful for three million-character words, not a step
    per character (no wall-clock bound: speed goals live in the benchmark)."""
    import shlex

    from hueylint import words

    runs = []
    real = words._run_end
    monkeypatch.setattr(words, "_run_end", lambda pattern, text, index: runs.append(index) or real(pattern, text, index))
    monkeypatch.setattr(shlex, "shlex", None)  # never the character-by-character reader
    word = "a" * 1_000_000
    assert shell_words(f'x {word} "{word}" \'{word}\'') == ["x", word, word, word]
    assert len(runs) <= 8


@pytest.mark.parametrize("words, index", [
    (["sh", "-c", "exec huey_consumer app.huey"], 2),
    (["bash", "-ec", "cmd", "name", "arg"], 2),
    (["bash", "-o", "pipefail", "-c", "cmd"], 4),  # -o takes a value
    # so does an `o` in a group (`set -euo pipefail` written on the shell's command line, a Dockerfile's SHELL):
    # these were no -c string at all, so the consumer the string starts was silently not seen
    (["bash", "-euo", "pipefail", "-c", "cmd"], 4),
    (["/bin/sh", "-eo", "pipefail", "-c", "cmd"], 4),
    (["bash", "-c", "-eo", "pipefail", "cmd"], 4),
    (["bash", "-co", "pipefail", "cmd"], 3),
    (["bash", "+o", "history", "-c", "cmd"], 4),
    (["bash", "-eo", "pipefail", "start.sh"], None),
    (["bash", "-c", "-e", "cmd"], 3),  # options may follow -c (POSIX sh)
    (["sh", "-c", "--", "cmd"], 3),
    (["sh", "-c", ""], 2),  # an empty string is the string, not an option
    (["sh", "-c"], 2),  # -c with nothing after it: past the end
    (["bash", "-e", "start.sh"], None),  # a script
    (["bash", "--login"], None),
])
def test_shell_string_index(words, index):
    assert shell_string_index(words) == index


def test_a_shell_started_with_an_option_group_taking_a_value_is_followed(tmp_path):
    """`SHELL ["/bin/bash", "-euo", "pipefail", "-c"]` before a shell-form CMD, and a systemd unit's
    `/bin/bash -euo pipefail -c '...'`, start the consumer the string runs: both were silent (no launch, no HL004)."""
    from tests.helpers import lint, write_tree

    write_tree(tmp_path, {
        "requirements.txt": "huey==3.5.0\n",
        "Dockerfile": ('FROM python:3.12\nUSER app\nSTOPSIGNAL SIGINT\nSHELL ["/bin/bash", "-euo", "pipefail", "-c"]\n'
                       "CMD huey_consumer app.huey -t 5\n"),
        "huey.service": ("[Service]\nExecStart=/bin/sh -eo pipefail -c 'cd /srv && /srv/venv/bin/huey_consumer app.huey'\n"
                         "KillSignal=SIGINT\nTimeoutStopSec=60\nRestart=on-failure\nUser=app\n"
                         "ExecReload=/bin/kill -HUP $MAINPID\n")})
    result = lint(tmp_path, {"select": ["HL201"]})
    assert [(f.rule, f.loc.path, f.loc.line, f.loc.col, f.message[:40]) for f in result.findings] == [
        ("HL201", "Dockerfile", 5, 5, "`bash -c` runs the consumer without `exe"),
        ("HL201", "huey.service", 2, 47, "`sh -c` stays between the supervisor and")]


#: the regular expressions Jinja's scanner stands for (lazy, to the first closing; see hueylint.words.Jinja)
_BLOCK = r"\{%-?\s*(?:if|for)\b[^\n]*?\{%-?\s*end(?:if|for)\s*-?%\}"


@pytest.mark.parametrize(("kinds", "pattern"), [
    ({}, _BLOCK + r"|\{%[^\n]*?%\}|\{#[^\n]*?#\}"),
    ({"variables": True}, _BLOCK + r"|\{%[^\n]*?%\}|\{#[^\n]*?#\}|\{\{.*?\}\}"),
    ({"blocks": False, "variables": True}, r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"),
    ({"blocks": False, "lines": False}, r"(?s)\{%.*?%\}|\{#.*?#\}"),
    ({"blocks": False, "tags": False, "comments": False, "variables": True, "lines": False}, r"(?s)\{\{.*?\}\}"),
    ({"tags": False, "comments": False}, _BLOCK),
])
def test_jinja_finds_what_the_regular_expressions_find(kinds: dict[str, bool], pattern: str) -> None:
    """The linear scanner finds exactly the spans re.finditer finds, and at any position what re.match finds."""
    import random
    rng = random.Random(7)
    pieces = ["{%", "%}", "{#", "#}", "{{", "}}", "{% if x %}", "{%- for q in qs -%}", "{% endif %}", "{%-endfor-%}",
              "{% end", "if", " ", "\n", "x", "-", "{", "}", "%", "#", "'"]
    regex = re.compile(pattern)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        scanner = Jinja(text, **kinds)
        assert scanner.spans() == [match.span() for match in regex.finditer(text)], text
        for pos in range(len(text)):
            match = regex.match(text, pos)
            assert Jinja(text, **kinds).at(pos) == (match.end() if match else None), (text, pos)


def test_pathological_template_lines_take_linear_time() -> None:
    r"""Openings never closed (`{% if x %}` without its end tag, `{%`, `{{`, `{#` repeated over a 200 kB line) and
    glued comments before a word (`{#x#}{#x#}...Z`) cost one pass: a lazy regex scanned to the end of the line from
    each opening (100 s for such a systemd unit), and `(?:\{#[^\n]*?#\})+` backtracked exponentially (26 comments:
    10 s, 40: days)."""
    import time

    from hueylint.parsers.yamldocs import jinja_rendered
    from hueylint.platforms.systemd import _split
    started = time.perf_counter()
    for line in ("{% if x %}" * 20000, "{%" * 100000, "{{" * 100000, "{#" * 100000, "{% if x %}{#" * 20000):
        assert len(split_with_spans(line)) == 1
        _split(line)
        jinja_rendered(line)
    from hueylint.parsers.yamldocs import _ERB_TAG, _ERB_VAR  # Kamal's ERB: <% %> never closed (old: 10 s for 40 kB)
    assert _ERB_TAG("<%" * 100000, lambda *_: "") == "<%" * 100000
    assert _ERB_VAR("<%=" * 100000, lambda *_: "x") == "<%=" * 100000
    assert _ERB_TAG("a <% if x %>b<% end %> <%= y %> <% z", lambda tag, _start: f"[{tag}]") == \
        "a [<% if x %>]b[<% end %>] <%= y %> <% z"
    assert _split("huey_consumer app.huey " + "{#x#}" * 60 + "Z") == ["huey_consumer", "app.huey", "Z"]
    assert _split("-w{# two #}2 {#a#}{#b#} -f") == ["-w2", "-f"]
    assert time.perf_counter() - started < 60  # about 2 s (more on a busy machine); before: hours


@pytest.mark.parametrize(("word", "branches"), [
    ("{% if w %}-w {{ w }}{% endif %}", [[], ["-w", "{{ w }}"]]),
    ("{% if w %}-w {{ w }}{% else %}-w 2{% endif %}", [["-w", "{{ w }}"], ["-w", "2"]]),
    ("{%- if a -%}-n{%- elif b %}-f -t {{ t }}{% else %}{% endif %}", [["-n"], ["-f", "-t", "{{ t }}"], []]),
    ("{% for q in queues %}--queue {{ q }}{% endfor %}", [[], ["--queue", "{{ q }}"]]),
    ('{% if d %}-l "{{ d }}/huey.log"{% endif %}', [[], ["-l", "{{ d }}/huey.log"]]),
    ("-w{% if w %}4{% endif %}", None),  # text around the block
    ("{% if a %}{% if b %}-n{% endif %}{% endif %}", None),  # nested: the scanner's block ends at the first end tag
    ("{% if a %}{% set x = 1 %}-n{% endif %}", None),  # another statement inside
    ("{% if a %}-n{% else %}-f{% else %}-v{% endif %}", None),  # Jinja refuses a second else
    ("{{ args }}", None),
])
def test_jinja_renderings_are_the_words_of_each_branch(word: str, branches: list[list[str]] | None) -> None:
    """What an inline block renders, branch by branch, so the options it may write are known (the rest of the
    line stays read): Jinja's if/elif/else (nothing when no else branch is taken) and for (no items, or the body)."""
    assert jinja_renderings(word) == branches


def test_an_erb_tag_is_one_word_and_a_template_value():
    """Chef's and Puppet's ERB (``<%= @workers %>``) is set when the template is rendered, one word whatever it
    holds, as ``{{ workers }}`` is; only where the caller asks for it (a systemd unit's words)."""
    from hueylint.words import Jinja, split, templated

    line = "<%= @venv %>/bin/huey_consumer app.huey -w <%= @workers %> -t 25 <% if @n %>-n<% end %>"
    assert split(line, whole=lambda text: Jinja(text, variables=True, erb=True)) == [
        "<%= @venv %>/bin/huey_consumer", "app.huey", "-w", "<%= @workers %>", "-t", "25",
        "<% if @n %>-n<% end %>"]
    assert split("-w <%= @workers %>", whole=lambda text: Jinja(text, variables=True)) == [
        "-w", "<%=", "@workers", "%>"]  # not asked for: plain words
    assert split("a <%= b\n%> c", whole=lambda text: Jinja(text, erb=True)) == ["a", "<%=", "b", "%>", "c"]
    assert templated("<%= @workers %>") and not templated("100%")


def test_split_with_spans_keeps_an_erb_tag_in_one_word():
    """supervisord's reading of a ``command=`` (``split_with_spans``) keeps ``<%= @workers %>`` one word too."""
    from hueylint.words import split_with_spans

    words = [word for word, _, _ in split_with_spans("<%= @venv %>/bin/huey_consumer app.huey -w <%= @w %> -n")]
    assert words == ["<%= @venv %>/bin/huey_consumer", "app.huey", "-w", "<%= @w %>", "-n"]


def test_an_open_block_runs_to_the_end_of_its_line_when_asked() -> None:
    text = "run_huey {% if w %}-w {{ w }}{% else %}-w 2 -f\nnext {% if x %}-n{% endif %}"
    assert [text[a:b] for a, b in Jinja(text, open_blocks=True).spans()] == [
        "{% if w %}-w {{ w }}{% else %}-w 2 -f", "{% if x %}-n{% endif %}"]
    assert [text[a:b] for a, b in Jinja(text).spans()][:2] == ["{% if w %}", "{% else %}"]  # tags, as before


def test_split_with_spans_keeps_an_open_block_to_the_end_of_its_line() -> None:
    """supervisord's ``command=... run_huey -t 20 {% if w %}-w {{ w }}{% else %}-w 2 -f`` (``{% endif %}`` on the next
    line): one unknown word from the tag on, not a literal ``2``."""
    text = "python manage.py run_huey -t 20 {% if w %}-w {{ w }}{% else %}-w 2 -f"
    assert [word for word, _, _ in split_with_spans(text)] == [
        "python", "manage.py", "run_huey", "-t", "20", "{% if w %}-w {{ w }}{% else %}-w 2 -f"]
