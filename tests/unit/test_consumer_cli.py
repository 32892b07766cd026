"""The consumer's command line read as huey's optparse reads it, in time linear in its length."""

from __future__ import annotations

import pytest

from hueylint.locations import Loc


@pytest.mark.parametrize("argv", [
    ["app.huey", "-w", "4", "-k", "process", "-g", "TERM", "-t", "25", "-n", "-f"],
    ["app.huey", "-w4", "--workers=8", "--no-periodic", "--", "-x"],
    ["-v", "app.huey", "--logfile", "/tmp/h.log", "-qv", "--worker-type", "greenlet"],
    ["app.huey", "--bogus"],
    ["app.huey", "-w"],
])
def test_optparse_reads_the_front_stack_as_it_reads_a_list(argv):
    """huey_consumer's optparse consumes its arguments with pop(0) (O(n) on a list, O(n^2) per command): the
    parser's front stack gives the same values, leftovers and refusals as a plain list."""
    import optparse

    from hueylint.consumer_cli import _optparse_for, _Refused

    ours = _optparse_for((3, 0))
    plain = optparse.OptionParser(add_help_option=False)
    for option in ours.option_list:
        plain.add_option(option)
    plain.error = ours.error  # type: ignore[method-assign]
    results = []
    for parser in (ours, plain):
        try:
            values, rest = parser.parse_args(list(argv))
            results.append((vars(values), rest))
        except _Refused as exc:
            results.append(str(exc))
    assert results[0] == results[1]


def test_optparse_consumes_a_long_command_without_copying(monkeypatch):
    """long-line-quadratic: each argument is taken from the front in O(1); the whole list is materialised
    once (optparse's final `largs + rargs`), not once per argument."""
    from hueylint import consumer_cli

    copies = []
    real = consumer_cli._Front._list

    def counted(self):
        copies.append(len(self))
        return real(self)

    monkeypatch.setattr(consumer_cli._Front, "_list", counted)
    parsed = consumer_cli.parse_consumer("huey_consumer", ["app.huey", "-w", "4"] + ["-v"] * 5000,
                                         Loc("Dockerfile", 2, 1))
    assert parsed.options["workers"].value == 4 and parsed.problems == []
    assert copies == [0]


ORIGIN = Loc("huey.service", 2, 11)


@pytest.mark.parametrize(("program", "argv"), [
    ("huey_consumer", ["app.huey", "-w", "4", "$ARGS"]),
    ("huey_consumer", ["app.huey", "-w", "4", "${HUEY_OPTIONS}"]),
    ("run_huey", ["-w", "4", "$ARGS"]),
])
def test_a_run_time_word_may_set_any_option(program, argv):
    """`huey_consumer app.huey -w 4 $ARGS` (ARGS assigned on some paths only, or from the environment): the
    word may expand to any options, so every option not written literally is unknown there, never absent;
    what is written stays known. An option newer than the launch's huey cannot be set by it."""
    from hueylint.consumer_cli import parse_consumer
    from hueylint.hueyfacts import SPECS

    word = argv[-1]
    parsed = parse_consumer(program, argv, ORIGIN, locs=[Loc("huey.service", 2, 40 + i) for i in range(len(argv))])
    assert parsed.options["workers"].value == 4 and parsed.options["workers"].known
    for dest in {spec.dest for spec in SPECS if spec.until is None} - {"workers"}:
        assert not parsed.options[dest].known, dest
        assert parsed.options[dest].unknown == f"may be set by `{word}` at run time"
        assert parsed.options[dest].loc.col == 40 + len(argv) - 1
    assert parsed.problems == []
    older = parse_consumer(program, argv, ORIGIN, version=(3, 0, 3))
    assert "shutdown_timeout" not in older.options and "graceful_signal" not in older.options
    assert not older.options["periodic"].known and "utc" not in older.options  # -u went in 2.0.0
    assert not parse_consumer(program, argv, ORIGIN, version=(1, 10, 3)).options["utc"].known


@pytest.mark.parametrize(("program", "argv", "opened"), [
    ("run_huey", ["{% if w %}-w {{ w }}{% else %}-w 2{% endif %}", "-f"], {"workers"}),
    ("huey_consumer", ["app.huey", "{% if quiet %}-q{% elif debug %}-v -l {{ log }}{% endif %}"],
     {"verbose", "logfile"}),  # -q and -v both set `verbose`
    ("djangohuey", ["{%- for w in [4] -%}--workers={{ w }}{%- endfor %}"], {"workers"}),
])
def test_a_template_block_of_known_options_opens_only_those(program, argv, opened):
    """A Jinja block whose every branch writes consumer options (`{% if w %}-w {{ w }}{% endif %}`) may set
    those, once the template is rendered; every other option is read from the line as written (`-t` absent)."""
    from hueylint.consumer_cli import parse_consumer

    parsed = parse_consumer(program, argv, ORIGIN)
    unknown = {dest for dest, val in parsed.options.items() if not val.known}
    assert unknown == opened and parsed.problems == []
    block = next(word for word in argv if word.startswith("{%"))
    assert {parsed.options[dest].unknown for dest in opened} == {f"may be set by `{block}`, when the template is rendered"}
    assert "shutdown_timeout" not in parsed.options and "periodic" not in parsed.options


