"""Dockerfile parsing: escape directive, heredocs, ARG/ENV substitution, stage inheritance, COPY mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.parsers.dockerfile import blank_heredocs, parse
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree


def _parse(text: str):
    return parse(SourceFile(Path("Dockerfile"), "Dockerfile", text))


def test_escape_directive_and_continuation():
    df = _parse("# escape=`\nFROM python:3.12\nCMD [\"huey_consumer\", `\n  \"app.huey\"]\n")
    assert df.stages[-1].cmd.words == ("huey_consumer", "app.huey")


def test_heredoc_body_is_not_read_as_instructions():
    text = "FROM python:3.12\nRUN <<EOF\nCMD [\"bad\"]\nEOF\nCMD [\"huey_consumer\", \"app.huey\"]\n"
    assert blank_heredocs(text).split("\n")[2] == ""
    df = _parse(text)
    assert df.stages[-1].cmd.words == ("huey_consumer", "app.huey")
    assert df.stages[-1].cmd.loc.line == 5


@pytest.mark.parametrize("run", ['RUN tr a b <<<"word"', "RUN grep -q x <<<word", "RUN cat <<<'EOF'"])
def test_a_here_string_is_no_heredoc(run):
    """``<<<`` is bash's here-string: BuildKit takes no heredoc from it (its pattern refuses a word holding
    ``<``), so the instructions after it stay instructions (taken for one, the CMD would be its body)."""
    text = f"FROM python:3.12\n{run}\nCMD [\"huey_consumer\", \"app.huey\"]\n"
    assert blank_heredocs(text).split("\n")[2] == text.split("\n")[2]
    assert _parse(text).stages[-1].cmd.words == ("huey_consumer", "app.huey")


def test_global_arg_needs_redeclaration_and_env_substitutes():
    df = _parse("ARG DIR=/srv\nFROM python:3.12 AS base\nARG DIR\nENV APP=$DIR/app\nWORKDIR $APP\n"
                "FROM base\nUSER ${UNKNOWN}\n")
    final = df.stages[-1]
    assert final.workdir == "/srv/app"
    assert final.env["APP"].value == "/srv/app"
    assert final.parent is df.stages[0]


def test_env_and_arg_values_in_order_and_one_instruction_sees_the_values_before_it():
    """ENV wins over ARG; the values of one ENV/ARG instruction are substituted with those before it; an ARG
    does not hide an ENV of the same name; a stage built FROM another starts with its values."""
    df = _parse("FROM python:3.12 AS base\nARG A=arg\nENV A=env B=$A\nENV A=two C=$A\nARG A=again D=$A\n"
                "USER $A\nFROM base\nENV E=${B}-${C}\nWORKDIR /$E\n")
    base, final = df.stages
    assert {key: val.value for key, val in base.env.items()} == {"A": "two", "B": "arg", "C": "env"}
    assert base.args == {"A": "again", "D": "two"}
    assert base.user.value == "two"
    assert final.env["E"].value == "arg-env" and final.workdir == "/arg-env"


def test_many_env_lines_parse_in_linear_time(monkeypatch):
    """The substitution values were rebuilt from the whole environment for every instruction: 10,000 ENV
    lines took 4 s, the 60,000 a 2 MiB Dockerfile holds two minutes. Now they are kept up to date: the
    stage's environment is read whole once per stage, not once per instruction (counted, not timed)."""
    from hueylint.parsers import dockerfile

    reads = []

    class Env(dict):
        def items(self):
            reads.append(len(self))
            return super().items()

    real = dockerfile.Stage

    def stage(*args, **kwargs):
        made = real(*args, **kwargs)
        made.env = Env(made.env)
        return made

    monkeypatch.setattr(dockerfile, "Stage", stage)
    text = "FROM python:3.12\n" + "".join(f"ENV A{n}=$A{n - 1}\n" for n in range(2000)) + 'CMD ["huey_consumer"]\n'
    df = _parse(text)
    assert df.stages[-1].env["A1999"].value == "$A-1"  # each value substituted from the one before
    assert len(reads) <= 1


def test_copy_chmod_and_folder_map_entrypoint_script(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY --chmod=755 --chown=app:app docker/ /usr/local/bin/\n"
                      "ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker/entrypoint.sh": "#!/bin/sh\nhuey_consumer app.huey\n",
    })
    result = lint(tmp_path)
    assert ("HL201", "Dockerfile", 4) in triples(result, "HL201")


def test_multistage_consumer_in_later_stage_inherits_stopsignal(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12 AS base\nSTOPSIGNAL SIGINT\nFROM base AS worker\n"
                      "CMD [\"huey_consumer\", \"app.huey\"]\n",
    })
    assert triples(lint(tmp_path), "HL101") == []


def test_broken_heredoc_never_crashes(tmp_path):
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nRUN <<EOF\necho never closed\n"})
    lint(tmp_path)


def test_hl201_names_the_script_branch_once(tmp_path):
    """Field test (PdfDing shape): the chain's message already says which branch; the check adds no copy."""
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY entrypoint.sh ./\nCMD ["./entrypoint.sh"]\n',
        "entrypoint.sh": '#!/bin/sh\nif [ "$TASKS" = "1" ]; then\n  python manage.py run_huey &\nfi\n'
                         'exec gunicorn app.wsgi\n',
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert finding.message.count('[ "$TASKS" = "1" ]') == 1


def test_hl201_fix_names_the_supervisor_a_script_runs_without_exec(tmp_path):
    """Field test (fermentrack shape): `nodaemon=true` supervisord run by a script without exec."""
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCOPY sv.conf /etc/sv.conf\nCMD ["/start.sh"]\n',
        "start.sh": "#!/bin/sh\npython migrate.py\nsupervisord -c /etc/sv.conf\n",
        "sv.conf": "[supervisord]\nnodaemon=true\n\n[program:q]\ncommand=huey_consumer app.huey\n",
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert "Fix: `exec` `supervisord` as the last command" in finding.message


