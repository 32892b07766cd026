"""A repository Python program that starts the consumer as its child process, and what it does when stopped.

Teams put a small Python supervisor in front of the consumer: a leader election that starts
``manage.py run_huey`` only in the pod holding a lease, a watchdog that restarts it.  The platform
then signals the program, and the program decides what the consumer gets.  The facts, read with
:mod:`ast` (the program never runs):

- the child's command: the first argument of ``subprocess.Popen``/``run``/``call``/``check_call``
  (also one of them imported from :mod:`subprocess`; asyncio's ``create_subprocess_exec(*words)`` and
  ``create_subprocess_shell(string)``), or the value of a name the program binds once, a list
  or tuple of string literals (``sys.executable``
  is ``python``) naming a consumer (``["python", "manage.py", "run_huey"]``); a string with ``shell=True`` is ``sh -c`` with
  that string, as is the string of ``os.system``/``os.popen`` (system(3) runs ``/bin/sh -c``).  Anything else is
  not read (a command built at run time).
- the stop signal it sends the child: ``child.send_signal(signal.SIGINT)`` or ``os.kill(pid,
  signal.SIGINT)`` (a signal named literally); ``child.send_signal(signum)`` of a parameter of the function
  (or lambda) making the call, a signal handler's number, forwards the signal the program receives
  (``forwards``); else ``child.terminate()`` (SIGTERM, as
  :meth:`subprocess.Popen.terminate` sends on POSIX; an asyncio loop's ``add_signal_handler(signal.SIGTERM,
  proc.send_signal, signal.SIGINT)`` likewise), else ``child.kill()`` (SIGKILL); none of
  them: the program passes no signal on (the child is killed with the container, or orphaned).
- or a ``multiprocessing.Process(target=FUNC)`` whose function ``FUNC`` runs ``call_command("run_huey", ...)``: the
  child (a fork of the program) runs the management command, read as ``python manage.py run_huey ...``.
- or the consumer it replaces itself with: ``os.execvp("python", ["python", "manage.py", "run_huey"])`` (any
  ``os.exec*``, literal words), as a shell's ``exec`` (``replaces``).
- its deadline: ``child.wait(timeout=N)`` or ``child.wait(N)`` (a number, or a parameter whose default is one) when the
  program also calls ``kill()``: SIGKILL N seconds after the stop signal.
- whether it is a leader election (``elected``): it takes or renews a Kubernetes Lease, the lock of the
  ``coordination.k8s.io`` API every replica competes for (the Python client's ``create_namespaced_lease``,
  ``replace_namespaced_lease`` or ``patch_namespaced_lease``, or the client's ``LeaderElection``), so only
  the pod holding it runs the consumer: one at a time, however many replicas run the program.
"""

from __future__ import annotations

import ast
import re

from hueylint.chain import SpawnedChild
from hueylint.hueyfacts import CONSUMER_MODULE, CONSUMER_SCRIPTS, DJANGO_COMMANDS
from hueylint.pyapp.excepts import module_or_none
from hueylint.sources import SourceFile

_SPAWNERS = frozenset({"Popen", "run", "call", "check_call", "check_output"})
_CONSUMERS = (*CONSUMER_SCRIPTS, *DJANGO_COMMANDS)  # the consumer's program names, as a command names them
_SIGNALS = ("INT", "TERM", "KILL", "QUIT", "HUP")
_NUMBERS = {1: "HUP", 2: "INT", 3: "QUIT", 9: "KILL", 15: "TERM"}  # signal(7), the same on every Linux arch
_ASYNCIO_SPAWNERS = frozenset({"create_subprocess_exec", "create_subprocess_shell"})
_EXECS = frozenset({"execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe"})


Word = tuple[str, int, int]  # (text, line, column) in the program
#: a word of the child's command computed at run time (``str(workers)``): an unknown value to the chain
RUNTIME_WORD = "${PYTHON}"


def mentions_spawn(text: str) -> bool:
    """A cheap test before parsing: the text starts a process and names a consumer, or Python (a program of the
    repository it runs, ``[sys.executable, "-m", "app.worker"]``, may be one)."""
    return ("Popen" in text or "subprocess" in text or "os.exec" in text or "os.system" in text or "os.popen" in text
            or ("multiprocessing" in text and "call_command" in text)) \
        and (any(word in text for word in _CONSUMERS) or "executable" in text or "python" in text)


