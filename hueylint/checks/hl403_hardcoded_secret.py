"""HL403: a literal ``SignedSerializer`` secret or storage password in source or settings."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import all_huey_args
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL403")
def hardcoded_secret(project: Project, ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[str | None, int, str]] = set()
    for rel, args, _loc, what in all_huey_args(project):
        found = []
        if args.serializer is not None and args.serializer.secret_literal and args.serializer.secret is not None:
            found.append((args.serializer.secret.loc, "the `SignedSerializer` secret"))
        for password in args.passwords:
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