# -- exec forms that are not JSON: Docker's parseMaybeJSON -------------------------------------------

def _hl002(tmp_path, line: str, extra: dict[str, str] | None = None):
    write_tree(tmp_path, {"Dockerfile": f"FROM python:3.13\n{line}\n", **(extra or {})})
    result = lint(tmp_path)
    return [f for f in result.findings if f.rule == "HL002"], result


def test_single_quoted_exec_form_is_a_shell_form_that_fails_at_start(tmp_path):
    [finding], result = _hl002(tmp_path, "CMD ['huey_consumer', 'my_app.huey', '-w', '4']")
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("Dockerfile", 2, 5)
    assert finding.message == (
        "`CMD` is not valid JSON (single quotes; JSON strings take double quotes): Docker runs this as "
        "/bin/sh -c \"['huey_consumer', 'my_app.huey', '-w', '4']\", whose first word `[huey_consumer,` is no "
        "command, so the container exits at start and the consumer never runs. "
        "Fix: `CMD [\"huey_consumer\", \"my_app.huey\", \"-w\", \"4\"]`")
    # the consumer never starts: its stop behaviour is moot (launch refused), but the launch is not dropped
    assert [rule for rule, _path, _line in triples(result) if rule.startswith("HL1")] == []


def test_trailing_comma_and_unquoted_variable(tmp_path):
    [finding], _ = _hl002(tmp_path, 'CMD ["huey_consumer", "my_app.huey",]')
    assert "(a comma before `]`)" in finding.message and "/bin/sh -c '[\"huey_consumer\", " in finding.message
    [finding], _ = _hl002(tmp_path, 'ENTRYPOINT ["huey_consumer", "my_app.huey", "-w", $WORKERS]')
    assert finding.message.startswith("`ENTRYPOINT` is not valid JSON (an unquoted variable)")


def test_comment_inside_a_broken_exec_form_says_comments_go_on_their_own_line(tmp_path):
    [finding], _ = _hl002(tmp_path, "CMD ['huey_consumer', 'my_app.huey']  # the worker")
    assert finding.message.endswith("(a Dockerfile comment must be on its own line)")


def test_text_after_a_valid_json_array_makes_it_a_shell_form(tmp_path):
    """Current BuildKit decodes the whole rest of the line with Go's ``json.Unmarshal``, which refuses text
    after the array: a trailing comment (or a trailing suppression) turns the exec form into a shell form whose
    first word is no command; the launch it meant is still judged (HL002), never dropped."""
    [finding], result = _hl002(tmp_path, 'CMD ["huey_consumer", "my_app.huey", "-w", "4"]  # hueylint: ignore[HL102]')
    assert finding.message == (
        "`CMD` is not valid JSON (text after the closing `]`: `# hueylint: ignore[HL102]`): Docker runs this as "
        "/bin/sh -c '[\"huey_consumer\", \"my_app.huey\", \"-w\", \"4\"]  # hueylint: ignore[HL102]', whose first "
        "word `[huey_consumer,` is no command, so the container exits at start and the consumer never runs. "
        "Fix: `CMD [\"huey_consumer\", \"my_app.huey\", \"-w\", \"4\"]` (a Dockerfile comment must be on its own line)")
    assert (finding.loc.line, finding.loc.col) == (2, 5)
    assert ("HL009", "Dockerfile", 2) in triples(result)  # the trailing suppression suppresses nothing
    cmd = _parse('FROM x\nCMD ["huey_consumer", "a.huey"],\n').stages[-1].cmd
    assert cmd.shell_form and cmd.intended == ("huey_consumer", "a.huey") and "text after the closing" in cmd.not_json
    assert not _parse('FROM x\nCMD ["huey_consumer", "a.huey"]   \n').stages[-1].cmd.shell_form


def test_json_array_of_non_strings_fails_the_build(tmp_path):
    write_tree(tmp_path, {"Dockerfile": 'FROM python:3.13\nCMD ["huey_consumer", "my_app.huey", "-w", 4]\n'})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL001"]
    assert finding.loc.line == 2 and "arrays must be comprised of strings only" in finding.message


def test_shell_code_starting_with_the_test_command_is_no_broken_exec_form(tmp_path):
    found, result = _hl002(tmp_path, "CMD [ -f /app/ready ] && exec huey_consumer my_app.huey")
    assert found == [] and ("HL101", "Dockerfile", 2) in triples(result)


def test_broken_cmd_after_an_exec_form_entrypoint_and_through_compose(tmp_path):
    """The image's CMD reaches `exec "$@"` as `/bin/sh -c '...'`; a compose service running the image
    (no command override) is refused the same way."""
    found, _ = _hl002(tmp_path, "COPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n"
                                "CMD ['huey_consumer', 'my_app.huey']",
                      {"entrypoint.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n",
                       "compose.yaml": "services:\n  worker:\n    build: .\n"})
    assert [(f.loc.path, f.loc.line) for f in found] == [("Dockerfile", 4)]
    assert "`[huey_consumer,` is no command" in found[0].message


def test_spaced_single_quoted_exec_form_runs_the_test_command(tmp_path):
    """`CMD [ 'huey_consumer', 'app' ]`: the shell's first word is `[`, the test command, which exits."""
    [finding], _ = _hl002(tmp_path, "CMD [ 'huey_consumer', 'my_app.huey' ]  # the worker")
    assert "whose first word `[` is the test command, so the container exits at start" in finding.message
    assert finding.message.endswith("(a Dockerfile comment must be on its own line)")


