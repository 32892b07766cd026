"""Where a value or a finding comes from: :class:`Loc`, a position in a repository file or a platform default.

Its own module, below the deployment model and the findings: a run that replays its cached result reads
findings and their places without importing the model (:mod:`hueylint.model` and its per-platform facts
are a fifth of a warm run's imports).
"""

from __future__ import annotations

from hueylint.records import dataclass


@dataclass(frozen=True, slots=True)
class Loc:
    """A position in a repository file, or a platform default.

    ``path`` is repo-relative with forward slashes; ``line``/``col`` are
    1-based (0 means "the whole file" / "unknown column").  A default has no
    path and names its origin in ``default`` (``"systemd default"``).
    """

    path: str | None = None
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    default: str = ""

    @classmethod
    def platform_default(cls, origin: str) -> "Loc":
        return cls(default=origin)

    @property
    def is_default(self) -> bool:
        return self.path is None

    def __str__(self) -> str:
        if self.path is None:
            return self.default or "default"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path
