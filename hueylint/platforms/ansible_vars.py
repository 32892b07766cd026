"""Ansible's variables for a role's templates, as Ansible evaluates them from what a repository holds.

A unit template ``roles/worker/templates/huey.service.j2`` with ``TimeoutStopSec={{ huey_stop_timeout }}`` is
rendered by Ansible's ``template`` action with the variables the installing task sees.  This module finds those
variables in the repository and renders the template's ``{{ ... }}`` placeholders whose value is one value for
every host the role can run on; every other placeholder stays as written (an unknown value to the builders,
:func:`hueylint.words.templated`), and one defined in the repository but not followed is said
(:attr:`Rendering.unfollowed`, a notice).

Precedence, lowest first (Ansible's "Variable precedence: Where should I put a variable?",
https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#variable-precedence-where-should-i-put-a-variable):
role defaults (``defaults/main.yml``; ``main.yaml``, ``main.json``, ``main``, or the files of a ``defaults/main/``
folder, Ansible's role "main" lookup) < inventory file group vars < inventory ``group_vars/all`` < ``group_vars/*``
< inventory file host vars < ``host_vars/*`` < play ``vars`` < play ``vars_files`` < role ``vars/main.yml`` <
block vars < task vars < ``include_vars`` < ``set_fact`` / registered vars < role (and ``include_role``) params <
include params < extra vars.  Extra vars (``-e``) are given on the command line, never in the repository: not
read.  Host facts (``ansible_*``) and magic variables (``inventory_hostname``) are known on a host only: unknown.
An ``include_vars``, ``set_fact`` or ``register`` applies to the tasks that run after it on the host: the installing
task sees those of its play that run before it (pre_tasks, each role of ``roles:`` with its dependencies, tasks,
post_tasks; a role's ``tasks/main.yml`` in order, included task files and roles in place: :func:`_run_order`), and
those of the other plays applying the role (whether they run first, on the same hosts, is not known: read as
before); a task file nothing includes never runs.  Where the task is not found in that order (a templated
include), and for a role template no task names, every one of them applies.

Which hosts a play runs on is not known from a repository (an inventory's group membership, a ``--limit``):
every ``group_vars/<group>`` and ``host_vars/<host>`` file that sets a variable may apply, and so may the value
below them (``group_vars/all``, the role's default) for a host in no such group, unless the play's ``hosts:``
names that very group.  Where these candidates disagree the value is unknown (said, never guessed).  Several
plays applying the role (with their own ``vars:`` or role params) are each a candidate too.

Jinja as Ansible renders it (https://jinja.palletsprojects.com/templates/#builtin-filters and Ansible's filter
guide, https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_filters.html): a variable, its
attributes (``item.value.workers``, ``item['key']``, ``item.0``), literals, and the filters ``default``/``d``
(its argument when the variable is undefined: "Providing default values"), ``int`` (Jinja's: the number, 0 when
none), ``string``, ``lower``, ``upper``, ``trim``, ``basename``, ``dirname``, ``replace``, ``regex_replace``,
``dict2items``, ``subelements``; any other filter or expression is not evaluated (unknown, said).  A variable's
value that is itself a template is rendered in turn, at most :data:`MAX_DEPTH` deep.

Loops of the installing task (Ansible's "Loops", https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_loops.html,
and the lookups ``dict``, ``subelements``, ``fileglob``, ``items``, ``list``): ``loop:``, ``with_items``
(flattened one level), ``with_list``, ``with_dict`` (items ``{key, value}``), ``with_subelements`` (items
``[element, subelement]``), ``with_fileglob`` (the files of the pattern, found as the ``fileglob`` lookup finds a
relative one: in the role's ``files/`` folder, then the role's own folder), ``loop:`` with ``dict2items``,
``subelements``, ``lookup``/``query``; ``loop_control: loop_var:`` names the item.  Each item is an instance:
the template is rendered for it, ``{{ item.key }}`` filled in.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import field
from typing import Any, Callable, Iterable, Iterator

from hueylint.discovery import Notice
from hueylint.formats import last_folder, template_base
from hueylint.parsers.embedded import installs
from hueylint.parsers.yamldocs import all_documents
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.words import Jinja
from hueylint.workspace import Workspace

#: how deep a variable's value may name other variables before it is left unknown
MAX_DEPTH = 8
#: the longest text a variable's template is rendered to
MAX_TEXT = 100_000
#: the most items of one loop read as instances (a loop of more is read once, its placeholders unknown, and said)
MAX_ITEMS = 100
_YAML = (".yml", ".yaml")
#: the modules that install a file from the controller: ``template``, ``copy`` (also by their full names)
_INSTALL_MODULES = {f"{prefix}{name}": name for name in ("template", "copy")
                    for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
_INCLUDE_ROLE = {f"{prefix}{name}" for name in ("include_role", "import_role")
                 for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
_INCLUDE_VARS = {f"{prefix}include_vars" for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
_SET_FACT = {f"{prefix}set_fact" for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
#: a role entry's keys that are keywords, not role params (Ansible's "Using roles at the play level")
_ROLE_KEYWORDS = {"role", "name", "tags", "when", "become", "become_user", "become_method", "vars", "delegate_to",
                  "environment", "ignore_errors", "any_errors_fatal", "check_mode", "diff", "no_log",
                  "run_once", "collections", "connection", "module_defaults", "debugger", "throttle", "timeout",
                  "apply", "public", "tasks_from", "vars_from", "defaults_from", "handlers_from", "allow_duplicates",
                  "rolespec_validate"}
#: the keys holding a list of tasks: a play's, a block's
_TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")
_BLOCK_LISTS = ("block", "rescue", "always")
_LOOP_KEYS = ("loop", "with_items", "with_list", "with_dict", "with_subelements", "with_fileglob")
#: one ``key=value`` of a module's one-line arguments (``src=huey.j2 dest=/etc/systemd/system/``)
_INLINE_ARG = lazy_pattern(r"(\w+)=(\"[^\"]*\"|'[^']*'|(?:\{\{[^}]*\}\}|[^\s{]|\{(?!\{))+)")
#: a literal of an expression: a quoted string, a number, a boolean, none
_STRING = lazy_pattern(r"^(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')$", re.S)
#: a string literal's escapes Jinja reads as Python does: ``\\`` and an escaped quote (another stays as written)
_ESCAPE = lazy_pattern(r"\\([\\'\"])")
_NUMBER = lazy_pattern(r"^-?\d+(\.\d+)?$")
#: a variable with its attributes: ``item``, ``item.value.workers``, ``item['key']``, ``item[0]``
_PATH = lazy_pattern(r"^([A-Za-z_]\w*)((?:\.\w+|\[\s*(?:\"[^\"]*\"|'[^']*'|\d+)\s*\])*)$")
_STEP = lazy_pattern(r"\.(\w+)|\[\s*(?:\"([^\"]*)\"|'([^']*)'|(\d+))\s*\]")
#: a filter: its name and its arguments' text
_FILTER = lazy_pattern(r"^([A-Za-z_][\w.]*)\s*(?:\((.*)\))?$", re.S)
#: a call of a lookup: ``lookup('dict', units)``, ``query('fileglob', 'templates/*.j2')``, ``q(...)``
_CALL = lazy_pattern(r"^(lookup|query|q)\s*\((.*)\)$", re.S)


@dataclass(frozen=True, slots=True)
class Setting:
    """One place that sets a variable: its value as written (a YAML value: a template string is rendered when
    read) and where (``path:line``, for messages)."""

    value: Any
    where: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value not followed here, and why (in words, for a notice)."""

    why: str


@dataclass(frozen=True, slots=True)
class Undefined:
    """A variable no file of the repository sets (an extra var, a host fact, a mistake)."""

    name: str


@dataclass
class Scope:
    """What the templates one task installs see: each variable's candidate settings (by precedence, for every
    host and play that may apply: several that disagree are unknown), and the loop's item (``local``)."""

    candidates: dict[str, list[Setting]]
    local: dict[str, Any] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)
    #: where each variable read here was set (``path:line``, the places of every candidate that agreed)
    sources: dict[str, str] = field(default_factory=dict)
    base: str = ""  # the role's (or playbook's) folder: where a relative fileglob pattern is looked for
    ws: Workspace | None = None
    notes: list[str] = field(default_factory=list)  # what of the play was not read (its vars_files), said

    def with_item(self, local: dict[str, Any]) -> Scope:
        return Scope(self.candidates, {**self.local, **local}, {}, set(), {}, self.base, self.ws, self.notes)

    def lookup(self, name: str, depth: int = 0) -> Any:
        """The value of ``name`` (an :class:`Unknown` or :class:`Undefined` when it has none here)."""
        if name in self.local:
            return self.local[name]
        if name in self.memo:
            return self.memo[name]
        settings = self.candidates.get(name)
        if not settings:
            return Undefined(name)
        if name in self.busy:
            return Unknown(f"`{name}` is set from its own value")
        if depth > MAX_DEPTH:
            return Unknown(f"`{name}` is set from more than {MAX_DEPTH} variables in turn")
        self.busy.add(name)
        try:
            values = [(setting, resolve(setting.value, self, depth + 1)) for setting in settings]
        finally:
            self.busy.discard(name)
        unknown = next((value for _, value in values if isinstance(value, (Unknown, Undefined))), None)
        if unknown is not None:
            found: Any = unknown if isinstance(unknown, Unknown) else Unknown(
                f"`{name}` is set from `{unknown.name}`: {_unset(unknown.name)}")
        elif len({_key(value) for _, value in values}) > 1:
            found = Unknown(f"`{name}` is set differently for the hosts and plays that may apply: " + ", ".join(
                f"{text(value) if not isinstance(value, (list, dict)) else 'a ' + type(value).__name__} "
                f"({setting.where})" for setting, value in values))
        else:
            found = values[0][1]
            self.sources[name] = ", ".join(dict.fromkeys(setting.where for setting, _ in values))
        self.memo[name] = found
        return found