def test_copied_script_comes_from_its_copy_source_not_a_same_named_file(tmp_path):
    """Field test (microstack): dramatiq/Dockerfile copies its own (missing) worker.sh; the huey service's
    worker.sh elsewhere in the repository is not what that image runs."""
    worker = "#!/bin/sh\nhuey_consumer app.huey -w 2\n"
    write_tree(tmp_path, {
        "huey/Dockerfile": "FROM python:3.12\nCOPY worker.sh /worker.sh\nENTRYPOINT [\"/worker.sh\"]\n",
        "huey/worker.sh": worker,
        "dramatiq/Dockerfile": "FROM python:3.12\nCOPY worker.sh /worker.sh\nENTRYPOINT [\"/worker.sh\"]\n",
    })
    assert [launch.name for launch in lint(tmp_path).project.launches] == ["huey/Dockerfile"]


def test_copy_source_below_the_root_when_the_context_is_only_guessed(tmp_path):
    """A Dockerfile in docker/api built with the repository root as context (`COPY docker/api/worker /app/`)."""
    write_tree(tmp_path, {
        "docker/api/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY docker/api/worker /app/\nCMD [\"./worker\"]\n",
        "docker/api/worker": "#!/bin/bash\nexec huey_consumer app.huey -w 2\n",
    })
    (launch,) = lint(tmp_path).project.launches
    assert launch.consumer.program.loc.path == "docker/api/worker"


@pytest.mark.parametrize(("copy", "command"), [
    ("WORKDIR /srv/app\nCOPY docker/worker.sh .", "./worker.sh"),  # the working folder WORKDIR made
    ("WORKDIR /srv/app\nCOPY docker/worker.sh /srv/app", "/srv/app/worker.sh"),  # the same folder, written out
    ("WORKDIR /srv/app\nCOPY docker/worker.sh ./", "./worker.sh"),  # a trailing `/`: a folder whatever it is
    ("COPY docker/worker.sh /usr/local/bin", "worker.sh"),  # a folder of every base image, on PATH
    ("WORKDIR /srv\nWORKDIR /srv/app\nCOPY docker/worker.sh ..", "/srv/worker.sh"),  # an earlier working folder
])
def test_a_file_copied_into_a_folder_of_the_image_keeps_its_name(tmp_path, copy, command):
    """Field test (a `COPY docker/worker.sh .` layout): Docker copies a file into a destination written without a
    trailing `/` when the image has that folder already (the working folder, a standard one); before, the file was
    read as landing at the folder's own path, so `./worker.sh` was found nowhere and the image had no launch."""
    write_tree(tmp_path, {
        "Dockerfile": f"FROM python:3.12\n{copy}\nSTOPSIGNAL SIGINT\nUSER app\nCMD [\"{command}\"]\n",
        "docker/worker.sh": "#!/bin/sh\nexec huey_consumer app.huey -w 2\n",
        "elsewhere/worker.sh": "#!/bin/sh\nexec huey_consumer other.huey\n",  # a same-named file: no by-name guess
    })
    (launch,) = lint(tmp_path).project.launches
    assert launch.consumer.program.loc.path == "docker/worker.sh"


def test_a_file_copied_to_a_new_path_is_that_path(tmp_path):
    """`COPY docker/worker.sh /worker` (no such folder in the image): the file is named `/worker`."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY docker/worker.sh /worker\nSTOPSIGNAL SIGINT\nUSER app\n"
                      "CMD [\"/worker\"]\n",
        "docker/worker.sh": "#!/bin/sh\nexec huey_consumer app.huey -w 2\n",
    })
    (launch,) = lint(tmp_path).project.launches
    assert launch.consumer.program.loc.path == "docker/worker.sh"


def test_image_install_files_follow_the_copy_lines(tmp_path):
    """The requirement files an image's `pip install -r` reads, through its COPY lines: against the Dockerfile's
    folder as the build context, else the repository root; a file in no COPY is none of the repository's."""
    from hueylint.platforms.docker import image_install_files
    from tests.unit.test_circus_s6 import workspace

    write_tree(tmp_path, {
        "docker/worker/Dockerfile": "FROM python:3.12 AS build\nCOPY requirements.txt /tmp/reqs.txt\n"
                                    "RUN pip install --prefix /install -r /tmp/reqs.txt\n"
                                    "FROM python:3.12\nWORKDIR /app\nCOPY worker/constraints.txt worker/req.txt ./\n"
                                    "RUN pip install -c constraints.txt -r req.txt -r absent.txt\n",
        "docker/worker/requirements.txt": "huey==2.5.0\n",
        "worker/constraints.txt": "huey<3\n",
        "worker/req.txt": "huey\n",
    })
    ws = workspace(tmp_path)
    assert image_install_files(ws, ws.sources["docker/worker/Dockerfile"]) == [
        "docker/worker/requirements.txt", "worker/constraints.txt", "worker/req.txt"]