def spawned(src: SourceFile) -> tuple[SpawnedChild, ...]:
    """The consumers ``src`` starts as child processes, in source order, each with what the program does to it
    when stopped; empty when it starts none that hueylint can read (or the file is not Python).

    A program may start several consumers (one per huey app: ``Popen([..., "det.huey_translate"])`` then
    ``Popen([..., "det.huey_common"])``): every distinct command is a child.  The same command started again
    (a watchdog's restart) is the same consumer, once.  The stop facts (signal sent, deadline, relay, Lease) are
    the program's and hold for every child: ``for child in children: child.terminate()`` is read as such.
    ``os.exec*`` replaces the program: the consumer it names is the only one (nothing after it runs)."""
    if not mentions_spawn(src.text):
        return ()
    tree = module_or_none(src.text)  # Python 3.14's `except A, B:` read as the extractor reads it
    if tree is None:
        return ()
    _sys_aliases(tree)
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)),
                   key=lambda node: (node.lineno, node.col_offset))
    imported = {alias.asname or alias.name: alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "subprocess" and not node.level for alias in node.names}
    processes = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "multiprocessing" and not node.level for alias in node.names
                 if alias.name == "Process"}
    commands: dict[tuple[tuple[str, ...], bool], list[Word]] = {}  # by the command's text: a restart is no new child
    for call in calls:
        words: list[Word] | None = None
        shell = False
        if _callee(call.func, imported) in _SPAWNERS and call.args:
            words, shell = _command(call, _bound_once(tree, call.args[0]))
        elif _asyncio_spawn(call.func) and call.args:  # ``await asyncio.create_subprocess_exec("python", ...)``
            if _asyncio_spawn(call.func) == "create_subprocess_shell":
                words, shell = _command(call, _bound_once(tree, call.args[0]), shell=True)
            else:
                words, shell = _command(call, ast.List(elts=list(call.args)))
        elif _is_process(call.func, processes):  # ``Process(target=start_huey)``, whose target runs the consumer
            words = _process_target(tree, call)
        elif _os_shell(call.func) and call.args:  # ``os.system("huey_consumer app.huey &")``: ``sh -c`` runs it
            words, shell = _command(call, _bound_once(tree, call.args[0]), shell=True)
        elif _os_exec(call.func) and len(call.args) >= 2:
            replacing = _exec_words(tree, call)
            if replacing and not commands:  # ``os.execvp("python", [...])``: the consumer replaces the program
                return (SpawnedChild(tuple(replacing), False, None, None, None, None, replaces=True),)
        if words:
            commands.setdefault((tuple(word[0] for word in words), shell), words)
    if not commands:
        return ()
    sends, sends_at = _signal_sent(tree, calls)
    deadline, deadline_at = _deadline(tree, calls) if any(_method(c, "kill") for c in calls) else (None, None)
    forwards = sends == ""
    elected = _lease_call(calls)
    return tuple(SpawnedChild(tuple(words), shell, None if forwards else sends, sends_at, deadline, deadline_at,
                              forwards, elected=elected) for (_, shell), words in commands.items())


def _is_process(func: ast.expr, imported: set[str]) -> bool:
    """``multiprocessing.Process`` (also ``mp.Process``) or ``Process`` imported from :mod:`multiprocessing`."""
    if isinstance(func, ast.Attribute):
        return func.attr == "Process" and isinstance(func.value, ast.Name) and func.value.id in ("multiprocessing", "mp")
    return isinstance(func, ast.Name) and func.id in imported


def _process_target(tree: ast.Module, call: ast.Call) -> list[Word] | None:
    """The consumer a ``multiprocessing.Process(target=FUNC)`` child runs: the first ``call_command("run_huey",
    ...)`` (or ``djangohuey``) of the module's one function ``FUNC``, as the command ``python manage.py run_huey
    ...`` (Django's ``call_command`` runs the management command in that child process, the forked copy of the
    program); None when the target is no such function or a word is not a literal.  The child is a process of
    its own: the program's stop facts (``terminate()``, none) are what it gets."""
    target = next((k.value for k in call.keywords if k.arg == "target"), call.args[1] if len(call.args) > 1 else None)
    if not isinstance(target, ast.Name):
        return None
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == target.id]
    if len(functions) != 1:
        return None
    runs = sorted((node for node in ast.walk(functions[0]) if isinstance(node, ast.Call) and node.args and
                   (isinstance(node.func, ast.Name) and node.func.id == "call_command" or
                    isinstance(node.func, ast.Attribute) and node.func.attr == "call_command")),
                  key=lambda node: (node.lineno, node.col_offset))
    for run in runs:
        texts = [_word(arg) for arg in run.args]
        if texts[0] not in DJANGO_COMMANDS:
            continue
        if any(text is None for text in texts) or run.keywords:
            return None  # options given as keywords or computed: not read
        at = (run.lineno, run.col_offset + 1)
        return [("python", *at), ("manage.py", *at),
                *((str(text), arg.lineno, arg.col_offset + 1) for text, arg in zip(texts, run.args))]
    return None