def _key(value: Any) -> str:
    """What two values are compared by: their text for a scalar (an INI inventory's ``5`` and YAML's ``5`` render
    alike), the whole value for a list or mapping."""
    return repr(value) if isinstance(value, (list, dict)) else text(value)


#: Ansible's magic variables (https://docs.ansible.com/ansible/latest/reference_appendices/special_variables.html)
#: known on the host or at run time only, besides the host facts (``ansible_*``)
_MAGIC = {"inventory_hostname", "inventory_hostname_short", "group_names", "groups", "hostvars", "play_hosts",
          "ansible_play_hosts", "inventory_dir", "inventory_file", "omit"}


def _unset(name: str) -> str:
    """Why a variable no file of the repository sets has no value here."""
    root = re.split(r"[.\[]", name, maxsplit=1)[0]
    if root.startswith("ansible_") or root in _MAGIC:
        return f"`{root}` is a host fact or a magic variable, known on the host only"
    return f"`{root}` is set by no file of the repository"


def text(value: Any) -> str:
    """A value as Jinja renders it into a template (Python's ``str``: ``True``, ``5``)."""
    return str(value)


def resolve(value: Any, scope: Scope, depth: int = 0) -> Any:
    """A YAML value with its templates rendered: a string that is one ``{{ expression }}`` is that expression's
    value (a list stays a list, as Ansible's templating returns it), a string with placeholders among text is
    text; lists and mappings are kept, their strings rendered when read (:func:`_attribute`)."""
    if not isinstance(value, str) or "{{" not in value and "{%" not in value:
        return value
    if depth > 2 * MAX_DEPTH:  # (an attribute of a value naming itself: `x: {a: "{{ x.a }}"}`)
        return Unknown(f"`{_short(value)}` names itself or is deeper than {MAX_DEPTH} variables")
    if "{%" in value or "{#" in value:
        return Unknown(f"`{_short(value)}` holds a Jinja statement, not evaluated")
    spans = Jinja(value, blocks=False, tags=False, comments=False, variables=True).spans()
    if len(spans) == 1 and spans[0] == (0, len(value)) or (
            len(spans) == 1 and not value[:spans[0][0]].strip() and not value[spans[0][1]:].strip()):
        return evaluate(value[spans[0][0] + 2:spans[0][1] - 2], scope, depth)
    parts: list[str] = []
    last = 0
    for start, end in spans:
        found = evaluate(value[start + 2:end - 2], scope, depth)
        if isinstance(found, Undefined):
            return Unknown(f"`{_short(value)}`: {_unset(found.name)}")
        if isinstance(found, Unknown):
            return found
        parts += [value[last:start], text(found)]
        last = end
        if sum(map(len, parts)) > MAX_TEXT:  # (variables doubling each other: `a: "{{ b }}{{ b }}"`)
            return Unknown(f"`{_short(value)}` renders to more than {MAX_TEXT:,} characters")
    return "".join(parts) + value[last:]


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


def _split_top(expr: str, sep: str) -> list[str]:
    """``expr`` split at ``sep`` outside quotes and brackets."""
    parts, depth, quote, last = [], 0, "", 0
    for index, char in enumerate(expr):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(expr[last:index])
            last = index + 1
    parts.append(expr[last:])
    return parts


def evaluate(expr: str, scope: Scope, depth: int = 0) -> Any:
    """The value of one Jinja expression (the inside of ``{{ }}``); an :class:`Unknown` for what is not followed,
    an :class:`Undefined` for a variable set nowhere (a ``default`` filter gives its value then)."""
    if expr.startswith("-"):  # Jinja's whitespace control, `{{- x -}}`, right inside the braces (not `{{ -5 }}`)
        expr = expr[1:]
    if expr.endswith("-"):
        expr = expr[:-1]
    expr = expr.strip()
    pieces = [piece.strip() for piece in _split_top(expr, "|")]
    value = _primary(pieces[0], scope, depth)
    for piece in pieces[1:]:
        value = _filter(value, piece, scope, depth)
    return value


def _primary(expr: str, scope: Scope, depth: int) -> Any:
    literal = _STRING.match(expr)
    if literal is not None:
        return _ESCAPE.sub(r"\1", literal.group(1) if literal.group(1) is not None else literal.group(2))
    if _NUMBER.match(expr):
        return float(expr) if "." in expr else int(expr)
    if expr in ("true", "True", "false", "False"):
        return expr.lower() == "true"
    if expr.startswith("(") and expr.endswith(")") and len(_split_top(expr[1:-1], ",")) == 1:
        return evaluate(expr[1:-1], scope, depth)
    if expr.startswith("[") and expr.endswith("]"):
        items = [_primary(part.strip(), scope, depth) for part in _split_top(expr[1:-1], ",") if part.strip()]
        return next((item for item in items if isinstance(item, (Unknown, Undefined))), items)
    call = _CALL.match(expr)
    if call is not None:
        return _lookup(call.group(1), [part.strip() for part in _split_top(call.group(2), ",")], scope, depth)
    path = _PATH.match(expr)
    if path is None:
        return Unknown(f"the expression `{_short(expr)}` is not evaluated")
    value = scope.lookup(path.group(1), depth)
    for step in _STEP.finditer(path.group(2)):
        if isinstance(value, (Unknown, Undefined)):
            return value
        key: Any = step.group(1) or step.group(2) or step.group(3)
        if step.group(4) is not None or (key is not None and key.isdigit() and isinstance(value, list)):
            key = int(step.group(4) if step.group(4) is not None else key)
        value = _attribute(value, key, scope, depth, path.group(1))
    return value


def _attribute(value: Any, key: Any, scope: Scope, depth: int, name: str) -> Any:
    if isinstance(value, dict) and key in value:
        return resolve(value[key], scope, depth + 1)
    if isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
        return resolve(value[key], scope, depth + 1)
    return Undefined(f"{name}.{key}")


def _arguments(args: str, scope: Scope, depth: int) -> list[Any]:
    return [_primary(part.strip(), scope, depth) for part in _split_top(args, ",") if part.strip()] if args else []


#: Jinja's and Ansible's filters of one string
_STRING_FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower, "upper": str.upper, "trim": str.strip, "basename": posixpath.basename,
    "dirname": posixpath.dirname}


def _filter(value: Any, piece: str, scope: Scope, depth: int) -> Any:
    """``value`` through the filter ``piece`` (``default(5)``, ``int``) as Jinja and Ansible apply it."""
    match = _FILTER.match(piece)
    if match is None:
        return value if isinstance(value, Unknown) else Unknown(f"the filter `{_short(piece)}` is not evaluated")
    name = match.group(1).rsplit(".", 1)[-1]
    args = _arguments(match.group(2) or "", scope, depth)
    if name in ("default", "d"):
        if isinstance(value, Undefined) or (len(args) > 1 and args[1] is True and not value):
            return args[0] if args else ""
        return value
    if isinstance(value, (Unknown, Undefined)):
        return value
    if any(isinstance(arg, (Unknown, Undefined)) for arg in args):
        return Unknown(f"the arguments of `{_short(piece)}` are not known")
    if name == "int":  # Jinja's int: the number of an int or a numeric string, 0 (or its argument) otherwise
        try:
            return int(value) if not isinstance(value, str) else int(value.strip())
        except (TypeError, ValueError):
            try:
                return int(float(value))
            except (TypeError, ValueError):
                return args[0] if args else 0
    if name == "string":
        return text(value)
    if name in ("lower", "upper", "trim", "basename", "dirname") and isinstance(value, str):
        return _STRING_FILTERS[name](value)
    if name == "replace" and len(args) >= 2 and all(isinstance(arg, str) for arg in args[:2]):
        return text(value).replace(args[0], args[1])
    if name == "regex_replace" and len(args) >= 1 and all(isinstance(arg, str) for arg in args[:2]):
        if not _tame(args[0]) or len(text(value)) > 1000:
            return Unknown(f"the pattern of `{_short(piece)}` is not evaluated (a scanned file's pattern is run only "
                           "when it has no group and at most two repetitions)")
        try:
            return re.sub(args[0], args[1] if len(args) > 1 else "", text(value))
        except re.error:
            return Unknown(f"the pattern of `{_short(piece)}` is not Python's")
    if name == "dict2items" and isinstance(value, dict):
        return [{"key": key, "value": item} for key, item in value.items()]
    if name == "subelements" and args and isinstance(value, list):
        return _subelements(value, args[0], scope, depth)
    if name == "list" and isinstance(value, list):
        return value
    return Unknown(f"the filter `{_short(piece)}` is not evaluated")