_SVC_FILES = {
    "pip": ({"svc/requirements.txt": "huey==2.4.5\n"}, "COPY svc/requirements.txt /tmp/\n"
            "RUN pip install -r /tmp/requirements.txt", "huey 2.4.5 (pinned in svc/requirements.txt:1)"),
    "pip-project": ({"svc/setup.cfg": "[options]\ninstall_requires =\n    huey==2.4.5\n"},
                    "COPY svc /src\nRUN pip install /src", "huey 2.4.5 (pinned in svc/setup.cfg:3)"),
    "poetry": ({"svc/pyproject.toml": "[tool.poetry.dependencies]\nhuey = \"^2.4\"\n",
                "svc/poetry.lock": '[[package]]\nname = "huey"\nversion = "2.4.5"\n'},
               "COPY svc/pyproject.toml svc/poetry.lock ./\nRUN poetry install --no-root",
               "huey 2.4.5 (locked in svc/poetry.lock:3)"),
    "uv": ({"svc/pyproject.toml": "[project]\nname = 'w'\ndependencies = ['huey>=2.4']\n",
            "svc/uv.lock": '[[package]]\nname = "huey"\nversion = "2.4.5"\n'},
           "COPY svc/ /app/\nRUN uv sync --frozen", "huey 2.4.5 (locked in svc/uv.lock:3)"),
    # the lock comes from `git checkout`, not a COPY: the repository's lock beside the manifest the COPY takes
    "uv-checkout": ({"svc/pyproject.toml": "[project]\nname = 'w'\ndependencies = ['huey>=2.4']\n",
                     "svc/uv.lock": '[[package]]\nname = "huey"\nversion = "2.4.5"\n'},
                    "COPY svc/pyproject.toml ./\nCOPY .git ./.git\nRUN git checkout -- . && uv sync",
                    "huey 2.4.5 (locked in svc/uv.lock:3)"),
    # pip reads no lock file: the newest release the manifest allows (field corpus: steinbeck/qm-nmr-calc)
    "pip-ignores-lock": ({"svc/pyproject.toml": "[project]\nname = 'w'\ndependencies = ['huey>=2.4,<2.6']\n",
                          "svc/uv.lock": '[[package]]\nname = "huey"\nversion = "2.4.5"\n'},
                         "COPY svc/pyproject.toml ./\nRUN pip install .",
                         "huey 2.5.5 (the newest release `huey>=2.4,<2.6` allows, svc/pyproject.toml:3)"),
    # BuildKit's bind mount of the build context, the form Docker's Python guide uses (no COPY at all)
    "pip-bind-mount": ({"svc/requirements.txt": "huey==2.4.5\n"},
                       "RUN --mount=type=cache,target=/root/.cache/pip \\\n"
                       "    --mount=type=bind,source=svc/requirements.txt,target=requirements.txt \\\n"
                       "    python -m pip install -r requirements.txt",
                       "huey 2.4.5 (pinned in svc/requirements.txt:1)"),
    "poetry-bind-mount": ({"svc/pyproject.toml": "[tool.poetry.dependencies]\nhuey = \"^2.4\"\n",
                           "svc/poetry.lock": '[[package]]\nname = "huey"\nversion = "2.4.5"\n'},
                          "RUN --mount=type=bind,src=svc,dst=/src poetry -C /src install --no-root",
                          "huey 2.4.5 (locked in svc/poetry.lock:3)"),
    "pipenv": ({"svc/Pipfile": "[packages]\nhuey = \"*\"\n",
                "svc/Pipfile.lock": '{"default": {"huey": {"version": "==2.4.5"}}}\n'},
               "COPY svc/Pipfile svc/Pipfile.lock ./\nRUN pipenv install --system --deploy",
               "huey 2.4.5 (locked in svc/Pipfile.lock:1)"),
}


@pytest.mark.parametrize("tool", sorted(_SVC_FILES))
def test_an_image_runs_the_huey_of_the_files_its_install_reads(tmp_path, tool):
    """Field test (Tracardi/tracardi, in each install form): the image installs what its COPY lines take from
    svc/, not the root's unpinned `huey` (the newest, which installs no `huey_consumer.py`: HL002 before)."""
    files, steps, version = _SVC_FILES[tool]
    write_tree(tmp_path, {
        **files,
        "setup.py": "from setuptools import setup\nsetup(install_requires=['huey'])\n",
        "Dockerfile": f"FROM python:3.12\nWORKDIR /app\n{steps}\nSTOPSIGNAL SIGINT\nUSER app\n"
                      "CMD [\"huey_consumer.py\", \"app.huey\"]\n",
    })
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.huey_version.describe() == version
    assert not [f for f in result.findings if f.rule == "HL002"]


def test_a_continued_shell_form_command_points_at_its_instruction(tmp_path):
    """A shell-form CMD continued over lines (``\\``) is one string whose words sit on several lines: a finding on
    a word points at the whole instruction, never at a column of its first line that holds another word
    (before: ``--bogus`` at 4:37 of a 27-character line)."""
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nUSER app\nSTOPSIGNAL SIGINT\nCMD huey_consumer app.huey \\\n"
                                        "    -w 4 \\\n    --bogus\n"})
    found = [(f.rule, f.loc.path, f.loc.line, f.loc.col, f.loc.end_line) for f in lint(tmp_path).findings
             if f.rule == "HL002"]
    assert found == [("HL002", "Dockerfile", 4, 1, 6)]


@pytest.mark.parametrize("base, user", [
    ("python:3.12-slim", "root"), ("python", "root"), ("library/debian:bookworm", "root"),
    ("docker.io/library/ubuntu:24.04", "root"), ("python:3.12@sha256:" + "a" * 64, "root"), ("scratch", "root"),
    ("mambaorg/micromamba:1.5", None), ("bitnami/python:3.12", None), ("ghcr.io/acme/base:1", None),
    ("registry.example.com:5000/python:3.12", None), ("${BASE_IMAGE}", None),
])
def test_the_user_of_an_image_without_user_comes_from_its_base(base, user):
    """A Docker Official Image (and ``scratch``) runs as root; any other base may set its own ``USER``
    (micromamba's images run as ``mambauser``): unknown, never assumed root."""
    from hueylint.platforms.docker import image_user

    df = _parse(f"ARG BASE_IMAGE\nFROM {base} AS base\nRUN true\nFROM base\nCMD [\"huey_consumer\", \"app.huey\"]\n")
    found = image_user(df.stages[-1])
    assert found.value == user and found.known == (user is not None)
    if user is None:
        assert found.unknown == f"no USER in this Dockerfile: the user the base image `{base}` runs as"
        assert found.loc.line == 2