_LEASE_WRITES = frozenset({"create_namespaced_lease", "replace_namespaced_lease", "patch_namespaced_lease"})


def _lease_call(calls: list[ast.Call]) -> Word | None:
    """The first call that takes or renews a Kubernetes Lease (``api.create_namespaced_lease(...)``) or builds
    the client's ``LeaderElection``, as (text, line, column); None when the program holds no Lease."""
    for call in calls:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in _LEASE_WRITES or name == "LeaderElection":
            return (name, call.lineno, call.col_offset + 1)
    return None


def _asyncio_spawn(func: ast.expr) -> str:
    """``asyncio.create_subprocess_exec``/``create_subprocess_shell`` called: its name; "" otherwise."""
    return func.attr if isinstance(func, ast.Attribute) and func.attr in _ASYNCIO_SPAWNERS and \
        isinstance(func.value, ast.Name) and func.value.id == "asyncio" else ""


def _os_shell(func: ast.expr) -> bool:
    """``os.system``/``os.popen`` called: a command string run by ``/bin/sh -c``."""
    return isinstance(func, ast.Attribute) and func.attr in ("system", "popen") and \
        isinstance(func.value, ast.Name) and func.value.id == "os"


def _os_exec(func: ast.expr) -> str:
    """``os.execv``/``execvp``/``execl``... called: its name; "" for anything else."""
    return func.attr if isinstance(func, ast.Attribute) and func.attr in _EXECS and \
        isinstance(func.value, ast.Name) and func.value.id == "os" else ""


def _exec_words(tree: ast.Module, call: ast.Call) -> list[Word] | None:
    """The command ``os.exec*`` runs: its program (the first argument) and the arguments after ``argv[0]``
    (``os.execvp("python", ["python", "manage.py", "run_huey"])``, ``os.execlp("python", "python", "manage.py",
    "run_huey")``; an ``e`` variant's last argument is the environment); None when a word is not a literal
    or none names a consumer."""
    name = _os_exec(call.func)
    program = call.args[0]
    if name.startswith("execv"):
        argv = _bound_once(tree, call.args[1])
        rest = list(argv.elts[1:]) if isinstance(argv, (ast.List, ast.Tuple)) and argv.elts else None
    else:
        rest = list(call.args[2:-1] if name.endswith("e") else call.args[2:])
    if rest is None:
        return None
    texts = [_word(node) for node in (program, *rest)]
    if any(text is None for text in texts):
        return None
    words = [(str(text), node.lineno, node.col_offset + 1) for text, node in zip(texts, (program, *rest))]
    return words if any(w[0].rsplit("/", 1)[-1] in _CONSUMERS for w in words) else None


def _callee(func: ast.expr, imported: dict[str, str]) -> str:
    """The :mod:`subprocess` function called (``Popen``...): ``subprocess.X``, ``sp.X``, a bare ``Popen`` or a
    name imported from it (``from subprocess import run as start``); "" for anything else."""
    if isinstance(func, ast.Attribute):
        owner = func.value
        return func.attr if isinstance(owner, ast.Name) and owner.id in ("subprocess", "sp") else ""
    if not isinstance(func, ast.Name):
        return ""
    return imported.get(func.id, "Popen" if func.id == "Popen" else "")


def _sys_aliases(tree: ast.Module) -> None:
    """``import sys as _sys`` (anywhere, a function's own import too): its name read as ``sys`` from then on,
    so that ``_sys.executable`` is the running Python as ``sys.executable`` is."""
    aliases = {alias.asname for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names if alias.name == "sys" and alias.asname}
    if aliases:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in aliases:
                node.id = "sys"


