"""Moved to :mod:`hueylint.environment` (the layer below the platform builders).

Kept only for the checks that still import it; the checks-read-the-model change removes their import,
and this module with it.
"""

from hueylint.environment import env_of

__all__ = ["env_of"]
