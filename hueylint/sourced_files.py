"""What a script's ``. FILE`` / ``source FILE`` sets, when hueylint can know it.

bash runs a sourced file in the sourcing shell (bash(1) "SHELL BUILTIN COMMANDS", ``.``), so it may set any
variable, and :mod:`hueylint.shell_eval` makes every later variable unknown after one it cannot read.  Three
kinds of file are read instead (:func:`sourced_file`):

* a file of the repository (``. ./deploy.env``, ``source "/app/config/env.sh"``, found like a script the
  launch runs: :func:`hueylint.script_lookup.candidates`) holding only assignments (``NAME=value``,
  ``export NAME=value``) and commands that set no variable (``set -a``, ``echo``...): each name gets its
  literal value, or an unknown one when assigned in a branch or from an expansion, or by a command's word
  (``: "${X:=1}"``, ``printf -v X``, ``X=1 :``);
* a file the repository does not hold (a git-ignored ``.env`` mounted into the container) when a template of
  it sits at a place it would be (``.env.sample``, ``.env.example``, ``.env.template``, ``.env.dist``,
  ``.default.env``...): the deployer writes the file from its template, so it sets the names the template
  lists, each to a value hueylint cannot know, and no other;
* a virtual environment's ``bin/activate`` (``source venv/bin/activate``, no argument; the repository holds
  no such file): CPython's ``venv`` (Lib/venv/scripts/common/activate) and virtualenv set ``VIRTUAL_ENV``,
  ``VIRTUAL_ENV_PROMPT``, ``PATH``, ``PS1`` and the ``_OLD_VIRTUAL_*`` copies, and unset ``PYTHONHOME``.

Anything else (a file not found, a file with other commands, nested ``.``, ``eval``, functions called) gives
None: the caller keeps every variable unknown after it.  :func:`template_of` is also how a missing compose
``env_file:`` or systemd ``EnvironmentFile=`` is read (:func:`hueylint.environment.read_repo_env_file`).
"""

from __future__ import annotations

import posixpath

from hueylint.locations import Loc
from hueylint.script_lookup import candidates, parse_script
from hueylint.shell_eval import Sourced, default_assignments
from hueylint.words import shell_option_words
from hueylint.workspace import Workspace

#: commands a sourced file may run without setting a variable hueylint does not see (``set -a`` exports the
#: assignments that follow; ``export``/``readonly`` without ``=`` keep the value)
_HARMLESS = frozenset({"set", "export", "readonly", "echo", "printf", ":", "true"})

#: suffixes and prefixes that name a template of a file (``.env.sample``, ``example.env``)
TEMPLATE_SUFFIXES = (".sample", ".example", ".template", ".dist", ".tmpl", ".default", ".defaults", ".in")
TEMPLATE_PREFIXES = ("sample", "example", "template", "default")

#: what a virtual environment's ``bin/activate`` sets (a value only the host knows) and unsets
VENV_SETS = ("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PATH", "PS1", "_OLD_VIRTUAL_PATH", "_OLD_VIRTUAL_PS1",
             "_OLD_VIRTUAL_PYTHONHOME")
VENV_UNSETS = ("PYTHONHOME",)


def sourced_file(ws: Workspace, word: str, more_args: bool, origin: Loc, workdir: str = "") -> Sourced | None:
    """What ``. word`` sets, run by the script at ``origin`` (its folder and the repository root are where
    relative paths are looked up; ``workdir`` the image's working folder for absolute ones).  ``more_args``:
    the ``.`` command passes arguments to the file (conda's ``source activate ENV``: not a venv).  None when
    the file is not one of the kinds above."""
    paths = candidates(word, origin, workdir)
    for rel in paths:
        if ws.exists(rel):
            return _assignments_only(ws, rel, f"set by `{word}` ({rel})", template=False)
    if posixpath.basename(word) == "activate" and posixpath.basename(posixpath.dirname(word)) == "bin" \
            and not more_args:
        return Sourced(tuple((name, None) for name in VENV_SETS),
                       f"set by the virtual environment's `{word}`", VENV_UNSETS)
    for rel in paths:
        template = template_of(ws, rel)
        if template is not None:
            return _assignments_only(ws, template, f"set by `{word}`, which is not in the repository (its "
                                     f"template `{template}` lists it; the value is the deployer's)",
                                     template=True)
    return None


def template_of(ws: Workspace, rel: str) -> str | None:
    """The repository's template of the missing file ``rel`` (``x/.env`` -> ``x/.env.sample``), if any."""
    folder, name = posixpath.split(rel)
    if not name:
        return None
    stem, extension = posixpath.splitext(name) if not name.startswith(".") or name.count(".") > 1 else (name, "")
    names = [name + suffix for suffix in TEMPLATE_SUFFIXES]
    names += [f"{prefix}{name}" if name.startswith(".") else f"{prefix}.{name}" for prefix in TEMPLATE_PREFIXES]
    names += [f".{prefix}{name}" for prefix in TEMPLATE_PREFIXES if name.startswith(".")]  # `.default.env`
    if extension:
        names += [f"{stem}.{kind}{extension}" for kind in ("sample", "example", "template", "dist")]
    for candidate in names:
        path = posixpath.join(folder, candidate) if folder else candidate
        if ws.exists(path):
            return path
    return None


def _harmless(name: str, words: list[str]) -> bool:
    """A command of :data:`_HARMLESS` that sets no variable: ``set`` only with options (``set -a``, ``set -o
    allexport``); ``set -- a b`` / ``set x`` replace the sourcing script's arguments."""
    if name not in _HARMLESS:
        return False
    if name != "set":
        return True
    index = 0
    while index < len(words):  # options only: each `o` of a group takes the next word (`set -euo pipefail`)
        word = words[index]
        if word in ("--", "-") or not word.startswith(("-", "+")):
            return False
        index += shell_option_words(word)
    return True


def _assignments_only(ws: Workspace, rel: str, why: str, template: bool) -> Sourced | None:
    """The names the shell file ``rel`` sets (values literal and unconditional, else unknown; all unknown for a
    ``template``), or None when it may set others (any other command, a syntax error, a function call)."""
    src = ws.file(rel)
    if src is None:
        return None
    script = parse_script(src.text)
    if script is None or script.error is not None or script.too_deep is not None:
        return None
    if any(not _harmless(command.name, [word.text for word in command.words[1:]]) or command.background or
           command.subshell or command.pipeline for command in script.commands):
        return None
    values: dict[str, str | None] = {}
    for assignment in sorted(script.assignments, key=lambda step: step.seq):
        if assignment.name == "*" or assignment.function:
            return None  # ``export $(...)``: names not known; a function's body runs when called
        if assignment.declared:
            continue
        value = assignment.value
        certain = not template and not assignment.conditions and not assignment.maybe and not assignment.loops \
            and value is not None and value.literal and assignment.items is None and not assignment.append
        values[assignment.name] = value.text if certain and value is not None else None
    defaults = [name for step in script.assignments if step.value is not None
                for name, _ in default_assignments(step.value.text)]  # ``A=${B:=1}`` sets B too
    for name in defaults:
        values[name] = None
    for command in script.commands:  # `: "${X:=1}"`, `printf -v X`, `X=1 :` (dash keeps a special built-in's
        # prefix assignments): each sets X to a value read here as unknown
        words = [word.text for word in command.words]
        for name in [name for word in words for name, _ in default_assignments(word)] + \
                [item.split("=", 1)[0] for item in command.assignments] + \
                [words[index + 1] for index, word in enumerate(words[:-1]) if command.name == "printf" and word == "-v"]:
            values[name] = None
    return Sourced(tuple(values.items()), why)
