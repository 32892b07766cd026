"""In-memory scripts for chain tests: command words -> script texts, with an optional launch environment."""

from __future__ import annotations

from pathlib import Path

from hueylint.chain import ConsumerHit, Token, resolve
from hueylint.locations import Loc
from hueylint.sources import SourceFile

ORIGIN = Loc("deploy/huey.service", 3, 11, 3, 40)


class Scripts:
    """Command words -> in-memory scripts, with an optional launch environment."""

    def __init__(self, scripts: dict[str, str], env: dict[str, str | None] | None = None) -> None:
        self.files = {word: SourceFile(Path(word.lstrip("/")), word.lstrip("/"), text) for word, text in scripts.items()}
        self.shell_env = env or {}

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return self.files.get(word)


def run(words: list[str], scripts: dict[str, str] | None = None,
        env: dict[str, str | None] | None = None) -> list[ConsumerHit]:
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, Scripts(scripts or {}, env))


def one(hits: list[ConsumerHit]) -> ConsumerHit:
    assert len(hits) == 1, hits
    return hits[0]


def argv(hit: ConsumerHit) -> list[str]:
    return [t.text for t in hit.args]
