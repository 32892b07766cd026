"""The registered checks and the rule catalog match both ways, and a rule is found from its id: its check
lives in ``hueylint/checks/hlNNN_<catalog name>.py`` (a tight family: ``hlNNN_hlMMM_<what>.py``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from hueylint import checks
from hueylint.catalog import load_catalog, rule_ids

FAMILY = re.compile(r"^((?:hl\d{3}_)+)")


def test_every_registered_check_has_a_catalog_entry() -> None:
    assert sorted(set(checks.all_checks()) - set(rule_ids())) == []


def test_every_catalog_rule_has_a_check_or_is_emitted_by_the_engine() -> None:
    registered = set(checks.all_checks())
    assert [rule for rule in rule_ids() if rule not in registered and rule not in checks.EMITTED_ELSEWHERE] == []
    assert sorted(registered & set(checks.EMITTED_ELSEWHERE)) == []  # one or the other, never both
    assert sorted(set(checks.EMITTED_ELSEWHERE) - set(rule_ids())) == []


def test_rules_emitted_elsewhere_are_built_in_the_modules_named() -> None:
    for rule, modules in checks.EMITTED_ELSEWHERE.items():
        for name in modules:
            source = inspect.getsource(importlib.import_module(name))
            assert re.search(rf'Finding\(\s*"{rule}"', source), (rule, name)


def test_each_check_lives_in_a_module_named_by_its_id() -> None:
    catalog = load_catalog()
    for rule, modules in checks.check_modules().items():
        for module in modules:
            package, _, name = module.rpartition(".")
            assert package == "hueylint.checks", (rule, module)
            family = FAMILY.match(name)
            assert family is not None, (rule, module)
            ids = family.group(1).rstrip("_").split("_")
            assert rule.lower() in ids, (rule, module)
            if len(ids) == 1:  # one rule: the catalog's name is the rest (hl101_stop_signal_not_graceful)
                assert name == f"{rule.lower()}_{catalog[rule].name.replace('-', '_')}", (rule, module)


def test_a_module_named_by_ids_registers_exactly_those_rules() -> None:
    by_module: dict[str, set[str]] = {}
    for rule, modules in checks.check_modules().items():
        for module in modules:
            by_module.setdefault(module.rpartition(".")[2], set()).add(rule)
    for info in pkgutil.iter_modules(checks.__path__):
        family = FAMILY.match(info.name)
        if family is None:
            assert info.name not in by_module, f"{info.name} registers {by_module.get(info.name)}: name it by the ids"
            continue
        named = {rule.upper() for rule in family.group(1).rstrip("_").split("_")}
        assert by_module.get(info.name) == named, info.name

