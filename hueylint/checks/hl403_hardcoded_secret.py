"""HL403: a literal ``SignedSerializer`` secret or storage password in source or settings.

Development settings (:meth:`hueylint.appmodel.Repo.development`: ``settings/local.py``, or settings that turn DEBUG
on) are no production configuration: their signing secret, and a password of a storage on the developer's own
machine (every location loopback), stay quiet; a password for another host is a secret wherever it is written."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import LOOPBACK, Repo
from hueylint.checks import Context, check
from hueylint.checks._app import all_huey_args
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL403")
def hardcoded_secret(project: Project, ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[str | None, int, str]] = set()
    repo = project.repo or Repo()
    for rel, args, _loc, what in all_huey_args(project):
        found = []
        development = repo.development(rel)
        if args.serializer is not None and args.serializer.secret_literal and args.serializer.secret is not None \
                and not development:  # a development signing key signs only a developer's own queue
            found.append((args.serializer.secret.loc, "the `SignedSerializer` secret"))
        local = all(location.kind == LOOPBACK for location in args.storage)  # none written: huey's localhost
        for password in args.passwords if not (development and local) else ():  # a laptop's own Redis
            found.append((password.loc, "a storage password"))
        for loc, kind in found:
            key = (loc.path, loc.line, kind)
            if key in seen:
                continue
            seen.add(key)
            where = rel if loc.path in (None, "", rel) else f"{loc.path}, imported by {rel}"
            yield Finding("HL403", f"{kind} of {what} is written in the source ({where}): anyone with read access "
                          "to the repository can sign tasks or reach the queue. Fix: read it from the environment "
                          "or a secrets manager", loc)