def _word(node: ast.expr) -> str | None:
    """A command word's text: a string literal, or ``sys.executable`` (the running Python, ``python``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr == "executable" and \
            isinstance(node.value, ast.Name) and node.value.id == "sys":
        return "python"
    return None


def _bound_once(tree: ast.Module, node: ast.expr) -> ast.expr:
    """What the name ``node`` holds when the program binds it once, by ``NAME = value`` (``CMD = ["python",
    "manage.py", "run_huey"]`` then ``Popen(CMD)``); ``node`` itself otherwise (bound again, by ``+=``, a
    loop, an argument... : not known)."""
    if not isinstance(node, ast.Name):
        return node
    bindings = [n for n in ast.walk(tree) if (isinstance(n, ast.Name) and n.id == node.id and
                                               not isinstance(n.ctx, ast.Load)) or
                (isinstance(n, ast.arg) and n.arg == node.id)]
    assigned = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
                isinstance(n.targets[0], ast.Name) and n.targets[0].id == node.id]
    return assigned[0].value if len(bindings) == 1 and len(assigned) == 1 else node


def _command(call: ast.Call, first: ast.expr, shell: bool = False) -> tuple[list[Word] | None, bool]:
    """The child's command words from ``first``, the call's first argument (or what its name holds); a string
    is run by ``sh -c`` with ``shell=True`` (or ``shell``: asyncio's ``create_subprocess_shell``)."""
    shell = shell or any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value is True
                         for k in call.keywords)
    elements = first.elts if isinstance(first, (ast.List, ast.Tuple)) else []
    texts = [_word(e) for e in elements]
    if texts and texts[0] is not None and not any(isinstance(e, ast.Starred) for e in elements):
        # a word computed at run time (``str(workers)``) is an unknown value, as a shell's unset variable:
        # the rules that need it stay silent, the others still judge the command
        words = [(str(text) if text is not None else RUNTIME_WORD, e.lineno, e.col_offset + 1)
                 for text, e in zip(texts, elements)]
        if any(w[0].rsplit("/", 1)[-1] in _CONSUMERS for w in words) or _python_program(words):
            return words, False
    if shell and isinstance(first, ast.Constant) and isinstance(first.value, str) and \
            any(word in first.value for word in _CONSUMERS):
        return [(first.value, first.lineno, first.col_offset + 1)], True
    return None, False


def _python_program(words: list[Word]) -> bool:
    """``python -m module ...`` / ``python program.py ...`` (``sys.executable`` is ``python``): a Python program,
    which the app layer reads for a consumer (:func:`python_program`)."""
    if len(words) < 2 or not re.fullmatch(r"python[0-9.]*", words[0][0].rsplit("/", 1)[-1]):
        return False
    # (Django's manage.py names its consumer command, `run_huey`, which a consumer child then shows already)
    return (words[1][0] == "-m" and len(words) > 2 and words[2][0] != RUNTIME_WORD) or \
        (words[1][0].endswith(".py") and words[1][0].rsplit("/", 1)[-1] != "manage.py")


def python_program(child: SpawnedChild) -> tuple[str, tuple[str, int, int]] | None:
    """The word the app layer reads as a Python entry (``-m app.worker``, ``worker.py``) of a child that is a
    Python program and names no consumer itself, with the word's place; None for any other child."""
    words = child.words
    if child.shell or any(word[0].rsplit("/", 1)[-1] in _CONSUMERS for word in words) or not _python_program(list(words)):
        return None
    if words[1][0] == "-m" and words[2][0] == CONSUMER_MODULE:
        return None  # huey's own consumer (`python -m huey.bin.huey_consumer app.huey`): the chain knows it
    return (f"-m {words[2][0]}", words[2]) if words[1][0] == "-m" else (words[1][0], words[1])