def test_hl701_is_quiet_for_a_base_image_with_its_own_user(tmp_path):
    compose = "services:\n  worker:\n    build: .\n    stop_signal: SIGINT\n    stop_grace_period: 30s\n" \
              "    restart: always\n"
    for base, found in (("mambaorg/micromamba:1.5", []), ("python:3.12-slim", [("HL701", "compose.yaml", 2)])):
        write_tree(tmp_path / base.split("/")[0], {
            "Dockerfile": f"FROM {base}\nCMD [\"huey_consumer\", \"app.huey\", \"-t\", \"20\"]\n",
            "compose.yaml": compose})
        assert triples(lint(tmp_path / base.split("/")[0]), "HL701") == found, base


BASE = ("FROM python:3.12-slim\nCOPY entry.sh /entry.sh\nUSER app\nSTOPSIGNAL SIGINT\nENV MODE=worker\n"
        "ENTRYPOINT [\"/entry.sh\"]\nCMD [\"huey_consumer\", \"app.huey\", \"-t\", \"5\"]\n")


@pytest.mark.parametrize("child, argv, signal", [
    ("FROM acme/base:2\n", ["/entry.sh", "huey_consumer", "app.huey", "-t", "5"], "INT"),  # all inherited
    ("FROM acme/base:2\nCMD [\"huey_consumer\", \"app.huey\", \"-n\"]\n",
     ["/entry.sh", "huey_consumer", "app.huey", "-n"], "INT"),  # CMD replaced, ENTRYPOINT kept
    ("FROM acme/base:2\nENTRYPOINT [\"huey_consumer\", \"app.huey\"]\n", ["huey_consumer", "app.huey"], "INT"),
    ("FROM acme/base:2\nSTOPSIGNAL SIGTERM\n", ["/entry.sh", "huey_consumer", "app.huey", "-t", "5"], "TERM"),
    ("FROM acme/other:2\nCMD [\"huey_consumer\", \"app.huey\"]\n", ["huey_consumer", "app.huey"], None),  # not built here
    ("FROM localbase\n", ["/entry.sh", "huey_consumer", "app.huey", "-t", "5"], "INT"),  # a local tag, no namespace
])
def test_a_dockerfile_from_an_image_the_repository_builds_inherits_it(tmp_path, child, argv, signal):
    """Field test (apluslms/gitmanager): `FROM` an image a build script of the repository tags gives what the file
    does not set (ENTRYPOINT, CMD unless either is set, STOPSIGNAL, USER, ENV); any other base leaves it unchanged."""
    from hueylint.config import Settings
    from hueylint.engine import build_project
    from hueylint.parsers.dockerfile import effective_argv
    from hueylint.platforms.docker import image_signal, load, on_repo_base

    write_tree(tmp_path, {"base/Dockerfile": BASE, "base/entry.sh": "#!/bin/sh\nexec \"$@\"\n",
                          "worker/Dockerfile": child,
                          "build.sh": "#!/bin/sh\ndocker build -t acme/base:2 base\ndocker build -t localbase base\n"})
    ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()))
    dockerfile = load(ws, ws.file("worker/Dockerfile"))
    stage = on_repo_base(ws, dockerfile, dockerfile.stage(None), "worker")
    assert effective_argv(stage)[0] == argv
    assert image_signal(stage).value == (signal or "TERM") and image_signal(stage).loc.is_default == (signal is None)
    if signal is not None:
        assert stage.env["MODE"].value == "worker" and stage.user.value == "app"
    assert "worker/Dockerfile" in [launch.name for launch in project.launches]


