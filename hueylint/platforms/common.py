"""Moved to :mod:`hueylint.launches` (the layer below the platform builders).

Kept only for the checks that still import it; the checks-read-the-model change removes their import,
and this module with it.
"""

from hueylint.launches import normalize_signal

__all__ = ["normalize_signal"]
