"""Whole numbers written in the scanned files, as hueylint reads them.

Python refuses to convert a decimal string of more than 4,300 digits to an ``int`` (``ValueError``: the limit
``sys.int_info.default_max_str_digits`` guards against quadratic conversion since Python 3.11), and ``str.isdigit``
is true of digits ``int`` does not take (``²``, ``①``).  A digit run from a scanned file given to ``int`` raised
on both (``COPY --from=99…9``, ``shift 99…9``, a ``DOKKU_SCALE`` count): an internal error, not a finding.  No
count, index, signal number or duration hueylint reads needs more than :data:`MAX_DIGITS` digits.
"""

from __future__ import annotations

#: the most digits a number hueylint uses may have (below 2**63, the largest count any platform takes)
MAX_DIGITS = 18


def whole_number(text: str) -> int | None:
    """``text``, ASCII digits only and at most :data:`MAX_DIGITS` of them, as an ``int``; None for anything else
    (a sign, a space, another script's digits, a longer run)."""
    return int(text) if 0 < len(text) <= MAX_DIGITS and digit_run(text) else None


def digit_run(text: str) -> bool:
    """Is ``text`` a run of ASCII digits, of any length (a number too long for :func:`whole_number` included)?"""
    return text.isascii() and text.isdigit()