def _tame(pattern: str) -> bool:
    """A pattern of a scanned file that Python's backtracking matcher runs in little time on a short text: no group,
    at most two repetitions (``\\.j2$``, ``^.*/``), so no nested or long chain of repetitions."""
    return "(" not in pattern and sum(pattern.count(char) for char in "*+{?") <= 2 and len(pattern) <= 200


def _subelements(elements: list[Any], key: Any, scope: Scope, depth: int) -> Any:
    """The ``subelements`` lookup and filter: ``[element, subelement]`` for each item of each element's list
    ``key``."""
    found: list[Any] = []
    for element in elements:
        element = resolve(element, scope, depth + 1)
        subs = resolve(element.get(key), scope, depth + 1) if isinstance(element, dict) else None
        if not isinstance(subs, list):
            return Unknown(f"an element has no list `{key}` to loop over")
        found += [[element, sub] for sub in subs]
    return found


def _lookup(kind: str, args: list[str], scope: Scope, depth: int) -> Any:
    """``lookup('dict', x)``, ``query('subelements', x, 'key')``, ``lookup('fileglob', 'pattern')`` and the
    ``items``/``list`` lookups; other lookups (a file's contents, the environment) are not followed."""
    if not args:
        return Unknown("a lookup with no plugin named")
    plugin = _primary(args[0], scope, depth)
    terms = [_primary(arg, scope, depth) for arg in args[1:] if "=" not in arg.split("(")[0]]
    if any(isinstance(term, (Unknown, Undefined)) for term in terms):
        return next(term for term in terms if isinstance(term, (Unknown, Undefined)))
    name = plugin.rsplit(".", 1)[-1] if isinstance(plugin, str) else ""
    if name == "dict" and len(terms) == 1 and isinstance(terms[0], dict):
        return [{"key": key, "value": value} for key, value in terms[0].items()]
    if name == "subelements" and len(terms) >= 2 and isinstance(terms[0], list):
        return _subelements(terms[0], terms[1], scope, depth)
    if name == "fileglob" and all(isinstance(term, str) for term in terms):
        return [found for term in terms for found in fileglob(scope, term)]
    if name in ("items", "list"):
        return [item for term in terms for item in (term if isinstance(term, list) and name == "items" else [term])]
    return Unknown(f"the lookup `{_short(kind + '(' + ', '.join(args) + ')')}` is not followed")


def fileglob(scope: Scope, pattern: str) -> list[str]:
    """The repository files a ``fileglob`` pattern names, as the lookup finds a relative one: below the role's
    ``files/`` folder, then the role's own folder (ansible/plugins/lookup/fileglob.py: ``find_file_in_search_path(
    variables, 'files', dirname(term))``); an absolute one is a path of the controller, not of the repository."""
    if scope.ws is None or pattern.startswith("/") or "{{" in pattern:
        return []
    folder, name = posixpath.split(pattern)
    for base in (posixpath.join(scope.base, "files"), scope.base):
        where = posixpath.normpath(posixpath.join(base, folder)) if folder else base
        if where.startswith("../"):
            continue
        found = [rel for rel in scope.ws.glob_files(posixpath.join(where, "*") if where not in ("", ".") else "*")
                 if fnmatch.fnmatchcase(posixpath.basename(rel), name)]
        if found:
            return found
    return []


# -- what the repository sets ------------------------------------------------------------------------------------

def _documents(ws: Workspace, rel: str) -> list[Any]:
    src = ws.file(rel)
    if src is None:
        return []
    return [doc for doc in all_documents(rel, src.text) or [] if doc is not None]


def _where(rel: str, mapping: Any, key: Any) -> str:
    try:
        pos = mapping.lc.key(key)
    except (AttributeError, KeyError):
        pos = None
    return f"{rel}:{pos[0] + 1}" if pos else rel


def _settings(rel: str, mapping: Any) -> dict[str, Setting]:
    return {key: Setting(value, _where(rel, mapping, key)) for key, value in mapping.items() if isinstance(key, str)} \
        if isinstance(mapping, dict) else {}


def vars_file(ws: Workspace, rel: str) -> dict[str, Setting]:
    """The variables a YAML (or JSON) variables file sets."""
    found: dict[str, Setting] = {}
    for doc in _documents(ws, rel):
        found.update(_settings(rel, doc))
    return found


def main_vars(ws: Workspace, folder: str) -> dict[str, Setting]:
    """A role's ``defaults/`` or ``vars/`` variables: its ``main.yml`` (``main.yaml``, ``main.json``, ``main``), or
    every file of a ``main/`` folder, merged in the order of their names (Ansible's role "main" lookup)."""
    for name in ("main.yml", "main.yaml", "main.json", "main"):
        if ws.file(f"{folder}/{name}") is not None:
            return vars_file(ws, f"{folder}/{name}")
    found: dict[str, Setting] = {}
    for rel in sorted(ws.glob_files(f"{folder}/main/**/*")):
        if rel.endswith((*_YAML, ".json")):
            found.update(vars_file(ws, rel))
    return found


@dataclass
class _Inventory:
    """The inventory variables of one folder holding ``group_vars``/``host_vars`` (an inventory's or a playbook's)
    or an inventory file (INI, YAML): its ``all`` group, its other groups, its hosts, what its inventory files'
    group vars set (below ``group_vars/all``: Ansible's precedence; their ``all`` group's for every host)."""

    all: dict[str, Setting] = field(default_factory=dict)
    groups: dict[str, dict[str, Setting]] = field(default_factory=dict)
    hosts: list[dict[str, Setting]] = field(default_factory=list)
    ini_groups: list[dict[str, Setting]] = field(default_factory=list)
    file_all: dict[str, Setting] = field(default_factory=dict)  # an inventory file's `all` group vars

    def names(self) -> Iterator[str]:
        for settings in [self.all, self.file_all, *self.groups.values(), *self.hosts, *self.ini_groups]:
            yield from settings


def _tree_glob(ws: Workspace, pattern: str) -> list[str]:
    """The walked files (repo paths, sorted) the glob ``pattern`` matches (:meth:`Path.glob`'s ``**``, ``*``,
    ``?``): Ansible's inventories, playbooks and role metadata are looked for across the whole tree, and twenty such
    globs asked of the file system were 0.26 s of the Django bench tree's warm run, each asked again by every replay
    (:func:`hueylint.workspace.probe`).  Answered from the walk instead (its digest already covers these files;
    a run of named paths judged in context adds the repository's other files, :meth:`Workspace.unwalked`), with one
    regular expression matched against the paths that hold the pattern's longest literal part (:func:`_literal`:
    one ``re.M`` search over all the paths backtracked through every folder of every line, 7 ms a glob on the
    Django bench tree's 9,200 paths); a folder the configuration excludes is not looked in."""
    def matches() -> list[str]:
        paths: tuple[str, ...] = ws.memo(("walked-paths",), lambda: tuple(sorted({*ws.walked, *ws.unwalked()})))
        return glob_matches(pattern, paths)
    return ws.memo(("tree-glob", pattern), matches)


def glob_matches(pattern: str, paths: Iterable[str]) -> list[str]:
    """The ``paths`` (repo paths, in their order) the glob ``pattern`` matches as :meth:`Path.glob` matches files:
    ``**`` any folders (none too), ``*`` and ``?`` within a name."""
    literal = _literal(pattern)
    whole = re.compile(_glob_regex(pattern))
    return [path for path in paths if literal in path and whole.fullmatch(path)]


def _literal(pattern: str) -> str:
    """The longest part of a glob ``pattern`` that every path it matches holds as it is written (``**/meta/main.yml``:
    ``meta/main.yml``; ``**/*.yml``: ``.yml``): the text between wildcards, without the slashes around it, which a
    ``**/`` matching no folder leaves out."""
    return max((part.strip("/") for part in re.split(r"[*?]", pattern)), key=len)


