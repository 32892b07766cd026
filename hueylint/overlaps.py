"""The one pass where the platform builders' launches meet: overlaps resolved, explicitly.

Builders never remove or skip each other's launches; each returns a :class:`~hueylint.platforms.Built`
saying what its launches stand for, and :func:`resolve` decides, after every builder ran:

* a Dockerfile's own launch describes ``docker run`` of the image.  When a compose service (of a production
  project: a development stack says nothing of how production runs the image) or a
  Kubernetes container of the repository runs that Dockerfile (``Built.replaces``), the orchestrator's
  launch (with its own stop signal, deadline and command) is what really happens: the Dockerfile's
  launches (``platform == "docker"`` named by the Dockerfile, and supervisor programs of that image,
  fact ``docker.image``) are dropped, so every problem is reported once, by the platform that runs it;
* a supervisor configuration a container runs (``Built.claims``: supervisord, circus, s6 under Docker,
  compose or Kubernetes) is built once, with the container's chain: the host launches of that
  configuration (``Built.hosts``) are not built.

The launches keep the builders' order (:data:`hueylint.platforms.BUILDERS`), each builder's host units
after its own launches.
"""

from __future__ import annotations

from hueylint.model import Launch
from hueylint.platforms import Built, OnError
from hueylint.records import dataclass


@dataclass
class Resolved:
    """The launches of the model, and the claims that decided them (for the follow-ups and ``inspect``)."""

    launches: list[Launch]
    claimed: set[str]  # supervisor configuration files a container runs
    replaced: set[str]  # Dockerfiles an orchestrator runs


def resolve(built: list[Built], on_error: OnError | None = None) -> Resolved:
    """Every builder's launches minus those another builder's launches replace or claim (see the module).

    Unclaimed host units are built here (:class:`~hueylint.platforms.HostUnit`); ``on_error(name, files,
    exc)`` receives an exception escaping one, as for the builder itself (its later units are skipped);
    without ``on_error`` the exception propagates.  Returns the launches, in the builders' order, with the
    claimed configuration files and the replaced Dockerfiles (repo paths).
    """
    replaced = set().union(*(part.replaces for part in built))
    claimed = set().union(*(part.claims for part in built))

    def replaced_image(launch: Launch) -> bool:
        image = launch.docker.image if launch.docker is not None else None
        return (launch.platform == "docker" and launch.name in replaced) or \
            (image is not None and image.value in replaced)

    launches: list[Launch] = []
    for part in built:
        launches += [launch for launch in part.launches if not replaced_image(launch)]
        for unit in part.hosts:
            if claimed.intersection(unit.files):
                continue
            try:
                launches += [launch for launch in unit.launches() if not replaced_image(launch)]
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(part.name, part.files, exc)
                break
    return Resolved(launches, claimed, replaced)
