"""``hueylint inspect``: what hueylint understood, launch by launch, with provenance."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from hueylint.model import Launch, Val, format_seconds, signal_name


def _val(value: Val[Any] | None, fmt=str) -> str:  # noqa: ANN001
    """A value with its provenance, as rich markup (file names may contain brackets)."""
    from rich.markup import escape

    if value is None:
        return "-"
    if not value.known:
        return f"[yellow]unknown[/] ({escape(value.unknown)}) [dim]{escape('[' + value.where() + ']')}[/]"
    shown = "-" if value.value is None else str(fmt(value.value))
    return f"{escape(shown)} [dim]{escape('[' + value.where() + ']')}[/]"


def launch_dict(launch: Launch) -> dict[str, Any]:
    def val(value: Val[Any] | None) -> Any:
        if value is None:
            return None
        raw = value.value
        if isinstance(raw, float) and math.isinf(raw):
            raw = "infinity"
        return {"value": raw, "from": str(value.loc), "unknown": value.unknown or None}

    return {
        "platform": launch.platform, "name": launch.name, "unit": launch.unit, "at": str(launch.loc),
        "program": launch.program, "argv": list(launch.argv), "app": val(launch.app),
        "chain": [{"kind": hop.kind, "name": hop.name, "at": str(hop.loc), "sends": val(hop.sends),
                   "deadline": val(hop.deadline), "passes_signal": hop.passes_signal} for hop in launch.chain],
        "stop_signal": val(launch.stop_signal), "graceful_signal": val(launch.graceful_signal),
        "deadline": val(launch.deadline), "shutdown_timeout": val(launch.shutdown_timeout),
        "instances": val(launch.instances), "periodic": val(launch.periodic),
        "flush_locks": launch.flushes_locks, "logfile": val(launch.logfile), "branch": launch.branch or None,
        "options": {key: val(value) for key, value in launch.options.items()},
        "wrappers": [problem.message for problem in launch.wrappers],
    }


def render_inspect(paths: list[Path], settings, fmt: str, color: bool = True) -> None:  # noqa: ANN001
    from hueylint.engine import build_project

    ws, project, _ = build_project(paths, settings)
    if fmt == "json":
        version = project.huey_version.value
        json.dump({"root": str(ws.root), "huey_version": ".".join(map(str, version)) if version else None,
                   "launches": [launch_dict(launch) for launch in project.launches]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    console = Console(no_color=not color, highlight=False)
    version = project.huey_version
    console.print(f"[bold]huey version:[/] {_val(version, lambda v: '.'.join(map(str, v)))}")
    if not project.launches:
        console.print("No consumer launch found.")
        return
    for launch in project.launches:
        tree = Tree(f"[bold]{launch.platform}[/] [cyan]{launch.name}[/]  ({launch.loc})")
        chain = tree.add("chain")
        for hop in launch.chain:
            extra = []
            if hop.sends is not None:
                extra.append(f"sends {_val(hop.sends, signal_name)}")
            if hop.deadline is not None:
                extra.append(f"kills after {_val(hop.deadline, format_seconds)}")
            if not hop.passes_signal:
                extra.append("[red]does not pass the signal on[/]")
            chain.add(f"{hop.kind}: {hop.name} ({hop.loc}) {'; '.join(extra)}")
        chain.add(f"consumer: {launch.program} {' '.join(launch.argv)}")
        table = Table(show_header=False, box=None, padding=(0, 1))
        rows = [
            ("app", _val(launch.app)),
            ("stop signal", _val(launch.stop_signal, signal_name)),
            ("graceful signal", _val(launch.graceful_signal, signal_name)),
            ("kill deadline", _val(launch.deadline, format_seconds)),
            ("shutdown timeout (-t)", _val(launch.shutdown_timeout, format_seconds)),
            ("instances", _val(launch.instances)),
            ("periodic", _val(launch.periodic)),
            ("flush locks", "yes" if launch.flushes_locks else "no"),
            ("log file", _val(launch.logfile)),
        ]
        if launch.branch:
            rows.append(("branch", launch.branch))
        for key, value in rows:
            table.add_row(f"[dim]{key}[/]", value)
        tree.add(table)
        console.print(tree)
        console.print()
