"""The mutation tool changes exactly one thing per mutant, and never a type annotation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import mutate

SOURCE = """
def quorum(voters: list[int], strict: bool) -> bool:
    if not strict and any(v > 2 for v in voters):
        return len(voters) >= 3
    return False
"""


@pytest.fixture
def module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    path = tmp_path / "sample.py"
    path.write_text(SOURCE)
    return path


def test_every_kind_of_mutant_is_found_outside_annotations(module: Path) -> None:
    found = sorted(m.what for m in mutate.mutants(module))
    assert found == sorted(
        ["branch never taken", "And -> Or", "not dropped", "any -> all", "Gt -> GtE", "2 -> 3", "GtE -> Gt", "3 -> 4"]
    )


def test_each_mutant_changes_the_program_and_still_parses(module: Path) -> None:
    original = ast.dump(ast.parse(SOURCE))
    for mutant in mutate.mutants(module):
        changed = mutate.mutated_source(module, mutant)
        assert ast.dump(ast.parse(changed)) != original, mutant.what