def _method(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == name and \
        not (isinstance(call.func.value, ast.Name) and call.func.value.id in ("os", "signal", "subprocess"))


def _signal_name(node: ast.expr) -> str | None:
    """``signal.SIGINT`` / ``SIGINT`` / ``signal.Signals.SIGINT`` / ``2`` (Linux numbers) as ``INT``; None for
    anything else."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return _NUMBERS.get(node.value)
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name[3:] if name.startswith("SIG") and name[3:] in _SIGNALS else None


def _at(node: ast.expr) -> Word:
    return (ast.unparse(node)[:60], node.lineno, node.col_offset + 1)


def _signal_sent(tree: ast.Module, calls: list[ast.Call]) -> tuple[str | None, Word | None]:
    """The signal the program sends its child first (``INT``...), ``""`` when it forwards the one it receives
    (the signal argument is a parameter of the function or lambda making the call: a handler's ``signum``),
    None for none; with the call."""
    elsewhere = _in_other_handlers(tree)
    calls = [call for call in calls if id(call) not in elsewhere]
    for call in calls:  # a signal named in the call: what the program sends first, whatever else it does
        func = call.func
        if _method(call, "send_signal") and call.args:
            argument = call.args[0]
        elif isinstance(func, ast.Attribute) and func.attr in ("kill", "killpg") and \
                isinstance(func.value, ast.Name) and func.value.id == "os" and len(call.args) == 2:
            argument = call.args[1]
        else:
            continue
        sent = _signal_name(argument)
        if sent is None and isinstance(argument, ast.Name) and argument.id in _parameters(tree, call):
            sent = ""
        if sent is not None:
            return sent, _at(call)
    for call in calls:  # asyncio: ``loop.add_signal_handler(signal.SIGTERM, proc.send_signal, signal.SIGINT)``
        sent = _callback_sends(call)
        if sent is not None:
            return sent, _at(call)
    for name, sent in (("terminate", "TERM"), ("kill", "KILL")):
        for call in calls:
            if _method(call, name) and not call.args:
                return sent, _at(call)
    return None, None


def _callback_sends(call: ast.Call) -> str | None:
    """The signal an asyncio loop's handler for a stop signal sends the child, when the handler is the child's
    own method (``add_signal_handler(signal.SIGTERM, proc.send_signal, signal.SIGINT)``: INT; ``proc.terminate``:
    TERM; ``proc.kill``: KILL); None for anything else."""
    func, args = call.func, call.args
    if not (isinstance(func, ast.Attribute) and func.attr == "add_signal_handler" and len(args) >= 2
            and isinstance(args[1], ast.Attribute)) or _signal_name(args[0]) not in ("TERM", "INT", "QUIT"):
        return None
    method = args[1].attr
    if method == "send_signal":
        return _signal_name(args[2]) if len(args) >= 3 else None
    return {"terminate": "TERM", "kill": "KILL"}.get(method)


def _in_other_handlers(tree: ast.Module) -> set[int]:
    """The ids of the calls inside a handler the program registers (``signal.signal(signal.SIGHUP, reload)``,
    a function by name or a lambda) only for signals that do not stop it (HUP, USR1...): what it sends its child
    there (``send_signal(signal.SIGHUP)``, huey's restart) is not what it sends when stopped."""
    signals: dict[str, set[str]] = {}
    lambdas: list[tuple[ast.Lambda, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "signal"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "signal" and len(node.args) == 2):
            continue
        number, handler = node.args
        name = number.attr if isinstance(number, ast.Attribute) else number.id if isinstance(number, ast.Name) else ""
        received = name[3:] if name.startswith("SIG") else "?"  # a variable (a loop over signals): may stop
        if isinstance(handler, ast.Name):
            signals.setdefault(handler.id, set()).add(received)
        elif isinstance(handler, ast.Lambda):
            lambdas.append((handler, received))
    stops = {"TERM", "INT", "QUIT", "?"}
    holders: list[ast.AST] = [handler for handler, received in lambdas if received not in stops]
    holders += [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name in signals and not signals[node.name] & stops]
    return {id(inner) for holder in holders for inner in ast.walk(holder) if isinstance(inner, ast.Call)}


def _deadline(tree: ast.Module, calls: list[ast.Call]) -> tuple[float | None, Word | None]:
    for call in calls:
        if not _method(call, "wait"):
            continue
        given = [keyword.value for keyword in call.keywords if keyword.arg == "timeout"] + call.args[:1]
        for written in given:
            value = _parameter_defaults(tree, call).get(written.id) if isinstance(written, ast.Name) else written
            if isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) and \
                    not isinstance(value.value, bool) and value.value >= 0:
                return float(value.value), _at(call)
    return None, None


def _holder(tree: ast.Module, call: ast.Call) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
    """The innermost function or lambda that makes ``call``; None outside one."""
    holders = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
               and any(inner is call for inner in ast.walk(node))]
    return holders[-1] if holders else None  # ast.walk is breadth-first: the last holder is the innermost


def _parameters(tree: ast.Module, call: ast.Call) -> set[str]:
    """The parameter names of the innermost function or lambda that makes ``call``."""
    node = _holder(tree, call)
    if node is None:
        return set()
    arguments = node.args
    return {arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}


def _parameter_defaults(tree: ast.Module, call: ast.Call) -> dict[str, ast.expr]:
    """The literal defaults of the parameters of the innermost function that makes ``call`` (``def stop(timeout:
    int = 30)``), by name; empty outside a function."""
    node = _holder(tree, call)
    if node is None:
        return {}
    positional = [*node.args.posonlyargs, *node.args.args]
    found = dict(zip((arg.arg for arg in positional[len(positional) - len(node.args.defaults):]), node.args.defaults))
    found.update((arg.arg, default) for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults)
                 if default is not None)
    return found
