"""The huey version a project pins, read statically from its dependency files.

Several rules depend on the installed huey (option spellings, ``-t``/``-g``
only from 3.4, ...).  This module finds every place that names the ``huey``
distribution and says which version it implies:

* requirement files (``requirements*.txt``, ``requirements/*.txt``, ``*.in``
  under a requirements folder, ``requirements*.in``, ``constraints*.txt``),
  with pip's line continuations, comments, options, hashes, markers, extras;
  ``-r``/``-c`` includes are returned by :func:`includes` for the caller to
  follow (this module never opens files itself);
* ``pyproject.toml``: PEP 621 ``dependencies``/``optional-dependencies``,
  PEP 735 ``dependency-groups``, Poetry ``[tool.poetry.dependencies]`` (and
  groups / ``dev-dependencies``), ``tool.uv`` dev/constraint/override lists,
  ``tool.pdm.dev-dependencies``;
* ``setup.cfg`` (``install_requires``, ``extras_require``), ``Pipfile``;
* conda environment files (``environment.yml``): match specs and the ``pip:`` list;
* lock files: ``poetry.lock``, ``uv.lock``, ``Pipfile.lock``;
* Dockerfiles: the requirement words of ``RUN pip install ...`` (an image's own install), and the
  dependency files its installs read (``pip install -r FILE``, ``pip install .``, ``poetry install``, ``uv sync``,
  ``pipenv install``: :func:`install_file_words`; which repository file the image holds there is the caller's to
  say: ``image_reads`` of :func:`folder_versions`).

Only the ``huey`` distribution counts (PEP 503 normalised: ``Huey``,
``huey[redis]`` do; ``django-huey`` does not).  VCS, URL, path and editable
requirements are skipped: their version cannot be known statically.

What a :class:`Pin` says about the version:

* ``allowed``: the constraint as PEP 440 specifier sets (``packaging.specifiers``), Poetry's ``^``, ``~``,
  bare versions, hyphen ranges and ``||`` alternatives translated as Poetry defines them;
* ``version``: what pip would install for this requirement alone: an exact pin (``==X``, ``===X``,
  Poetry/Pipfile bare ``X`` or ``=X``) or a lock file's resolved version gives ``X``; any other
  constraint (``>=2.0``, ``~=2.5``, ``<3``, ``^2.5``, none at all) gives the newest huey release it
  allows (:data:`HUEY_RELEASES`), with ``minimum=True`` (the version is pip's choice, not a pin);
* a constraint that cannot be read (``==${HUEY_VERSION}``) gives ``None`` and ``allowed=None``.

The version a service runs (:func:`folder_versions`) intersects the constraints of one install (a
requirements file and the files it includes, a pyproject), so ``huey>=2.0`` with ``-c constraints.txt``
holding ``huey<3`` gives 2.6.0; a lock file beside them decides.

Versions are tuples padded to at least three parts (``3.4`` -> ``(3, 4, 0)``)
so that ``(3, 4, 0) >= (3, 4, 0)`` holds whichever way the user wrote them.
Nothing here raises on malformed input: a broken TOML/JSON file yields no pins
and :func:`parse_error` describes it for HL001.

The package, by section: :mod:`~hueylint.versions.specifiers` (names, release tuples, constraints and the
newest release they allow), :mod:`~hueylint.versions.pins` (:class:`Pin`, PEP 508 strings),
:mod:`~hueylint.versions.filekinds` (which files are dependency files), :mod:`~hueylint.versions.text`
(positions, pip's logical lines), :mod:`~hueylint.versions.requirements` (requirement files and every
file's includes), :mod:`~hueylint.versions.tomltext` and :mod:`~hueylint.versions.manifests`
(``pyproject.toml``, ``setup.cfg``, ``Pipfile``), :mod:`~hueylint.versions.locks` (lock files), :mod:`~hueylint.versions.conda` (conda environment files),
:mod:`~hueylint.versions.dockerfile` (``RUN pip install``), :mod:`~hueylint.versions.errors` (HL001's
parse errors), :mod:`~hueylint.versions.project` (the version of each folder and of the repository) and
:mod:`~hueylint.versions.cache` (each file's pins, includes and parse error, cached by content).
"""

from __future__ import annotations

from hueylint.versions.cache import DependencyCache
from hueylint.versions.dockerfile import install_file_words
from hueylint.versions.errors import parse_error
from hueylint.versions.filekinds import is_dependency_file, owner_folder
from hueylint.versions.pins import Pin
from hueylint.versions.project import code_version, folder_versions, huey_pins, project_version
from hueylint.versions.requirements import includes, outside_includes
from hueylint.versions.specifiers import HUEY_RELEASES, newest_allowed, normalize_name, parse_version

__all__ = [
    "HUEY_RELEASES",
    "DependencyCache",
    "Pin",
    "code_version",
    "folder_versions",
    "huey_pins",
    "newest_allowed",
    "owner_folder",
    "includes",
    "is_dependency_file",
    "normalize_name",
    "outside_includes",
    "parse_error",
    "parse_version",
    "project_version",
    "install_file_words",
]