def _glob_regex(pattern: str) -> str:
    """``pattern`` as a regular expression of a whole repo path: ``**`` any folders (none too), ``*`` and ``?`` within
    a name."""
    parts: list[str] = []
    for part in pattern.split("/"):
        if part == "**":
            parts.append("(?:[^/]+/)*")
        else:
            parts.append("".join("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char)
                                 for char in part) + "/")
    return "".join(parts).removesuffix("/")


def _inventories(ws: Workspace) -> list[_Inventory]:
    """The repository's inventories, one per folder: which of them a run uses (``-i``) is not in the repository, so
    each is a choice."""
    def read() -> list[_Inventory]:
        roots: dict[str, _Inventory] = {}
        for kind in ("group_vars", "host_vars"):
            for rel in _tree_glob(ws, f"**/{kind}/*") + _tree_glob(ws, f"**/{kind}/*/**/*"):
                parts = rel.split("/")
                at = last_folder(parts, (kind,))
                if not rel.endswith((*_YAML, ".json")) and "." in parts[-1]:
                    continue
                owner = parts[at + 1] if len(parts) - at > 2 else posixpath.splitext(parts[at + 1])[0]
                inventory = roots.setdefault("/".join(parts[:at]), _Inventory())
                if kind == "host_vars":
                    inventory.hosts.append(vars_file(ws, rel))
                elif owner == "all":
                    inventory.all.update(vars_file(ws, rel))
                else:
                    inventory.groups.setdefault(owner, {}).update(vars_file(ws, rel))
        for rel, group, settings in [*_ini_inventories(ws), *_yaml_inventories(ws)]:
            inventory = roots.setdefault(posixpath.dirname(rel), _Inventory())
            if group is None:
                inventory.hosts.append(settings)
            elif group == "all":
                inventory.file_all.update(settings)
            else:
                inventory.ini_groups.append(settings)
        return [roots[root] for root in sorted(roots)]
    return ws.memo(("ansible-inventory",), read)


#: an INI inventory's section (``[workers]``, ``[workers:vars]``) and a host line's ``key=value`` words
_SECTION = lazy_pattern(r"^\[([^\]:]+)(?::(\w+))?\]\s*$")


def _ini_inventories(ws: Workspace) -> Iterator[tuple[str, str | None, dict[str, Setting]]]:
    """What INI inventory files set: ``(file, group, variables)`` for each ``[group:vars]`` section, ``(file, None,
    variables)`` for each host line's ``key=value`` words (Ansible's INI inventory format)."""
    names = ("hosts", "inventory", "hosts.ini", "inventory.ini")
    for rel in sorted({rel for name in names for rel in _tree_glob(ws, f"**/{name}")} |
                      set(_tree_glob(ws, "**/inventor*/*.ini"))):
        src = ws.file(rel)
        if src is None or "=" not in src.text:
            continue
        group, kind = "ungrouped", None
        for number, line in enumerate(src.lines, 1):
            stripped = line.strip()
            if not stripped or stripped.startswith((";", "#")):
                continue
            section = _SECTION.match(stripped)
            if section is not None:
                group, kind = section.group(1), section.group(2)
                continue
            if kind == "vars" and "=" in stripped:
                key, value = stripped.split("=", 1)
                yield rel, group, {key.strip(): Setting(_ini_value(value), f"{rel}:{number}")}
            elif kind is None:
                pairs = {key: Setting(_ini_value(value), f"{rel}:{number}")
                         for key, value in _INLINE_ARG.findall(stripped.split(None, 1)[1] if " " in stripped else "")}
                if pairs:
                    yield rel, None, pairs


#: the keys of a group in a YAML inventory (Ansible's ``yaml`` inventory plugin)
_GROUP_KEYS = {"hosts", "children", "vars"}


def _yaml_inventories(ws: Workspace) -> Iterator[tuple[str, str | None, dict[str, Setting]]]:
    """What YAML inventory files set (the ``yaml`` inventory plugin: ``all:`` and other groups, each with
    ``hosts:``, ``children:``, ``vars:``): ``(file, group, variables)`` for a group's ``vars:``, ``(file, None,
    variables)`` for a host's own.  A file is one whose name says inventory (``hosts.yml``, ``inventory.yml``, a
    file of an ``inventory``/``inventories`` folder) and whose every top-level value is such a group."""
    names = [f"**/{name}.{ext}" for name in ("hosts", "inventory") for ext in ("yml", "yaml")]
    folders = [f"**/{folder}/**/*.{ext}" for folder in ("inventory", "inventories") for ext in ("yml", "yaml")]
    for rel in sorted({rel for pattern in names + folders for rel in _tree_glob(ws, pattern)}):
        if "/group_vars/" in f"/{rel}" or "/host_vars/" in f"/{rel}":
            continue
        for doc in _documents(ws, rel):
            if not isinstance(doc, dict) or not doc or not all(
                    isinstance(group, dict) and group and set(group) <= _GROUP_KEYS for group in doc.values()):
                continue
            yield from _yaml_groups(rel, doc, 0)


def _yaml_groups(rel: str, groups: Any, depth: int) -> Iterator[tuple[str, str | None, dict[str, Setting]]]:
    for name, group in groups.items() if isinstance(groups, dict) and depth < 20 else []:
        if not isinstance(group, dict):
            continue
        if isinstance(group.get("vars"), dict):
            yield rel, str(name), _settings(rel, group["vars"])
        hosts = group.get("hosts")
        for host in hosts.values() if isinstance(hosts, dict) else []:
            if isinstance(host, dict) and host:
                yield rel, None, _settings(rel, host)
        yield from _yaml_groups(rel, group.get("children"), depth + 1)


def _ini_value(value: str) -> Any:
    value = value.strip()
    if value[:1] in ("\"", "'") and value.endswith(value[0]) and len(value) > 1:
        return value[1:-1]
    return int(value) if _NUMBER.match(value) and "." not in value else value


@dataclass
class _Play:
    """One play applying a role (or holding the task): its variables, the role's params there, its hosts."""

    vars: list[dict[str, Setting]]  # play vars, then each vars_files choice's (later wins)
    params: dict[str, Setting]
    hosts: str
    tasks: list[Any]
    rel: str
    unread: list[str] = field(default_factory=list)  # what of its vars_files was not read (said)
    mapping: Any = None  # the play itself (None for a role dependency's entry): its tasks' order is read from it


def _tasks(tasks: Any, block_vars: dict[str, Setting], rel: str) -> Iterator[tuple[Any, dict[str, Setting]]]:
    """Each task of a task list, with the variables of the blocks around it (block vars, below task vars)."""
    if not isinstance(tasks, list):
        return
    for task in tasks:
        if not isinstance(task, dict):
            continue
        if any(key in task for key in _BLOCK_LISTS):
            inner = {**block_vars, **_settings(rel, task.get("vars"))}
            for key in _BLOCK_LISTS:
                yield from _tasks(task.get(key), inner, rel)
            continue
        yield task, block_vars


def _plays(ws: Workspace) -> list[tuple[str, Any]]:
    """Every play of the repository's playbooks (YAML files whose documents are lists of mappings with
    ``hosts:``), with its file; not a role's own test plays (``roles/x/tests/test.yml`` of ``ansible-galaxy role
    init``'s skeleton, Molecule's ``molecule/default/converge.yml``), which no deployment runs."""
    def read() -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for rel in sorted(set(_tree_glob(ws, "**/*.yml") + _tree_glob(ws, "**/*.yaml"))):
            path = f"/{rel}"
            if "/molecule/" in path or "/roles/" in path and ("/tasks/" in path or "/tests/" in path) or \
                    _PLAY_HOSTS.search((ws.file(rel) or _EMPTY).text) is None:
                continue
            for doc in _documents(ws, rel):
                if isinstance(doc, list):
                    found += [(rel, play) for play in doc if isinstance(play, dict) and "hosts" in play]
        return found
    return ws.memo(("ansible-plays",), read)


#: a play's ``hosts:`` key, a key of an item of a document's top-level list (``- hosts: all``, ``  hosts: web`` under
#: ``- name: ...``), not a ``hosts:`` deeper in another file (a Kubernetes Ingress's ``tls: - hosts:``)
_PLAY_HOSTS = lazy_pattern(r"^ {0,2}(?:- +)?hosts[ \t]*:", re.M)


class _Empty:
    text = ""


_EMPTY = _Empty()