@pytest.mark.parametrize("stopsignal, expected", [
    # SIGKILL behind a wrapper: the wrapper's fix alone would not save a task, both are reported
    ("STOPSIGNAL SIGKILL\n", [("HL101", "Dockerfile", 4), ("HL201", "Dockerfile", 6)]),
    ("STOPSIGNAL 9\n", [("HL101", "Dockerfile", 4), ("HL201", "Dockerfile", 6)]),
    # SIGTERM behind the same wrapper: the wrapper is the finding (the signal never reaches the consumer)
    ("STOPSIGNAL SIGTERM\n", [("HL201", "Dockerfile", 6)]),
    ("", [("HL201", "Dockerfile", 5)]),
])
def test_sigkill_from_the_image_is_reported_behind_a_wrapper(tmp_path, stopsignal, expected):
    """Field test (basedosdados/backend): ``STOPSIGNAL SIGKILL`` in an image whose script backgrounds the
    consumer: HL201 alone hid the image's SIGKILL."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nRUN pip install huey==2.5.2\nCOPY s.sh /s.sh\n" + stopsignal +
                      "USER app\nCMD [\"/s.sh\"]\n",
        "s.sh": "#!/bin/sh\nhuey_consumer app.huey &\nexec nginx -g 'daemon off;'\n",
        "app.py": "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/tmp/q.db')\n",
    })
    assert [t for t in triples(lint(tmp_path)) if t[0] in ("HL101", "HL201")] == expected


# -- files the build writes itself (field: gpchelkin/scdlbot) -------------------------------------------------

_APP = {"jobs/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('jobs')\n", "requirements.txt": "huey==2.5.3\n"}
_SCRIPT_TAIL = "USER nobody\nCMD [\"/start.sh\"]\n"


@pytest.mark.parametrize("writer, line", [
    ("RUN cat <<'EOF' > /start.sh\n#!/bin/sh\nhuey_consumer jobs.huey -w 2 &\nexec gunicorn jobs.web:app\nEOF\n", 5),
    ("RUN cat > /start.sh <<EOF\n#!/bin/sh\nhuey_consumer jobs.huey -w 2 &\nexec gunicorn jobs.web:app\nEOF\n", 5),
    ("COPY <<EOF /start.sh\n#!/bin/sh\nhuey_consumer jobs.huey -w 2 &\nexec gunicorn jobs.web:app\nEOF\n", 5),
    ("RUN printf '#!/bin/sh\\n\\\nhuey_consumer jobs.huey -w 2 &\\n\\\nexec gunicorn jobs.web:app\\n' > /start.sh\n", 4),
    ("RUN echo \"#!/bin/sh\\n\\\nhuey_consumer jobs.huey -w 2 &\\n\\\nexec gunicorn jobs.web:app\" > /start.sh && \\\n"
     "    chmod +x /start.sh\n", 4),
    ("RUN echo '#!/bin/sh\\n\\\n\\n\\\nhuey_consumer jobs.huey -w 2 &\\n\\\nexec gunicorn jobs.web:app' > /start.sh\n", 5),
], ids=["run-heredoc", "run-heredoc-redirect-first", "copy-heredoc", "printf", "echo-double-quoted", "empty-line"])
def test_a_start_script_the_build_writes_is_followed_at_its_dockerfile_lines(tmp_path, writer, line):
    """The script a RUN or COPY writes (here-document, ``printf``/dash ``echo`` of one string) is the one the
    ENTRYPOINT/CMD runs: its background consumer is HL201 at the Dockerfile line that writes it."""
    write_tree(tmp_path, {**_APP, "Dockerfile": "FROM python:3.12-slim\nCOPY . /srv\n" + writer + _SCRIPT_TAIL})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert [hop.name for hop in launch.chain if hop.kind == "script"] == ["/start.sh"]
    assert (launch.loc.path, launch.loc.line) == ("Dockerfile", line)
    assert ("HL201", "Dockerfile", writer.count("\n") + 4) in triples(result)  # at the CMD


@pytest.mark.parametrize("base, writer", [
    ("alpine:3.20", "RUN echo '#!/bin/sh\\n\\\nexec huey_consumer jobs.huey' > /start.sh\n"),  # busybox: no escapes
    ("python:3.12-slim", "SHELL [\"/bin/bash\", \"-c\"]\nRUN echo '#!/bin/sh\\n\\\nexec huey_consumer jobs.huey' > /start.sh\n"),
    ("python:3.12-slim", "RUN echo \"#!/bin/sh\\n\\\nexec huey_consumer $APP\" > /start.sh\n"),  # expanded at build
    ("python:3.12-slim", "RUN echo '#!/bin/sh\\ncat <<X\\nexec huey_consumer jobs.huey\\nX' > /start.sh\n"),  # heredoc
    ("python:3.12-slim", "RUN printf '#!/bin/sh\\n\\\nexec huey_consumer %s' jobs.huey > /start.sh\n"),  # a format
], ids=["busybox-echo", "bash-echo", "build-time-expansion", "heredoc-on-one-line", "printf-format"])
def test_a_written_file_that_cannot_be_read_line_for_line_is_not_guessed(tmp_path, base, writer):
    write_tree(tmp_path, {**_APP, "Dockerfile": f"FROM {base}\nCOPY . /srv\n" + writer + _SCRIPT_TAIL})
    assert lint(tmp_path).project.launches == []


@pytest.mark.parametrize("body", [
    "#!/bin/sh\\nset -e\\nhuey_consumer jobs.huey -w 2 &\\nexec gunicorn jobs.web:app",
    "#!/bin/sh\\nif true; then\\n  huey_consumer jobs.huey -w 2 &\\nfi\\nexec gunicorn jobs.web:app",
], ids=["simple-commands", "compound-command"])
def test_a_start_script_written_on_one_dockerfile_line_is_read_as_one_line(tmp_path, body):
    """`echo '#!/bin/sh\\n...' > /start.sh` on one line: its lines are one line to the shell, joined where they
    stand (`\\n` becomes `; `, or blanks after `then`), so each command keeps its column in the Dockerfile."""
    line = f"RUN echo '{body}' > /start.sh\n"
    write_tree(tmp_path, {**_APP, "Dockerfile": "FROM python:3.12-slim\nCOPY . /srv\n" + line + _SCRIPT_TAIL})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert [(hop.name, hop.loc.line) for hop in launch.chain if hop.kind == "script"] == [("/start.sh", 3)]
    assert (launch.loc.line, launch.loc.col) == (3, line.index("huey_consumer") + 1)
    assert ("HL201", "Dockerfile", 5) in triples(result)  # started in the background, then gunicorn is exec'd


def test_a_copy_after_the_write_and_another_stage_decide_which_file_runs(tmp_path):
    """A COPY that puts a repository file at the same path wins; a file written in the stage the final one is
    built FROM is there too; one written in an unrelated stage is not."""
    writer = "RUN cat <<'EOF' > /start.sh\n#!/bin/sh\nhuey_consumer jobs.huey &\nexec sleep 1\nEOF\n"
    write_tree(tmp_path, {**_APP, "start.sh": "#!/bin/sh\nexec huey_consumer jobs.huey\n",
                          "Dockerfile": "FROM python:3.12-slim AS base\n" + writer + "FROM base\nCOPY start.sh /start.sh\n"
                          + _SCRIPT_TAIL})
    (launch,) = lint(tmp_path).project.launches
    assert [hop.name for hop in launch.chain if hop.kind == "script"] == ["start.sh"]
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12-slim AS base\n" + writer + "FROM base\n" + _SCRIPT_TAIL})
    (launch,) = lint(tmp_path).project.launches
    assert [(hop.name, hop.loc.line) for hop in launch.chain if hop.kind == "script"] == [("/start.sh", 4)]
    (tmp_path / "start.sh").unlink()
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12-slim AS tools\n" + writer + "FROM python:3.12-slim\n"
                          + _SCRIPT_TAIL})
    assert lint(tmp_path).project.launches == []


@pytest.mark.parametrize("base, read", [
    ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", True),  # a Debian release in the tag: dash
    ("ubuntu:24.04", True),
    ("python:3.12-alpine", False),  # busybox echo prints `\n` as written
    ("registry.example.com/team/base:2", False),  # whose /bin/sh is not known
])
def test_echo_escapes_are_read_only_where_the_image_shell_is_dash(tmp_path, base, read):
    writer = "RUN echo '#!/bin/sh\\n\\\nexec huey_consumer jobs.huey' > /start.sh\n"
    write_tree(tmp_path, {**_APP, "Dockerfile": f"FROM {base}\nCOPY . /srv\n" + writer + _SCRIPT_TAIL})
    assert bool(lint(tmp_path).project.launches) is read


@pytest.mark.parametrize("instruction", ["STOPSIGNAL", "USER", "WORKDIR"])
def test_an_instruction_without_its_argument_is_hl001(tmp_path, instruction):
    """BuildKit reads the rest of the line as these instructions' one argument: none fails the build
    ("STOPSIGNAL requires exactly one argument").  Before, `STOPSIGNAL` alone was an unknown signal, seen
    only in `inspect`."""
    write_tree(tmp_path, {"Dockerfile": f'FROM python:3.12\nUSER app\n{instruction}\nCMD ["huey_consumer", "app.huey"]\n'})
    [finding] = lint(tmp_path).findings
    assert (finding.rule, str(finding.loc), finding.loc.col, finding.message) == (
        "HL001", "Dockerfile:3", 1, f"cannot parse: {instruction} requires exactly one argument")


@pytest.mark.parametrize(("line", "message"), [
    # BuildKit's parseString: the whole rest of the line is the one signal, which signal.ParseSignal refuses
    ("STOPSIGNAL SIGINT # graceful", "STOPSIGNAL `SIGINT # graceful` is not one signal: BuildKit reads the whole "
     "line as the signal's name and the build fails (\"Invalid signal\")"),
    ("STOPSIGNAL SIGTERM SIGINT", "STOPSIGNAL `SIGTERM SIGINT` is not one signal: BuildKit reads the whole line as "
     "the signal's name and the build fails (\"Invalid signal\")"),
    # instructions/parse.go ParseInstruction: "unknown instruction", for the whole file
    ("RUNN pip install huey", "unknown instruction `RUNN`: the build fails (\"unknown instruction\"), so no image "
     "is made from this Dockerfile"),
    ("exec huey_consumer app.huey", "unknown instruction `exec`: the build fails (\"unknown instruction\"), so no "
     "image is made from this Dockerfile"),
], ids=["stopsignal-comment", "stopsignal-two-signals", "misspelled", "script-line"])
def test_what_buildkit_refuses_is_hl001(tmp_path, line, message):
    write_tree(tmp_path, {"Dockerfile": f'FROM python:3.12\nUSER app\n{line}\nCMD ["huey_consumer", "app.huey"]\n'})
    result = lint(tmp_path)
    assert [(f.rule, str(f.loc), f.loc.col, f.message) for f in result.findings] == [
        ("HL001", "Dockerfile:3", 1, f"cannot parse: {message}")]


@pytest.mark.parametrize("body", [
    "RUN <<EOF\nexec huey_consumer app.huey\nEOF\n",  # a heredoc's body is no instruction
    "RUN cat > /start.sh <<-'SCRIPT'\n\texec huey_consumer app.huey\n\tSCRIPT\n",
    "COPY <<EOF /etc/app.conf\nworkers = 2\nEOF\n",
    "onbuild run echo hi\nstopsignal SIGINT\nhealthcheck NONE\n",  # instructions are case-insensitive
    "# escape=`\n",  # a comment
])
def test_known_instructions_and_heredoc_bodies_are_no_hl001(tmp_path, body):
    write_tree(tmp_path, {"Dockerfile": f'FROM python:3.12\nUSER app\n{body}CMD ["huey_consumer", "app.huey"]\n'})
    assert [f.rule for f in lint(tmp_path).findings if f.rule == "HL001"] == []


BASH_NO_EXEC = ("`bash -c` runs the consumer without `exec`: bash 5 happens to replace itself by a lone command, but "
                "that is an optimisation, not a contract")


@pytest.mark.parametrize(("shell", "stage_shell"), [
    ('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', ""),  # hadolint's DL4006 advice, common in real Dockerfiles
    ("", 'FROM python:3.12 AS base\nSHELL ["/bin/bash", "-c"]\n'),  # a stage's SHELL is inherited by FROM <stage>
])
def test_a_shell_form_cmd_runs_with_the_stage_shell(tmp_path, shell, stage_shell):
    """Docker runs a shell-form CMD/ENTRYPOINT with the stage's SHELL: under `SHELL ["/bin/bash", ...]` the
    consumer's wrapper is `bash -c`, which happens to exec a lone command; HL201 said "(/bin/sh -c) ... the shell
    receives the stop signal and does not pass it on", which bash does not do here."""
    base = "base" if stage_shell else "python:3.12"
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.0\n", "Dockerfile": (
        f"{stage_shell}FROM {base}\nUSER app\nSTOPSIGNAL SIGINT\n{shell}CMD huey_consumer app.huey -t 5\n")})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    line = 6 if stage_shell else 5
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("Dockerfile", line, 5)
    assert finding.message.startswith(BASH_NO_EXEC), finding.message
    assert finding.fix is not None and finding.fix.description == "CMD in exec form"


