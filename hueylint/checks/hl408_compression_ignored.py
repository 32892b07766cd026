"""HL408: ``compression=``/``use_zlib=`` passed to the Huey class together with ``serializer=`` is ignored."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import all_huey_args
from hueylint.findings import Finding, Related
from hueylint.model import Project


@check("HL408")
def compression_ignored(project: Project, ctx: Context) -> Iterable[Finding]:
    for _rel, args, _loc, what in all_huey_args(project):
        if args.compression is None or args.serializer is None:
            continue
        yield Finding("HL408", f"`compression=`/`use_zlib=` is passed to {what} together with `serializer=`: huey "
                      "ignores it and stores uncompressed data. Fix: pass `compression=True` to the serializer "
                      "(`SignedSerializer(secret=..., compression=True)`)", args.compression,
                      related=[Related(args.serializer.loc, "the serializer")])
