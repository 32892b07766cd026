"""hueylint: the production-readiness linter for huey deployments.

This module stays tiny on purpose: ``hueylint --version`` imports only it, so
startup is instant. Everything heavy is imported lazily where it is used.
"""

__version__ = "0.1.0"
#: what ``hueylint --version`` prints
VERSION_LINE = f"hueylint {__version__}"
__all__ = ["VERSION_LINE", "__version__"]