def test_a_windows_shell_is_not_modelled_and_the_launch_stays_visible(tmp_path):
    """`SHELL ["powershell", "-Command"]` (a Windows image) is not followed: read as /bin/sh -c, as before SHELL
    was read, rather than a shell-form CMD that starts the consumer becoming no launch at all."""
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.0\n", "Dockerfile": (
        'FROM python:3.12\nUSER app\nSTOPSIGNAL SIGINT\nSHELL ["powershell", "-Command"]\n'
        "CMD huey_consumer app.huey -t 5\n")})
    assert triples(lint(tmp_path), "HL201") == [("HL201", "Dockerfile", 5)]


def test_a_run_keeps_its_build_context_bind_mounts():
    """`RUN --mount=...`: the bind mounts of the build context (BuildKit's default mount type), their paths against
    the RUN's working folder; cache, secret and `from=` mounts read nothing of the context."""
    df = _parse("FROM python:3.12\nWORKDIR /app\n"
                "RUN --mount=type=cache,target=/root/.cache/pip --mount=type=bind,source=svc/req.txt,target=req.txt \\\n"
                "    --mount=target=/ctx --mount=type=bind,from=builder,source=/w,target=/w "
                "--mount=type=secret,id=npmrc,target=/s --network=none pip install -r req.txt\n")
    (run,) = df.stages[-1].runs
    assert run.text == "pip install -r req.txt"
    assert run.binds == (("/app/req.txt", "svc/req.txt"), ("/ctx", "."))


