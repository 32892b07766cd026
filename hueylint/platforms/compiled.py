"""Programs an image build compiles from Go, C/C++ or Rust source: never a huey consumer.

A Dockerfile's ``RUN go build -o huey ./cmd/huey`` (then ``COPY --from=builder /build/huey .`` and
``CMD ["./huey"]``) makes a native program whose name may mention huey (a Battlesnake called Huey) while
nothing in it is Python.  :func:`compiled_outputs` reads one RUN's shell code the way the compilers name
their output, from their documentation:

* ``go build`` (``go help build``): ``-o`` names the output file, or a directory when it ends with ``/``
  or is an existing directory (then each program is named after its package); without ``-o`` a single
  main package is written to the working directory, named after the last element of its import path
  (a ``/vN`` major-version element skipped), ``go build x.go`` after the first file.  ``-C dir`` changes
  directory first.  Flags take ``-flag value`` or ``-flag=value`` (one or two dashes).
* ``go install`` (``go help install``): into ``$GOBIN``, else ``$GOPATH/bin`` (``/go/bin`` in the
  official golang images, whose ``GOPATH`` is ``/go``), named after the package (``@version`` dropped).
* ``gcc``/``cc``/``g++``/``c++``/``clang``/``clang++`` (also versioned, ``gcc-12``): ``-o FILE`` or
  ``-oFILE``; without it ``a.out``; with ``-c``/``-S``/``-E`` no program is linked.
* ``rustc``: ``-o FILE``, else named after the crate file (``main.rs`` -> ``main``).
* ``cargo build``: below ``--target-dir`` (else ``$CARGO_TARGET_DIR``, else ``target`` in the working
  directory); ``cargo install``: ``--root DIR``/``bin``, else ``$CARGO_INSTALL_ROOT/bin``, else
  ``$CARGO_HOME/bin`` (``/usr/local/cargo`` in the official rust images).

``cd DIR`` earlier in the same RUN moves the working directory; ``sh -c '...'`` is read as code too.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import TYPE_CHECKING

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

if TYPE_CHECKING:
    from hueylint.shell import Command

#: Go build flags that take a value (``go help build``, ``go help testflag`` excluded)
_GO_VALUED = frozenset({"o", "p", "C", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags",
                        "installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags",
                        "toolexec", "covermode", "coverpkg", "exec"})
_C_COMPILER = lazy_pattern(r"^(?:[\w.-]+-)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|musl-gcc)(?:-\d+(?:\.\d+)*)?$")
#: C compiler flags whose value is the next word (gcc's separate-argument options a build line uses)
_C_VALUED = frozenset({"-I", "-L", "-D", "-U", "-l", "-x", "-include", "-isystem", "-MF", "-MT", "-MQ",
                       "-Xlinker", "-Xassembler", "-Xpreprocessor", "-idirafter", "-iprefix", "-imacros"})
_SHELLS = frozenset({"sh", "bash", "dash", "ash"})



@dataclass(frozen=True)
class Output:
    """Where a compiler writes a program: the file ``path``, or when ``folder`` any file directly in that
    folder (``deep``: anywhere below it, for cargo's ``target/<triple>/<profile>/``).  ``how`` is the
    command as written (for messages)."""

    path: str
    how: str
    folder: bool = False
    deep: bool = False

    def holds(self, target: str) -> bool:
        """``target`` (an absolute, normalised path) is a program this output writes."""
        if not self.folder:
            return target == self.path
        if self.deep:
            return target.startswith(self.path.rstrip("/") + "/")
        return posixpath.dirname(target) == (self.path.rstrip("/") or "/")


def compiled_outputs(text: str, workdir: str, env: dict[str, str] | None = None) -> list[Output]:
    """Every program a RUN's shell code ``text`` compiles (see the module docstring), with absolute paths;
    ``workdir`` is the RUN's ``WORKDIR``, ``env`` the image's known environment (``GOPATH``, ``GOBIN``,
    ``CARGO_HOME`` ...)."""
    from hueylint.shell import parse_script

    return _outputs(parse_script(text).commands, workdir or "/", dict(env or {}), depth=0)


def _outputs(commands: tuple[Command, ...], workdir: str, env: dict[str, str], depth: int) -> list[Output]:
    found: list[Output] = []
    cwd = workdir
    for command in commands:
        words = [word.text for word in command.words]
        if not words:
            continue
        local = dict(env)
        for assignment in command.assignments:
            name, _, value = assignment.partition("=")
            local[name] = value
        program = posixpath.basename(words[0])
        if program == "cd" and len(words) == 2 and not command.subshell:
            cwd = _absolute(words[1], cwd)
        elif program in _SHELLS and len(words) >= 3 and words[1] == "-c" and depth < 2:
            from hueylint.shell import parse_script

            found += _outputs(parse_script(words[2]).commands, cwd, local, depth + 1)
        elif program == "go" and len(words) >= 2 and words[1] in ("build", "install"):
            found += _go(words, cwd, local)
        elif _C_COMPILER.match(program):
            found += _c(words, cwd)
        elif program == "rustc":
            found += _rustc(words, cwd)
        elif program == "cargo" and len(words) >= 2 and words[1] in ("build", "install"):
            found += _cargo(words, cwd, local)
    return found


def _absolute(path: str, cwd: str) -> str:
    return posixpath.normpath(path if path.startswith("/") else posixpath.join(cwd, path))


def _go(words: list[str], cwd: str, env: dict[str, str]) -> list[Output]:
    how = shlex.join(words)
    flags: dict[str, str] = {}
    packages: list[str] = []
    index = 2
    while index < len(words):
        word = words[index]
        if word.startswith("-") and word != "-":
            name, eq, value = word.lstrip("-").partition("=")
            if not eq and name in _GO_VALUED and index + 1 < len(words):
                value, index = words[index + 1], index + 1
            flags[name] = value
        else:
            packages.append(word)
        index += 1
    if "C" in flags:
        cwd = _absolute(flags["C"], cwd)
    names = [_go_name(package, cwd) for package in (packages or ["."])]
    if words[1] == "install":
        folder = env.get("GOBIN") or posixpath.join(env.get("GOPATH") or "/go", "bin")
        return [Output(_absolute(folder, cwd), how, folder=True)]
    out = flags.get("o")
    if out is None:
        if len(packages) > 1 and not all(p.endswith(".go") for p in packages):
            return []  # several packages without -o: built and discarded
        return [Output(posixpath.join(cwd, names[0]), how)] if names[0] else []
    path = _absolute(out, cwd)
    if out.endswith("/"):
        return [Output(path, how, folder=True)]
    # an existing directory gets each program named after its package: which one it is is not known here
    return [Output(path, how)] + [Output(posixpath.join(path, name), how) for name in names if name]


def _go_name(package: str, cwd: str) -> str:
    """The program name ``go build`` gives a package path or ``.go`` file list."""
    if package.endswith(".go"):
        return posixpath.basename(package)[:-3]
    path = package.split("@", 1)[0].rstrip("/")
    if path in ("", "."):
        path = cwd  # the package in the working directory: named after its folder (its import path's end)
    elif path.startswith((".", "/")):
        path = _absolute(path, cwd)
    parts = [part for part in path.split("/") if part and part != "..."]
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts.pop()
    return parts[-1] if parts else ""


def _c(words: list[str], cwd: str) -> list[Output]:
    out: str | None = None
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-c", "-S", "-E"):
            return []  # compiles or preprocesses only: no program is linked
        if word == "-o" and index + 1 < len(words):
            out, index = words[index + 1], index + 1
        elif word.startswith("-o") and len(word) > 2:
            out = word[2:]
        elif word in _C_VALUED:
            index += 1
        index += 1
    return [Output(_absolute(out or "a.out", cwd), shlex.join(words))]


def _rustc(words: list[str], cwd: str) -> list[Output]:
    out: str | None = None
    crate = ""
    index = 1
    while index < len(words):
        word = words[index]
        if word == "-o" and index + 1 < len(words):
            out, index = words[index + 1], index + 1
        elif word in ("--out-dir", "--crate-name", "--edition", "--crate-type", "--target", "-C", "-L", "-l",
                      "--cfg", "--extern", "--emit") and index + 1 < len(words):
            index += 1
        elif word.endswith(".rs"):
            crate = posixpath.basename(word)[:-3]
        index += 1
    name = out or crate
    return [Output(_absolute(name, cwd), shlex.join(words))] if name else []


def _cargo(words: list[str], cwd: str, env: dict[str, str]) -> list[Output]:
    how = shlex.join(words)
    options: dict[str, str] = {}
    for index, word in enumerate(words[2:], start=2):
        name, eq, value = word.partition("=")
        if name in ("--target-dir", "--root") and (eq or index + 1 < len(words)):
            options[name] = value if eq else words[index + 1]
    if words[1] == "install":
        root = options.get("--root") or env.get("CARGO_INSTALL_ROOT") or env.get("CARGO_HOME") or "/usr/local/cargo"
        return [Output(posixpath.join(_absolute(root, cwd), "bin"), how, folder=True)]
    target = options.get("--target-dir") or env.get("CARGO_TARGET_DIR") or "target"
    return [Output(_absolute(target, cwd), how, folder=True, deep=True)]