def _play_vars(ws: Workspace, rel: str, play: Any) -> tuple[list[dict[str, Setting]], list[str]]:
    """A play's ``vars:`` and then its ``vars_files`` (relative to the playbook), and the ``vars_files`` not read: a
    templated name is read with the play's ``vars:`` and ``playbook_dir`` (Ansible's magic variable: the playbook's
    folder); one still not known is every file its pattern matches (each a choice) when only its file name holds a
    placeholder beside text of its own (``config.{{ env }}.yml``), else not read (an extra var's folder, a whole
    name: ``{{ vault }}``), and said."""
    found = [_settings(rel, play.get("vars"))]
    unread: list[str] = []
    folder = posixpath.dirname(rel)
    scope = Scope({**{name: [setting] for name, setting in found[0].items()},
                   "playbook_dir": [Setting(folder or ".", "the playbook's folder")]})
    files = play.get("vars_files")
    for entry in files if isinstance(files, list) else []:
        choices = entry if isinstance(entry, list) else [entry]
        for choice in choices:
            if not isinstance(choice, str):
                continue
            named = render(choice, scope)[0] if "{{" in choice else choice  # (what is known filled in)
            path = posixpath.normpath(named if folder and named.startswith(f"{folder}/") else posixpath.join(folder, named))
            if "{{" not in named:
                if ws.file(path) is not None:
                    found.append(vars_file(ws, path))
                else:  # (a path of the controller, outside the repository)
                    unread.append(f"the play at {_where(rel, play, 'vars_files')} reads `vars_files: {_short(choice)}`, "
                                  "a file not in the repository: a variable it sets is not seen")
                continue
            head, name = posixpath.split(path)
            if "{{" in head or not re.sub(r"\{\{.*?\}\}", "", name).strip(". "):
                unread.append(f"the play at {_where(rel, play, 'vars_files')} reads `vars_files: {_short(choice)}`, "
                              "a file not known here: a variable it sets is not seen")
                continue
            found += [vars_file(ws, match) for match in ws.glob_files(f"{head}/{re.sub(r'{{.*?}}', '*', name)}"
                                                                      if head else re.sub(r"{{.*?}}", "*", name))]
    return found, unread


def _applications(ws: Workspace, role: str) -> list[_Play]:
    """The plays applying the role named ``role`` (``roles:`` entries, ``include_role``/``import_role`` tasks),
    with the role params each gives (an entry's other keys and its ``vars:``; an include's ``vars:``)."""
    found: list[_Play] = []
    for rel, play in _plays(ws):
        params = _role_entries(rel, play.get("roles"), role)
        for key in _TASK_LISTS:
            for task, _ in _tasks(play.get(key), {}, rel):
                include = next((task[name] for name in _INCLUDE_ROLE if name in task), None)
                named = include.get("name") if isinstance(include, dict) else None
                if isinstance(named, str) and posixpath.basename(named.rstrip("/")) == role:
                    params.append(_settings(rel, task.get("vars")))
        tasks = [task for key in _TASK_LISTS for task, _ in _tasks(play.get(key), {}, rel)]
        for given in params:
            layers, unread = _play_vars(ws, rel, play)
            found.append(_Play(layers, given, str(play.get("hosts")), tasks, rel, unread, play))
    # another role's `meta/main.yml` `dependencies:` (Ansible's "Using role dependencies"): the role runs with the
    # params given there, wherever that role runs (its plays' variables are not followed)
    for rel in _tree_glob(ws, "**/meta/main.yml") + _tree_glob(ws, "**/meta/main.yaml"):
        for doc in _documents(ws, rel):
            if isinstance(doc, dict):
                found += [_Play([{}], given, "", [], rel) for given in _role_entries(rel, doc.get("dependencies"), role)]
    return found


def _role_entries(rel: str, roles: Any, role: str) -> list[dict[str, Setting]]:
    """The role params of each entry naming ``role`` in a ``roles:`` (or ``dependencies:``) list: an entry's keys
    other than keywords, and its ``vars:``."""
    params: list[dict[str, Setting]] = []
    for entry in roles if isinstance(roles, list) else []:
        named = entry if isinstance(entry, str) else entry.get("role", entry.get("name")) \
            if isinstance(entry, dict) else None
        if isinstance(named, str) and posixpath.basename(named.rstrip("/")) == role:
            given = {key: Setting(value, _where(rel, entry, key)) for key, value in entry.items()
                     if key not in _ROLE_KEYWORDS} if isinstance(entry, dict) else {}
            given.update(_settings(rel, entry.get("vars")) if isinstance(entry, dict) else {})
            params.append(given)
    return params


@dataclass
class _RoleFacts:
    """What a task list sets beyond variables files: ``include_vars`` files (each a choice) and ``set_fact`` /
    ``register`` (a registered result is known on the host only)."""

    include_vars: dict[str, list[Setting]] = field(default_factory=dict)
    facts: dict[str, list[Setting]] = field(default_factory=dict)
    conditional: set[str] = field(default_factory=set)  # set by a task with `when:`: the lower value may stay
    notes: list[str] = field(default_factory=list)  # the include_vars files not read, said