def test_twenty_thousand_stages_are_parsed_in_linear_time():
    """Each `FROM <stage>` looked its parent up through the stages before it, and each `COPY --from=<stage>` its
    source: a 700 KB Dockerfile of 20,000 stages took 30 s (quadratic). Stages are found by name, the last of a
    name for `FROM` and the first for `COPY --from`, as before."""
    import time

    text = "FROM python:3.12 AS s0\n" + "".join(f"FROM s{i - 1} AS s{i}\nCOPY --from=s{i - 1} /a /a\n"
                                               for i in range(1, 20_000))
    started = time.process_time()
    parsed = _parse(text + 'CMD ["huey_consumer", "app.huey"]\n')
    assert time.process_time() - started < 10  # (30 s before; about 1 s now)
    last = parsed.stages[-1]
    assert (last.name, last.parent.name, last.copies[-1].source.name) == ("s19999", "s19998", "s19998")
    assert _parse("FROM python AS a\nFROM python AS A\nFROM a\nCOPY --from=A /x /x\n").stages[2].parent.index == 1


@pytest.mark.parametrize("script, env, dev", [
    # the image's script starts the consumer in the background, then a development server on every path
    ("python manage.py run_huey &\nexec python manage.py runserver 0.0.0.0:8000\n", "", True),
    # on the branch the image's own ENV takes
    ("python manage.py run_huey &\nif [ \"$STAGE\" = local ]; then\n  exec uvicorn app.asgi:application --reload\n"
     "fi\nexec gunicorn app.wsgi\n", "ENV STAGE=local\n", True),
    ("python manage.py run_huey &\nif [ \"$STAGE\" = local ]; then\n  exec uvicorn app.asgi:application --reload\n"
     "fi\nexec gunicorn app.wsgi\n", "ENV STAGE=production\n", False),
    # a `case` whose first clause runs the development server: the next `exec` on any branch is not on every path
    ("python manage.py run_huey &\ncase \"$STAGE\" in\n  local) exec python manage.py runserver ;;\nesac\n"
     "exec gunicorn app.wsgi\n", "", False),
])
def test_an_image_whose_script_runs_a_development_server_is_a_development_launch(tmp_path, script, env, dev):
    """The image's own command (``docker run``, what production runs when no orchestrator file of the repository
    stands for it) is read like a compose service's: a script that runs a development server beside the consumer
    makes it a development launch, not judged by the platform rules (it was HL201 on a debug image: noise), on
    the branch its environment takes (field test kobotoolbox/reports)."""
    write_tree(tmp_path, {
        "Dockerfile": f"FROM python:3.12\nUSER app\n{env}COPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        "start.sh": "#!/bin/sh\n" + script,
    })
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.platform == "docker" and launch.dev is dev
    assert bool(triples(result, "HL201")) is not dev


@pytest.mark.parametrize("rel, dev", [
    ("Dockerfile.dev", True), ("dev.Dockerfile", True), ("Dockerfile.local", True), ("Dockerfile-development", True),
    ("Dockerfile.test", True), ("Dockerfile.ci", True), ("tests/Dockerfile", True), (".devcontainer/Dockerfile", True),
    ("compose/local/django/Dockerfile", True), ("docker/dev/Dockerfile", True),
    ("Dockerfile", False), ("Dockerfile.prod", False), ("docker/worker/Dockerfile", False),
    ("compose/production/django/Dockerfile", False), ("Dockerfile.devops", False), ("latest/Dockerfile", False),
])
def test_a_dockerfile_named_or_placed_for_development_is_a_development_launch(tmp_path, rel, dev):
    """A development compose project no longer stands for the image it builds, so the Dockerfile's own launch is
    judged as production runs it; an image named or placed for development or tests (as a compose file named so is
    a development stack) is not production's: no platform findings (it was HL101/HL102 on cookiecutter-django's
    ``compose/local/django/Dockerfile`` once a consumer `CMD` sits there)."""
    write_tree(tmp_path, {rel: "FROM python:3.12\nUSER app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
                          "requirements.txt": "huey==2.5.0\n"})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.dev is dev
    assert bool(triples(result, "HL101")) is not dev


def test_the_supervisor_programs_of_a_development_image_are_development_launches(tmp_path):
    """`Dockerfile.dev` whose PID 1 is supervisord: its consumer program is a development launch too, as the image's
    own command is (no HL101 for supervisord's SIGTERM there), while the same image named `Dockerfile` is judged."""
    conf = "[supervisord]\nnodaemon=true\n\n[program:huey]\ncommand=huey_consumer app.huey\n"
    image = ("FROM python:3.12\nUSER app\nCOPY supervisord.conf /etc/supervisord.conf\n"
             "CMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n")
    for name, dev in (("Dockerfile.dev", True), ("Dockerfile", False)):
        root = tmp_path / name
        write_tree(root, {name: image, "supervisord.conf": conf, "requirements.txt": "huey==2.5.0\n"})
        result = lint(root)
        assert [launch.dev for launch in result.project.launches] == [dev]
        assert bool(triples(result, "HL101")) is not dev
