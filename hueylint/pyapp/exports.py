"""What a module's names hold for the modules that import them: the linker's on-demand reading of a module a
huey storage value is imported from (``from app.config import REDIS_URL``, ``config.REDIS_URL``).

The module is walked by the extractor's own :class:`~hueylint.pyapp.collector.Collector` and each
module-level name valued by its :class:`~hueylint.pyapp.values.Evaluator`, exactly as a value written in
the importing module itself would be: a single literal assignment is known, a name read from the
environment (in every if/else/try branch that assigns it, or ``None`` there) is unknown with reason
``env:NAME``, anything else is left out (unknown to the importer).  A pydantic settings object
(``settings = Settings()`` of a ``class Settings(BaseSettings)``, FastAPI's usual configuration) gives each of
its fields as ``settings.field``, read from the environment variable pydantic reads it from.  Nothing is
imported or run.
"""

from __future__ import annotations

import ast
from typing import Any

from hueylint.appmodel import ModuleFacts, env_reason, env_var, is_settings_path, module_name
from hueylint.sources import SourceFile


def read(src: SourceFile) -> ModuleFacts:
    """``src``'s module as its importers see it: ``imports`` (names bound by an import, to follow a name
    re-exported from a third module) and ``values`` (module-level name -> :class:`~hueylint.model.Val`).

    A name both bound by an import and assigned is left out of both (which binding holds at the end of the
    import is not told).  A module ``ast`` cannot parse gives ``error`` and nothing else."""
    from hueylint.pyapp.collector import Collector
    from hueylint.pyapp.imports import parse
    from hueylint.pyapp.positions import Source

    facts = ModuleFacts(rel=src.rel, module=module_name(src.rel), is_settings=is_settings_path(src.rel))
    try:
        tree = parse(src.text)
        collector = Collector(Source(src.rel, src.text, True), ModuleFacts(rel=src.rel, module=facts.module))
        collector.run(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        facts.error = (1, 1, "not read by ast")
        return facts
    facts.imports = {name: target for name, target in collector.imports.items() if name not in collector.constants}
    for name, assigned in collector.constants.items():
        if name in collector.imports:
            continue
        got = collector.eval.value(ast.copy_location(ast.Name(name, ast.Load()), assigned[0]), frozenset())
        if (got.known and _plain(got.value)) or env_var(got):
            facts.values[name] = got
    facts.values.update(_settings_values(collector, tree))
    return facts


# -- pydantic settings ---------------------------------------------------------------------------------

#: The ``BaseSettings`` classes and the pydantic major version whose rules they follow (v1's in pydantic itself,
#: v2's in the pydantic-settings package).
_SETTINGS_BASES = {"pydantic_settings.BaseSettings": 2, "pydantic_settings.main.BaseSettings": 2,
                   "pydantic.BaseSettings": 1, "pydantic.env_settings.BaseSettings": 1, "pydantic.v1.BaseSettings": 1,
                   "pydantic.v1.env_settings.BaseSettings": 1}
#: Configuration keys that do not change which environment variable a flat field is read from (any other key,
#: ``alias_generator`` or v1's ``fields`` say, leaves the class unknown).
_HARMLESS = frozenset({"env_prefix", "case_sensitive", "env_file", "env_file_encoding", "env_nested_delimiter",
                       "env_ignore_empty", "extra", "secrets_dir", "frozen", "validate_default", "validate_assignment",
                       "arbitrary_types_allowed", "use_enum_values", "title"})
_FIELD = frozenset({"pydantic.Field", "pydantic.fields.Field", "pydantic.v1.Field", "pydantic.v1.fields.Field"})


def _settings_values(c: Any, tree: ast.Module) -> dict[str, Any]:
    """``settings = Settings()`` of a module-level ``class Settings(BaseSettings)``: ``"settings.field"`` -> an
    unknown Val whose reason names the environment variable pydantic reads the field from (the default
    applies only when it is unset, as with ``os.environ.get(NAME, default)``).  An instance built with
    arguments (they override the environment) or a class whose configuration is not read gives nothing."""
    from hueylint.model import Val

    classes = {stmt.name: fields for stmt in tree.body if isinstance(stmt, ast.ClassDef)
               and (fields := _settings_fields(c, stmt)) is not None}
    values: dict[str, Any] = {}
    for name, assigned in c.constants.items():
        call = assigned[0]
        if len(assigned) != 1 or name in c.imports or not isinstance(call, ast.Call) \
                or not isinstance(call.func, ast.Name) or call.func.id not in classes or call.args \
                or any(kw.arg is None or not kw.arg.startswith("_") for kw in call.keywords):
            continue  # `Settings(_env_file=...)` only chooses files; `Settings(redis_url=...)` sets the field
        for field, variable in classes[call.func.id].items():
            values[f"{name}.{field}"] = Val(None, c.loc(call), env_reason(variable))
    return values


def _settings_fields(c: Any, cls: ast.ClassDef) -> dict[str, str] | None:
    """field -> the environment variable pydantic reads it from, for a class deriving from ``BaseSettings``
    alone; None for any other class, or when its configuration is not read.

    The name is ``env_prefix`` + the field's name (v2: a literal ``alias=``/``validation_alias=`` instead, v1:
    ``Field(env=...)``), upper-cased unless ``case_sensitive`` (pydantic then matches any case).  A field
    whose variable cannot be told (a non-literal alias, ``AliasChoices``, v2's ignored ``env=``) is left out.
    """
    if len(cls.bases) != 1:
        return None
    version = _SETTINGS_BASES.get(c.qualname(cls.bases[0]) or "")
    if version is None:
        return None
    options = _class_options(c, cls, version)
    if options is None:
        return None
    prefix, case_sensitive = "", False
    for key, node in options:
        got = c.eval.value(node, frozenset()) if key in ("env_prefix", "case_sensitive") else None
        if key not in _HARMLESS or (got is not None and not got.known):
            return None
        if key == "env_prefix" and got is not None:
            if not isinstance(got.value, str):
                return None
            prefix = got.value
        elif key == "case_sensitive" and got is not None:
            if not isinstance(got.value, bool):
                return None
            case_sensitive = got.value
    fields: dict[str, str] = {}
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name) \
                or stmt.target.id.startswith("_") or "ClassVar" in c.code(stmt.annotation):
            continue
        variable: str | None = prefix + stmt.target.id
        if isinstance(stmt.value, ast.Call):
            variable = _field_variable(c, stmt.value, version, prefix + stmt.target.id)
        if variable is not None:
            fields[stmt.target.id] = variable if case_sensitive else variable.upper()
    return fields