def test_a_block_repeated_on_a_long_line_is_read_once(monkeypatch):
    """A template repeating one block 5,000 times (or 5,000 run-time words): each distinct word is rendered once
    and the options are opened in one pass (before: each word compared with every other, quadratic)."""
    from hueylint import consumer_cli

    calls = []
    real = consumer_cli._rendered_options
    monkeypatch.setattr(consumer_cli, "_rendered_options", lambda word: calls.append(word) or real(word))
    block = "{% if a %}-w 2{% endif %}"
    parsed = consumer_cli.parse_consumer("huey_consumer", ["app.huey", *[block] * 5000, "-t", "25"], ORIGIN)
    assert calls == [block] and parsed.problems == []
    assert parsed.options["shutdown_timeout"].value == 25 and not parsed.options["workers"].known
    assert parsed.options["workers"].unknown == f"may be set by `{block}`, when the template is rendered"


@pytest.mark.parametrize("block", [
    "{% if q %}--queue {{ q }}{% endif %}",  # run_huey's own option: its value words are not huey's to tell
    "{% if extra %}{{ extra }}{% endif %}",  # a placeholder word: any options
    "{% if a %}-x{% endif %}",  # an option huey lacks: huey refuses it when rendered, but which branch is unknown
    "{% if a %}-fn{% endif %}",  # a group of flags: left to huey's parser
])
def test_a_template_block_writing_anything_else_may_set_any_option(block):
    from hueylint.consumer_cli import parse_consumer
    from hueylint.hueyfacts import SPECS

    parsed = parse_consumer("run_huey", ["-f", block], ORIGIN)
    assert parsed.options["flush_locks"].known
    for dest in {spec.dest for spec in SPECS if spec.until is None} - {"flush_locks"}:
        assert parsed.options[dest].unknown == f"may be set by `{block}` at run time", dest


def test_a_literal_extra_word_opens_no_option():
    from hueylint.consumer_cli import parse_consumer

    parsed = parse_consumer("huey_consumer", ["app.huey", "-w", "4", "extra"], ORIGIN)
    assert set(parsed.options) == {"workers"}


def test_an_option_passed_on_some_paths_only_is_unknown() -> None:
    """``opts+=(--no-periodic)`` under an ``if`` the launch does not decide: ``-n`` may be there or not, so
    ``periodic`` is unknown (with why), never off; the words passed on every path stay read."""
    from hueylint.consumer_cli import parse_consumer

    locs = [Loc("run.sh", 9, col, 9, col + 2) for col in (10, 20, 23, 26)]
    why = "added by `opts+=(...)` (line 4) only on some paths"
    parsed = parse_consumer("huey_consumer", ["app.huey", "-w", "2", "-n"], locs[0], locs=locs, unsure={3: why})
    assert (parsed.options["workers"].value, parsed.options["periodic"].known) == (2, False)
    assert (parsed.options["periodic"].unknown, parsed.options["periodic"].loc) == (why, locs[3])
    certain = parse_consumer("huey_consumer", ["app.huey", "-w", "2", "-n"], locs[0], locs=locs)
    assert certain.options["periodic"].value is False


def test_a_management_command_option_whose_value_word_is_known_at_run_time_only_is_unknown():
    """Field test (``djangohuey --queue ${QUEUE}``, a Helm value in the queue's word): argparse stores the word
    as written, so the option's value is the run-time word's, unknown, whether the value is its own word or
    attached with ``=``; a literal value stays known."""
    from hueylint.consumer_cli import parse_consumer

    for argv, known in ((["--queue", "$QUEUE"], False), (["--queue=${QUEUE}"], False), (["--queue", "${HELM}"], False),
                        (["--queue", "mail"], True), (["-v", "2", "--queue", "mail"], True)):
        parsed = parse_consumer("djangohuey", argv, ORIGIN)
        assert parsed.extra["queue"].known is known, argv
        assert not known or parsed.extra["queue"].value == "mail"
    settings = parse_consumer("run_huey", ["--settings", "$DJANGO_SETTINGS", "-w", "2"], ORIGIN)
    assert not settings.extra["django_settings"].known and settings.options["workers"].value == 2


@pytest.mark.parametrize(("args", "problems"), [
    (["-w", "2", "-t", "5"], [("needs-version", "-t/--shutdown-timeout")]),
    (["-w", "2", "--shutdown-timeout", "5"], [("needs-version", "-t/--shutdown-timeout")]),
    (["-g", "TERM", "-w", "2"], [("needs-version", "-g/--graceful-signal")]),
    # a value written with the option leaves the next word a positional argument, as Django reads it
    (["--shutdown-timeout=5", "7"], [("needs-version", "-t/--shutdown-timeout"), ("positional", "7")]),
    (["-t", "5", "7"], [("needs-version", "-t/--shutdown-timeout"), ("positional", "7")]),
])
def test_run_huey_reads_the_value_of_an_option_its_huey_lacks_as_that_options(args, problems):
    """`run_huey -t 5` on huey 2.5: one HL002 (`-t` needs 3.4), not a second for a positional `5` (argparse
    leaves `5` to run_huey's positional words once it refuses `-t`)."""
    from hueylint.consumer_cli import parse_consumer

    parsed = parse_consumer("run_huey", args, Loc("huey.conf", 2, 1), version=(2, 5, 2))
    assert [(problem.kind, problem.option) for problem in parsed.problems] == problems
