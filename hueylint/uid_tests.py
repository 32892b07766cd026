"""Shell tests of who the script runs as: ``[ "$(id -u)" = 0 ]``, ``[ "$(whoami)" = root ]``.

Entrypoints decide whether to drop root by such a test (the docker-library idiom
``if [ "$(id -u)" = '0' ]; then exec gosu app "$0" "$@"; fi``).  When the user the code runs as is
known (the image's, or the one a launcher such as ``gosu`` switched to), the test's answer is known too.
"""

from __future__ import annotations

from hueylint.shell import Guard

# bash sets these (read-only) to the real and effective uid; dash, the usual /bin/sh, leaves them unset
_BASH_UID_VARS = frozenset({"$UID", "${UID}", "$EUID", "${EUID}"})
_ROOT = {"uid": "0", "name": "root"}
# users that are not root, in the form the test does not name: a test that answers the same for all of
# them and otherwise for root tells only root from the rest, so it is decided for any non-root user
_OTHERS = {"uid": ("1", "1000", "65534"), "name": ("app", "nobody", "www-data")}


def uid_subject(subject: str, interpreter: str) -> str | None:
    """``"uid"`` when the tested word expands to the current uid (``$(id -u)``, `` `id -u` ``, bash's
    ``$UID``/``$EUID``), ``"name"`` when to the user's name (``$(whoami)``, ``$(id -un)``), else None.
    ``interpreter`` is the script's shebang interpreter (``bash``; "" when there is none)."""
    text = subject.strip()
    if text in _BASH_UID_VARS:
        return "uid" if interpreter == "bash" else None
    if text.startswith("$(") and text.endswith(")"):
        words = text[2:-1].split()
    elif len(text) > 1 and text.startswith("`") and text.endswith("`"):
        words = text[1:-1].split()
    else:
        return None
    if words == ["whoami"]:
        return "name"
    if not words or words[0] != "id" or len(words) < 2:
        return None
    flags = words[1:]
    if any(not flag.startswith("-") or flag.startswith("--") for flag in flags):
        return None  # ``id -u app`` asks about another user; long options are not read
    letters = set("".join(flag[1:] for flag in flags))
    if letters == {"u"}:
        return "uid"
    if letters == {"u", "n"}:
        return "name"
    return None


def uid_test_passes(guard: Guard, kind: str, user: str) -> bool | None:
    """Whether ``guard`` (a test of the ``kind`` of :func:`uid_subject`) passes for code running as ``user``
    (a name such as ``app`` or ``root``, or a uid such as ``1000``); None when it cannot be told (a name
    compared with a uid test, unless the test only tells root from everyone else)."""
    if user in ("0", "root"):
        return guard.admits(_ROOT[kind])
    if user.isdigit() == (kind == "uid"):
        return guard.admits(user)
    answers = {guard.admits(other) for other in _OTHERS[kind]}
    if len(answers) == 1 and guard.admits(_ROOT[kind]) not in answers:
        return answers.pop()
    return None