def _class_options(c: Any, cls: ast.ClassDef, version: int) -> list[tuple[str, ast.AST]] | None:
    """The configuration written on a settings class: its keywords, an inner ``class Config`` and (v2)
    ``model_config = SettingsConfigDict(...)`` or a dict literal, as (key, value node); None when it cannot
    be read (a ``**`` splat, a computed key or value)."""
    options: list[tuple[str, ast.AST]] = []
    for keyword in cls.keywords:
        if keyword.arg is None:
            return None
        options.append((keyword.arg, keyword.value))
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and len(inner.targets) == 1 and isinstance(inner.targets[0], ast.Name):
                    options.append((inner.targets[0].id, inner.value))
                elif not isinstance(inner, (ast.Expr, ast.Pass)):
                    return None
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and any(
                isinstance(t, ast.Name) and t.id == "model_config"
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])):
            value = stmt.value
            if version != 2 or value is None:
                return None
            if isinstance(value, ast.Call) and not value.args and isinstance(value.func, (ast.Name, ast.Attribute)) \
                    and c.code(value.func).rpartition(".")[2] in ("SettingsConfigDict", "ConfigDict", "dict"):
                if any(keyword.arg is None for keyword in value.keywords):
                    return None
                options += [(keyword.arg, keyword.value) for keyword in value.keywords]  # type: ignore[misc]
            elif isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                     for k in value.keys):
                options += [(k.value, v) for k, v in zip(value.keys, value.values)]  # type: ignore[union-attr]
            else:
                return None
    return options


def _field_variable(c: Any, call: ast.Call, version: int, default: str) -> str | None:
    """The variable a field given as ``Field(...)`` is read from: ``default`` (prefix + name), a literal
    alias (v2) or ``env=`` (v1); None when not told (a call other than pydantic's ``Field``, a splat, a
    non-literal alias, v2's ``env=`` which pydantic-settings ignores)."""
    if c.qualname(call.func) not in _FIELD:
        return None
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if None in keywords:
        return None
    if version == 2:
        if "env" in keywords:
            return None
        named = keywords.get("validation_alias", keywords.get("alias"))
    else:
        named = keywords.get("env")
    if named is None:
        return default
    got = c.eval.value(named, frozenset())
    return got.value if got.known and isinstance(got.value, str) else None


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def cached_read(cache: Any, src: SourceFile) -> ModuleFacts:
    """:func:`read` through the run's :class:`~hueylint.pyapp.cache.FactsCache` (an entry of its own, keyed by
    path, text and this purpose, like :func:`hueylint.pyapp.imports.cached_scan`), so a warm run parses no
    such module again."""
    from hueylint.pyapp.cache import content_key

    key = content_key(f"{src.rel}\0values", src.text)
    if cache.enabled:
        found = cache._read(key)
        if found is not None and found.rel == src.rel:
            return found
    facts = read(src)
    if cache.enabled:
        cache._write(key, facts)
    return facts

