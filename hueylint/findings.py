"""Findings: what rules report, before configuration and reporters see them."""

from __future__ import annotations

import enum
from dataclasses import field

from hueylint.locations import Loc
from hueylint.records import dataclass


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= fail_on`` decides the exit code."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        key = text.strip().lower()
        aliases = {"e": "error", "w": "warning", "n": "note", "info": "note", "warn": "warning"}
        key = aliases.get(key, key)
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or note)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding involves (SARIF ``relatedLocations``): the consumer launch, the script a
    hop runs, a handler in a module the consumer does not import."""

    loc: Loc
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two 1-based positions of ``path``."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    replacement: str


SAFE, UNSAFE = "safe", "unsafe"


@dataclass(frozen=True, slots=True)
class Fix:
    """Text edits that resolve one finding (applied by :mod:`hueylint.fixes`).

    ``safety`` is ``"safe"`` (``--fix`` applies it: it changes only what the finding is about) or
    ``"unsafe"`` (only with ``--unsafe-fixes``: it changes behaviour beyond the finding)."""

    description: str
    edits: tuple[Edit, ...] = ()
    safety: str = SAFE


@dataclass
class Finding:
    """One finding: the ``rule`` id (``HL101``), its ``message`` (why it loses work, and the fix), where
    (``loc``), the severity when configured (None: the catalog's), related places, the ``--fix`` edits
    and the baseline ``fingerprint`` (:mod:`hueylint.fingerprints`)."""

    rule: str
    message: str
    loc: Loc
    severity: Severity | None = None  # None: the catalog's default severity
    related: list[Related] = field(default_factory=list)
    fix: Fix | None = None
    fingerprint: str = ""

    def fixable(self, unsafe: bool = False) -> bool:
        """``--fix`` applies this finding's fix (``unsafe``: ``--fix --unsafe-fixes`` does)."""
        return self.fix is not None and bool(self.fix.edits) and (self.fix.safety == SAFE or unsafe)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.loc.path or "", self.loc.line, self.loc.col, self.rule, self.message)