#: the modules that run another task file's tasks in place (Ansible's "Re-using files and roles")
_INCLUDE_TASKS = {f"{prefix}{name}" for name in ("include_tasks", "import_tasks", "include")
                  for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
#: how deep task files and roles including each other are followed in a play's order
_MAX_NESTING = 16


def _line(task: Any) -> int | None:
    start = getattr(getattr(task, "lc", None), "line", None)
    return start + 1 if isinstance(start, int) else None


def _set_before(ws: Workspace, base: str, play: _Play | None, plays: list[_Play | None],
                at: tuple[str, int] | None) -> list[tuple[str, Any]] | None:
    """The tasks whose ``set_fact``, ``include_vars`` and ``register`` the installing task at ``at`` sees for
    ``play``: the tasks Ansible runs before it on the play's hosts (:func:`_run_order`; the role's own order when
    no play applies it), and, as before this order was read, every task of the other plays applying the role
    (whether those plays run first, and on the same hosts, is not known here).  None when the task is not found in
    that order (a task file reached by a templated include, ``tasks_from`` not followed, a role dependency): then
    every task of the role and its plays applies, as for a template no task names."""
    if at is None:
        return None
    if play is not None and play.mapping is not None:
        order = _run_order(ws, play.rel, play.mapping)
    elif play is None and base:
        order = ws.memo(("ansible-role-order", base), lambda: _role_order(ws, base, "main", 0, ()))
    else:
        return None
    index = next((index for index, (rel, task) in enumerate(order) if (rel, _line(task)) == at), None)
    if index is None:
        return None
    others = [(other.rel, task) for other in plays if other is not None and other.mapping is not None
              and other.mapping is not (play.mapping if play is not None else None) for task in other.tasks]
    return [*order[:index], *others]


def _run_order(ws: Workspace, rel: str, play: Any) -> list[tuple[str, Any]]:
    """The tasks of the play ``play`` (of the playbook ``rel``) in the order Ansible runs them on a host: its
    ``pre_tasks``, the roles of its ``roles:`` (each role's ``meta/main.yml`` dependencies first, then its
    ``tasks/main.yml``), its ``tasks``, its ``post_tasks``; ``include_tasks``/``import_tasks`` files and
    ``include_role``/``import_role`` roles in place; ``handlers`` last (a handler runs when notified, at the end of
    a section: read here as after every task of the play).  A task file or role whose name is templated is not
    followed (its tasks are not in the order)."""
    def read() -> list[tuple[str, Any]]:
        order: list[tuple[str, Any]] = []
        folder = posixpath.dirname(rel)
        order += _ordered(ws, rel, play.get("pre_tasks"), "", folder, 0, ())
        for entry in play.get("roles") if isinstance(play.get("roles"), list) else []:
            named = entry if isinstance(entry, str) else entry.get("role", entry.get("name")) \
                if isinstance(entry, dict) else None
            role = _role_base(ws, folder, named) if isinstance(named, str) else None
            if role is not None:
                order += _role_order(ws, role, "main", 0, ())
        for key in ("tasks", "post_tasks", "handlers"):
            order += _ordered(ws, rel, play.get(key), "", folder, 0, ())
        return order
    return ws.memo(("ansible-run-order", rel, str(_line(play))), read)


def _role_base(ws: Workspace, folder: str, name: str) -> str | None:
    """The folder of the role ``name`` a playbook of ``folder`` (or a role's task) names: ``roles/<name>`` beside
    the playbook, a path from the playbook's folder, else the one role of that name in the repository."""
    if "{{" in name:
        return None
    for candidate in (posixpath.join(folder, "roles", name), posixpath.join(folder, name)):
        candidate = posixpath.normpath(candidate)
        if not candidate.startswith("../") and ws.glob_files(f"{candidate}/tasks/*"):
            return "" if candidate == "." else candidate
    found = sorted({rel.rsplit("/tasks/", 1)[0] for rel in _tree_glob(
        ws, f"**/roles/{posixpath.basename(name.rstrip('/'))}/tasks/*")})
    return found[0] if len(found) == 1 else None


def _role_order(ws: Workspace, base: str, tasks_from: str, depth: int,
                seen: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The tasks of the role ``base`` in the order they run: its dependencies' (``meta/main.yml``), then its
    ``tasks/<tasks_from>.yml``, includes in place."""
    if depth > _MAX_NESTING or base in seen:
        return []
    order: list[tuple[str, Any]] = []
    for meta in (f"{base}/meta/main.yml", f"{base}/meta/main.yaml"):
        for doc in _documents(ws, meta):
            entries = doc.get("dependencies") if isinstance(doc, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                named = entry if isinstance(entry, str) else entry.get("role", entry.get("name")) \
                    if isinstance(entry, dict) else None
                role = _role_base(ws, posixpath.dirname(base), named) if isinstance(named, str) else None
                if role is not None:
                    order += _role_order(ws, role, "main", depth + 1, (*seen, base))
    name = tasks_from if tasks_from.endswith(_YAML) else None
    for path in ([f"{base}/tasks/{name}"] if name else [f"{base}/tasks/{tasks_from}.{ext}" for ext in ("yml", "yaml")]):
        for doc in _documents(ws, path):
            order += _ordered(ws, path, doc, base, posixpath.dirname(path), depth + 1, (*seen, base))
    return order


def _ordered(ws: Workspace, rel: str, tasks: Any, base: str, folder: str, depth: int,
             seen: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The tasks of the list ``tasks`` (of the file ``rel``, in the role ``base`` or a playbook's ``folder``) in the
    order they run, each task file and role it includes in place."""
    order: list[tuple[str, Any]] = []
    if depth > _MAX_NESTING:
        return order
    for task, _ in _tasks(tasks, {}, rel):
        order.append((rel, task))
        included = next((task[name] for name in _INCLUDE_TASKS if name in task), None)
        if isinstance(included, dict):
            included = included.get("file")
        if isinstance(included, str) and "{{" not in included:
            for where in ([posixpath.join(base, "tasks")] if base else []) + [posixpath.dirname(rel), folder]:
                path = posixpath.normpath(posixpath.join(where, included))
                if ws.file(path) is not None:
                    order += [pair for doc in _documents(ws, path)
                              for pair in _ordered(ws, path, doc, base, folder, depth + 1, seen)]
                    break
        role = next((task[name] for name in _INCLUDE_ROLE if name in task), None)
        named = role.get("name") if isinstance(role, dict) else None
        if isinstance(role, dict) and isinstance(named, str):
            found = _role_base(ws, folder, named)
            if found is not None:
                tasks_from = role.get("tasks_from")
                order += _role_order(ws, found, tasks_from if isinstance(tasks_from, str) else "main", depth + 1,
                                     seen)
    return order


def _task_facts(ws: Workspace, base: str, tasks: list[tuple[str, Any]]) -> _RoleFacts:
    facts = _RoleFacts()
    for rel, task in tasks:
        included = next((task[name] for name in _INCLUDE_VARS if name in task), None)
        if isinstance(included, dict):
            included = included.get("file")
        if isinstance(included, str):
            paths = _include_vars_files(ws, base, rel, included)
            if not paths:
                facts.notes.append(f"the task at {_where(rel, task, 'include_vars')} includes `{_short(included)}`, a file "
                                   "not known here: a variable it sets is not seen")
            for path in paths:
                for name, setting in vars_file(ws, path).items():
                    facts.include_vars.setdefault(name, []).append(setting)
        fact = next((task[name] for name in _SET_FACT if name in task), None)
        for name, value in (fact.items() if isinstance(fact, dict) else []):
            if name != "cacheable" and not _same_again(name, value):
                facts.facts.setdefault(name, []).append(Setting(value, _where(rel, fact, name)))
                if "when" in task:
                    facts.conditional.add(name)
        registered = task.get("register")
        if isinstance(registered, str):
            facts.facts.setdefault(registered, []).append(
                Setting(Unknown(f"`{registered}` is registered by the task at {_where(rel, task, 'register')}, "
                                "a result known on the host only"), _where(rel, task, "register")))
    return facts


def _same_again(name: str, value: Any) -> bool:
    """``set_fact: {x: "{{ x }}"}``: a fact set to the value the variable has when the task runs (set_fact renders
    its arguments first, with the variables as they are then), which changes nothing (a play does it to make an
    extra var a host fact: "To be available for become_user").  Such a setting is no setting here: read as a
    candidate, it named itself."""
    return isinstance(value, str) and re.fullmatch(rf"\{{\{{-?\s*{re.escape(name)}\s*-?\}}\}}", value.strip()) is not None


def _include_vars_files(ws: Workspace, base: str, rel: str, name: str) -> list[str]:
    """The files an ``include_vars`` names: relative to the role's ``vars/`` folder, then the task file's folder
    (Ansible's task paths); a templated name is every file its pattern matches when the placeholder is inside a file
    name with text of its own (``{{ ansible_os_family }}.yml``), none otherwise."""
    for folder in (posixpath.join(base, "vars"), posixpath.dirname(rel), base):
        path = posixpath.normpath(posixpath.join(folder, name))
        if "{{" in name:
            head, last = posixpath.split(path)
            if "{{" in head or not re.sub(r"\{\{.*?\}\}", "", last).strip(". "):
                return []
            matches = ws.glob_files(re.sub(r"\{\{.*?\}\}", "*", path))
            if matches:
                return matches
        elif ws.file(path) is not None:
            return [path]
    return []


def _candidates(name: str, play: _Play | None, task_vars: dict[str, Setting], role_vars: dict[str, Setting],
                defaults: dict[str, Setting], facts: _RoleFacts, inventories: list[_Inventory]) -> list[Setting]:
    """The settings of ``name`` that may apply for one play, highest precedence first that sets it."""
    lower: list[Setting] = []
    if play is not None and name in play.params:
        return [play.params[name]]
    if name in facts.facts:
        found = facts.facts[name]
        if name not in facts.conditional:
            return found
        lower = found
    if name in facts.include_vars:
        return lower + facts.include_vars[name]
    if name in task_vars:
        return lower + [task_vars[name]]
    if name in role_vars:
        return lower + [role_vars[name]]
    if play is not None:
        chosen = [settings[name] for settings in play.vars[1:] if name in settings]
        if chosen:
            return lower + chosen
        if name in play.vars[0]:
            return lower + [play.vars[0][name]]
    if not inventories:
        return lower + ([defaults[name]] if name in defaults else [])
    found = list(lower)
    for inventory in inventories:
        hosts = [settings[name] for settings in inventory.hosts if name in settings]
        groups = {group: settings[name] for group, settings in inventory.groups.items() if name in settings}
        # a host in no group that sets it: group_vars/all, else an INI group's vars (for its hosts) or the default
        below = [inventory.all[name]] if name in inventory.all else [
            settings[name] for settings in inventory.ini_groups if name in settings] + (
            [inventory.file_all[name]] if name in inventory.file_all else [defaults[name]] if name in defaults else [])
        if play is not None and play.hosts in groups and not hosts:
            below = []  # every host of the play is in the group that sets it
        found += [setting for setting in [*hosts, *groups.values(), *below] if setting not in found]
    return found


def role_scopes(ws: Workspace, base: str, holder: tuple[str, Any] | None,
                task_vars: dict[str, Setting], at: tuple[str, int] | None = None) -> list[Scope]:
    """The variables a task of the role (or playbook folder) ``base`` sees, ``task_vars`` its own (and its
    blocks'): one scope for each play applying the role (each runs it on its own hosts with its own ``vars:`` and
    role params: an instance of its own), or for ``holder``, the play (playbook, mapping) holding the task.
    ``at``: the task (file, 1-based line), whose play's ``set_fact``/``include_vars``/``register`` tasks apply only
    when they run before it (:func:`_set_before`); None for a template no task names (every one of them applies)."""
    role = posixpath.basename(base)
    defaults = main_vars(ws, f"{base}/defaults") if base else {}
    role_vars = main_vars(ws, f"{base}/vars") if base else {}
    inventories = _inventories(ws)
    if holder is None:
        plays: list[_Play | None] = list(_applications(ws, role)) or [None]
        tasks = [(rel, task) for rel in _role_task_files(ws, base) for doc in _documents(ws, rel)
                 for task, _ in _tasks(doc, {}, rel)]
    else:
        rel, play = holder
        layers, unread = _play_vars(ws, rel, play)
        plays = [_Play(layers, {}, str(play.get("hosts")),
                       [task for key in _TASK_LISTS for task, _ in _tasks(play.get(key), {}, rel)], rel, unread, play)]
        tasks = []
    every = [*tasks, *((play.rel, task) for play in plays if play is not None for task in play.tasks)]
    names = {*defaults, *role_vars, *task_vars, *(name for inventory in inventories for name in inventory.names())}
    scopes: list[Scope] = []
    for play in plays:
        before = _set_before(ws, base, play, plays, at)
        facts = _task_facts(ws, base, every if before is None else before)
        names |= {*facts.facts, *facts.include_vars}
        candidates: dict[str, list[Setting]] = {}
        for name in names | ({name for settings in [*play.vars, play.params] for name in settings} if play else set()):
            found = _candidates(name, play, task_vars, role_vars, defaults, facts, inventories)
            if found:
                candidates[name] = found
        candidates.setdefault("role_path", [Setting(base, "the role's folder")])
        candidates.setdefault("role_name", [Setting(role, "the role's name")])
        scopes.append(Scope(candidates, base=base, ws=ws,
                            notes=[*(play.unread if play is not None else []), *facts.notes]))
    return scopes


def _role_task_files(ws: Workspace, base: str) -> list[str]:
    return sorted(rel for ext in ("yml", "yaml") for rel in ws.glob_files(f"{base}/tasks/**/*.{ext}")) if base else []


# -- the tasks that install a template ---------------------------------------------------------------------------

@dataclass
class Rendering:
    """A template as one task installs it (one loop item): the destination (rendered; None when not known), the
    template's text with every placeholder whose value is known filled in, and what was not followed (for a
    notice).  ``task``: where the task is (``path:line``), empty for a role template no task names."""

    dest: str | None
    text: str
    unfollowed: list[str]
    task: str = ""
    origin: str = ""  # what filled the placeholders, for ``inspect`` (``huey_stop_timeout=5 (defaults/main.yml:1)``)


def template_origin(task: str) -> str:
    """What rendered a role's template, as a notice names it: the task at ``task`` (``path:line``) installing it,
    else (no task names it) the role's variables."""
    return f"the template as the task at {task} installs it" if task else "the role's variables"


def say_unfollowed(ws: Workspace, rel: str, rendering: Rendering, what: str) -> None:
    """A notice at ``rel`` for each thing ``rendering`` did not follow, naming ``what`` rendered it
    (:func:`template_origin`, or the task writing a unit inline)."""
    for why in rendering.unfollowed:
        ws.say(Notice(rel, f"{why} (Ansible: {what})"))


def is_role(ws: Workspace, base: str) -> bool:
    """A role's folder: one below ``roles/``, or one with ``tasks/``, ``defaults/``, ``vars/`` or ``meta/``
    (Ansible's role directory structure)."""
    return bool(base) and posixpath.basename(posixpath.dirname(base)) == "roles" or any(
        ws.glob_files(f"{base}/{folder}/*" if base else f"{folder}/*") for folder in ("tasks", "defaults", "vars", "meta"))


def renderings(ws: Workspace, rel: str, text_in: str) -> list[Rendering] | None:
    """The template ``rel`` (text ``text_in``) as each task installing it renders it, one per loop item (a
    ``copy`` task installs the text as it is); a role's template no task names is rendered once with the
    role's variables.  None when ``rel`` is no Ansible role's or playbook's template."""
    base = template_base(rel)
    if base is None:
        return None
    parts = rel.split("/")
    below = "/".join(parts[len(base.split("/")) + 1 if base else 1:])
    names = tuple(dict.fromkeys((below, parts[-1])))
    found: list[Rendering] = []
    pending: list[str] = []  # loops not followed of tasks whose source may be this template
    for task_rel, holder, task, block_vars in _install_tasks(ws, base):
        module = next(name for name in _INSTALL_MODULES if name in task)
        args = _module_args(task[module])
        if "src" not in args or "dest" not in args:
            continue
        raw = args["src"]
        if not isinstance(raw, str) or "{{" not in raw and not (raw == rel or any(
                raw == name or raw.endswith(f"/{name}") for name in names)):
            continue  # (another template's task: its variables are not read for this one)
        where = _where(task_rel, task, module)
        line = _line(task)
        scopes = role_scopes(ws, base, holder, {**block_vars, **_settings(task_rel, task.get("vars"))},
                             (task_rel, line) if line is not None else None)
        for item_scope, why in (pair for scope in scopes for pair in _loop_scopes(task, scope, task_rel)):
            source = resolve(args["src"], item_scope)
            if why and not isinstance(source, str):
                pending.append(why)
            if not isinstance(source, str) or not (source == rel or any(
                    source == name or source.endswith(f"/{name}") for name in names)):
                continue
            dest = resolve(args["dest"], item_scope)
            dest_text = dest if isinstance(dest, str) and "{{" not in dest else None
            if dest_text is not None and dest_text.endswith("/"):
                dest_text += posixpath.basename(source)
            if _INSTALL_MODULES[module] == "copy":
                found.append(Rendering(dest_text, text_in, [why] if why else [], where))
                continue
            rendered, unfollowed = render(text_in, item_scope)
            notes = item_scope.notes if "{{" in text_in else []  # (a template with no placeholder: nothing unseen)
            found.append(Rendering(dest_text, rendered, ([why] if why else []) + unfollowed + notes,
                                   where, origin(item_scope, where)))
    if not found and is_role(ws, base) and parts[len(base.split("/")) if base else 0] == "templates":
        for scope in role_scopes(ws, base, None, {}):
            rendered, unfollowed = render(text_in, scope)
            found.append(Rendering(None, rendered, pending + unfollowed + (scope.notes if "{{" in text_in else []), "",
                                   origin(scope, "")))
    return found or None


def inline_renderings(ws: Workspace, rel: str, line: int, text_in: str, dest: str) -> list[Rendering] | None:
    """A file an Ansible task writes inline (``copy:`` with ``content: |``, at line ``line`` of the task file or
    playbook ``rel``; its text ``text_in``, its ``dest`` as written) as Ansible renders the task's arguments: with
    the variables the task sees, one rendering per play applying its role (or the play holding it).  None when
    ``rel`` is no Ansible task file, or the task loops (its items are not read here)."""
    if not rel.endswith(_YAML) or "{{" not in text_in and "{{" not in dest:
        return None
    docs = _documents(ws, rel)
    plays = [play for doc in docs if isinstance(doc, list) for play in doc if isinstance(play, dict) and "hosts" in play]
    holder: tuple[str, Any] | None = None
    if plays:
        play = _at_line([(play, play) for play in plays], line)
        if play is None:
            return None
        holder, base = (rel, play), posixpath.dirname(rel)
        tasks = [pair for key in _TASK_LISTS for pair in _tasks(play.get(key), {}, rel)]
    else:
        parts = rel.split("/")
        at = last_folder(parts, ("tasks",))
        if at < 0:
            return None
        base = "/".join(parts[:at])
        tasks = [pair for doc in docs for pair in _tasks(doc, {}, rel)]
    found = _at_line([(task, (task, block_vars)) for task, block_vars in tasks], line)
    if found is None or any(key in found[0] for key in _LOOP_KEYS):
        return None
    task, block_vars = found
    where = _where(rel, task, next((name for name in _INSTALL_MODULES if name in task), "name"))
    renderings: list[Rendering] = []
    start = _line(task)
    for scope in role_scopes(ws, base, holder, {**block_vars, **_settings(rel, task.get("vars"))},
                             (rel, start) if start is not None else None):
        rendered, unfollowed = render(text_in, scope)
        named = resolve(dest, scope)
        renderings.append(Rendering(named if isinstance(named, str) and "{{" not in named else None, rendered,
                                    unfollowed + scope.notes, where, origin(scope, where)))
    return renderings


def _at_line(items: list[tuple[Any, Any]], line: int) -> Any:
    """Of mappings in the order of a file, the value paired with the last one starting at or before ``line``
    (1-based): the task or play that holds the line."""
    found = None
    for mapping, value in items:
        start = getattr(getattr(mapping, "lc", None), "line", None)
        if isinstance(start, int) and start + 1 <= line:
            found = value
    return found


def _install_tasks(ws: Workspace, base: str) -> Iterator[tuple[str, tuple[str, Any] | None, Any, dict[str, Setting]]]:
    """Each ``template``/``copy`` task below ``base``: (task file, its play (playbook, mapping) or None for a role's
    task list, the task, its blocks' variables)."""
    def read() -> list[tuple[str, tuple[str, Any] | None, Any, dict[str, Setting]]]:
        found: list[tuple[str, tuple[str, Any] | None, Any, dict[str, Setting]]] = []
        files = sorted(rel for ext in ("yml", "yaml") for rel in ws.glob_files(f"{base}/**/*.{ext}" if base else
                                                                              f"*.{ext}") + ws.glob_files(
            f"tasks/**/*.{ext}" if not base else f"{base}/tasks/**/*.{ext}"))
        for rel in dict.fromkeys(files):
            src = ws.file(rel)
            if src is None or "src" not in src.text:
                continue
            for doc in _documents(ws, rel):
                plays = [play for play in doc if isinstance(play, dict) and "hosts" in play] \
                    if isinstance(doc, list) else []
                lists: list[tuple[tuple[str, Any] | None, Any]] = [
                    ((rel, play), play.get(key)) for play in plays for key in _TASK_LISTS] if plays else [(None, doc)]
                for holder, tasks in lists:
                    for task, block_vars in _tasks(tasks, {}, rel):
                        if any(name in task for name in _INSTALL_MODULES):
                            found.append((rel, holder, task, block_vars))
        return found
    return iter(ws.memo(("ansible-install-tasks", base), read))


def _module_args(args: Any) -> dict[str, Any]:
    """A module's arguments: a mapping, or the one-line ``src=... dest=...`` form."""
    if isinstance(args, dict):
        return dict(args)
    if isinstance(args, str):
        return {key: value[1:-1] if value[:1] in ("\"", "'") else value for key, value in _INLINE_ARG.findall(args)}
    return {}


def _loop_scopes(task: Any, scope: Scope, rel: str) -> Iterator[tuple[Scope, str]]:
    """The scope of each loop item of ``task`` (itself once when it has no loop), and what of the loop was not
    followed (empty when all was)."""
    key, var = _loop_of(task)
    if key is None:
        yield scope, ""
        return
    items = _loop_items(key, task[key], scope)
    if isinstance(items, (Unknown, Undefined)):
        why = items.why if isinstance(items, Unknown) else f"`{items.name}` is set by no file of the repository"
        yield scope, f"the `{key}:` of the task at {_where(rel, task, key)} is not followed ({why}): the template is " \
            "read with its placeholders unknown"
        return
    if len(items) > MAX_ITEMS:
        yield scope, f"the `{key}:` of the task at {_where(rel, task, key)} has {len(items)} items, more than " \
            f"{MAX_ITEMS} read: the template is read with its placeholders unknown"
        return
    for item in items:
        yield scope.with_item({var: item}), ""


def _loop_of(task: Any) -> tuple[str | None, str]:
    """A task's loop key (``loop``, ``with_items`` ...; None when it has none) and the name of its item
    (``loop_control: loop_var:``, else ``item``)."""
    key = next((key for key in _LOOP_KEYS if key in task), None)
    control = task.get("loop_control")
    var = control.get("loop_var", "item") if isinstance(control, dict) else "item"
    return key, var if isinstance(var, str) else "item"


def _loop_items(key: str, value: Any, scope: Scope) -> Any:
    """The items of a task's loop, as Ansible's ``loop``/``with_<lookup>`` give them."""
    value = resolve(value, scope)
    if isinstance(value, (Unknown, Undefined)):
        return value
    if key == "with_dict":
        return [{"key": name, "value": item} for name, item in value.items()] if isinstance(value, dict) else \
            Unknown("`with_dict:` of no mapping")
    if key == "with_subelements":
        if not isinstance(value, list) or len(value) < 2:
            return Unknown("`with_subelements:` needs a list and a key")
        elements = resolve(value[0], scope)
        if isinstance(elements, (Unknown, Undefined)):
            return elements
        return _subelements(elements, value[1], scope, 0) if isinstance(elements, list) else \
            Unknown("`with_subelements:` of no list")
    terms = value if isinstance(value, list) else [value]
    terms = [resolve(term, scope) for term in terms]
    if key == "with_fileglob":
        return [found for term in terms if isinstance(term, str) for found in fileglob(scope, term)]
    if key == "with_items":  # flattened one level (the `items` lookup)
        return [item for term in terms for item in (term if isinstance(term, list) else [term])]
    return terms if isinstance(value, list) else Unknown("a loop over no list")


def task_installs(ws: Workspace, rel: str) -> list[tuple[str, str]]:
    """Every (source, destination) the Ansible task file or playbook ``rel`` installs, as written
    (:func:`hueylint.parsers.embedded.installs`), a looped task's once per item of its loop (:func:`_loop_items`,
    the items the renderings read too), the item filling ``{{ item }}``/``{{ item.key }}`` (or its ``loop_var``)
    with its filters in both; an item without the key installs nothing.  No variable but the item is read here:
    a loop over one (``loop: "{{ units }}"``) or one not followed installs its task once, as written, and so does a
    task whose source and destination name no item."""
    src = ws.file(rel)
    if src is None:
        return []
    tasks: list[Any] | None = None

    def looped(index: int, source: str, dest: str) -> list[tuple[str, str]]:
        nonlocal tasks
        if "{{" not in source and "{{" not in dest:
            return [(source, dest)]
        if tasks is None:
            tasks = sorted(_file_tasks(ws, rel), key=lambda task: _line(task) or 0)
        task = _at_line([(task, task) for task in tasks], index + 1)
        key, var = _loop_of(task) if task is not None else (None, "item")
        if key is None or not any(re.search(rf"\{{\{{[^}}]*\b{re.escape(var)}\b", written)
                                  for written in (source, dest)):
            return [(source, dest)]
        scope = Scope({}, base=_task_base(rel), ws=ws)
        items = _loop_items(key, task[key], scope)
        if isinstance(items, (Unknown, Undefined)) or len(items) > MAX_ITEMS:
            return [(source, dest)]
        found: list[tuple[str, str]] = []
        for item in items:
            item_scope = scope.with_item({var: item})
            pair = _fill(source, item_scope, var), _fill(dest, item_scope, var)
            if pair[0] is not None and pair[1] is not None:
                found.append((pair[0], pair[1]))
        return found
    return installs(src.lines, looped)


def _file_tasks(ws: Workspace, rel: str) -> list[Any]:
    """Every task of a task file or playbook (a play's task lists', blocks' tasks), in no particular order."""
    found: list[Any] = []
    for doc in _documents(ws, rel):
        plays = [play for play in doc if isinstance(play, dict) and "hosts" in play] if isinstance(doc, list) else []
        for tasks in [play.get(key) for play in plays for key in _TASK_LISTS] if plays else [doc]:
            found += [task for task, _ in _tasks(tasks, {}, rel)]
    return found


def _task_base(rel: str) -> str:
    """The role holding the task file ``rel`` (the folder above its ``tasks/``), else the playbook's folder."""
    parts = rel.split("/")
    at = last_folder(parts, ("tasks",))
    return "/".join(parts[:at]) if at >= 0 else posixpath.dirname(rel)


def _fill(written: str, scope: Scope, var: str) -> str | None:
    """``written`` with each placeholder whose value is known here filled in (the others as written); None when one
    names an attribute the loop's item ``var`` does not have."""
    missing = False

    def fill(span: str, start: int, end: int) -> str:
        nonlocal missing
        if "\n" in span:
            return span
        value = evaluate(span[2:-2], scope)
        if isinstance(value, Undefined) and re.split(r"[.\[]", value.name, maxsplit=1)[0] == var:
            missing = True
        if isinstance(value, (Unknown, Undefined, list, dict)):
            return span
        return text(value)

    filled = Jinja(written, blocks=False, tags=False, comments=False, variables=True).sub(fill)
    return None if missing else filled


def render(template: str, scope: Scope) -> tuple[str, list[str]]:
    """``template`` with each ``{{ expression }}`` whose value is known here filled in (its text); the others stay as
    written.  Also what was not followed for a variable the repository sets (one sentence each).  The places the
    values came from are left in ``scope.sources`` (:func:`origin`)."""
    if "{{" not in template:
        return template, []
    lines: dict[str, list[int]] = {}  # what was not followed -> the lines where
    counted = [0, 1]  # (the offset counted up to, its line): the spans come in order, so the count is linear

    def fill(span: str, start: int, end: int) -> str:
        if "\n" in span:
            return span
        value = evaluate(span[2:-2], scope)
        if isinstance(value, Unknown):
            said = f"`{span}`: {value.why}"
            counted[1] += template.count("\n", counted[0], start)
            counted[0] = start
            number = counted[1]
            found = lines.setdefault(said, [])
            if not found or found[-1] != number:  # (lines come in order)
                found.append(number)
            return span
        if isinstance(value, Undefined) or isinstance(value, (list, dict)):
            return span
        return text(value)

    rendered = Jinja(template, blocks=False, tags=False, comments=False, variables=True).sub(fill)
    return rendered, [f"line {numbers[0]}: {said}; left unknown" + _also(numbers[1:]) for said, numbers in lines.items()]


def _also(numbers: list[int]) -> str:
    """`` (also at lines 9, 12)`` for a notice: the other lines, the first ten of them."""
    if not numbers:
        return ""
    shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
    return f" (also at line{'s' if len(numbers) > 1 else ''} {shown})"


def origin(scope: Scope, task: str) -> str:
    """How a rendering's values were found, for ``inspect``: the task, each loop variable and each variable read
    with where it is set."""
    parts = [f"{name}: {_short(text(value))}" for name, value in scope.local.items()]
    parts += [f"{name} ({where})" for name, where in sorted(scope.sources.items())
              if name not in ("role_path", "role_name")]
    head = f"rendered by Ansible as the task at {task} installs it" if task else "rendered by Ansible with the role's variables"
    return head + (": " + "; ".join(parts) if parts else "")


__all__ = ["MAX_DEPTH", "MAX_ITEMS", "Rendering", "Scope", "Setting", "Undefined", "Unknown", "evaluate", "inline_renderings", "is_role", "origin", "render",
           "renderings", "resolve", "role_scopes", "say_unfollowed", "task_installs", "template_origin"]
