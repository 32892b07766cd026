"""The storages an app may run with (HL401, HL402, HL404-HL406): the Huey class, its arguments, the
branch that defines it."""

from __future__ import annotations

from typing import NamedTuple

from hueylint.appmodel import App, HueyArgs, HueyInstance
from hueylint.findings import Severity
from hueylint.hueyfacts import IN_MEMORY_CLASSES
from hueylint.locations import Loc
from hueylint.model import Val


class Storage(NamedTuple):
    """One storage the app may run with: the Huey class, its arguments, where it is defined, and the if/try
    branch that defines it ("" when unconditional)."""

    cls: Val[str] | None
    args: HueyArgs
    loc: Loc
    branch: str = ""
    production: bool = False  # the branch's condition looks like production

    @property
    def severity(self) -> Severity | None:
        """A branch's storage is judged at warning level: it may not be the one that runs."""
        return Severity.WARNING if self.branch else None

    def when(self, message: str) -> str:
        """``message`` prefixed with the condition under which this storage is the app's."""
        branch = self.branch
        if not branch:
            return message
        if branch.startswith("if "):
            where = f"when `{branch[3:]}` holds"
        elif branch.startswith("else of `if "):
            where = f"when `{branch[len('else of `if '):-1]}` does not hold"
        elif branch.startswith("except"):
            where = f"when the module's `try` fails (`{branch}`)"
        elif branch == "try":
            where = "when the module's `try` block succeeds"
        else:
            where = f"in the `{branch}` that defines it"
        label = "the production-looking definition" if self.production else "one of the app's definitions"
        return f"{where} ({label}), {message}"


def instance_storage(inst: HueyInstance) -> Storage:
    branch = inst.branch if inst.conditional else ""
    return Storage(Val(inst.class_name, inst.loc), inst, inst.loc, branch, inst.dev_branch is False)


def storages_of(app: App) -> list[Storage]:
    """The storages to judge: each instance the consumer may run outside development-looking branches, else
    the Django settings dict."""
    if app.instances:
        return [instance_storage(inst) for inst in app.judged_instances]
    if app.config is not None:
        setting = app.setting
        branch = setting.branch if setting is not None and setting.conditional else ""
        production = setting is not None and setting.dev_branch is False
        return [Storage(app.huey_class, app.config, app.config.loc, branch, production)]
    return []


def only_in_memory(app: App) -> bool:
    """Every storage the app may run with is kept in the consumer's own memory (``MemoryHuey``,
    ``BlackHoleHuey``): what is queued dies with the process, whatever is re-enqueued at shutdown too."""
    storages = storages_of(app)
    return bool(storages) and all(
        storage.cls is not None and storage.cls.known and storage.cls.value in IN_MEMORY_CLASSES
        for storage in storages)
