"""`make mutation`: sampled, seeded mutation testing of the domain and the policy pack.

Each mutant is one small change to one module (a comparison flipped, `and` for `or`, `all` for
`any`, a number moved by one, a branch that never runs, a `not` dropped); the fast tests run against
it in a copy of the project, and a mutant the tests do not fail on *survived*: a check that could be
broken without anyone noticing. Prints each survivor and the score (killed / mutants).

    python -m tests.mutate [--sample N] [--seed S] [--module GLOB ...]

A number, not a test: the suite stays fast, and the score is read by people (docs/architecture.md).
"""

from __future__ import annotations

import argparse
import ast
import random
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("inferadb/analysis/*.py", "inferadb/model/*.py", "inferadb/plan/*.py", "policies/*_rules.py")
COPY = ("inferadb", "components", "policies", "synth", "preflight", "docgen", "tests", "examples", "docs")
FILES = (
    "pyproject.toml",
    "topology.yaml",
    "__main__.py",
    "Pulumi.yaml",
    "Pulumi.us-west-1.yaml",
    "Pulumi.eu-central-1.yaml",
    "requirements.lock",
    "requirements.txt",
    "requirements-dev.txt",
)
SWAPS: dict[type[ast.AST], type[ast.AST]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.And: ast.Or,
    ast.Or: ast.And,
}


@dataclass(frozen=True)
class Mutant:
    path: str
    index: int
    line: int
    what: str


def _points(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every place a mutation applies, in a fixed order (the same tree gives the same list)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) in SWAPS:
                    yield node, f"{type(op).__name__} -> {SWAPS[type(op)].__name__}"
        elif isinstance(node, ast.BoolOp):
            yield node, f"{type(node.op).__name__} -> {SWAPS[type(node.op)].__name__}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("any", "all"):
            yield node, f"{node.func.id} -> {'all' if node.func.id == 'any' else 'any'}"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, f"{node.value} -> {node.value + 1}"
        elif isinstance(node, ast.If):
            yield node, "branch never taken"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not dropped"


def _annotations(tree: ast.AST) -> set[int]:
    """Nodes inside type annotations: mutating a type changes nothing at run time."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        for annotation in (getattr(node, "annotation", None), getattr(node, "returns", None)):
            if annotation is not None:
                skip |= {id(n) for n in ast.walk(annotation)}
    return skip


def mutants(path: Path) -> list[Mutant]:
    tree = ast.parse(path.read_text())
    skip = _annotations(tree)
    found = []
    for index, (node, what) in enumerate(_points(tree)):
        if id(node) not in skip:
            found.append(Mutant(str(path.relative_to(ROOT)), index, getattr(node, "lineno", 0), what))
    return found


def mutated_source(path: Path, mutant: Mutant) -> str:
    tree = ast.parse(path.read_text())
    node, _ = list(_points(tree))[mutant.index]
    if isinstance(node, ast.Compare):
        swappable = [i for i, op in enumerate(node.ops) if type(op) in SWAPS]
        first = swappable[0]
        node.ops[first] = typing.cast(ast.cmpop, SWAPS[type(node.ops[first])]())
    elif isinstance(node, ast.BoolOp):
        node.op = typing.cast(ast.boolop, SWAPS[type(node.op)]())
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        node.func.id = "all" if node.func.id == "any" else "any"
    elif isinstance(node, ast.Constant) and isinstance(node.value, int):
        node.value = node.value + 1
    elif isinstance(node, ast.If):
        node.test = ast.Constant(False)
    elif isinstance(node, ast.UnaryOp):
        return _replace(tree, node, node.operand)
    return ast.unparse(tree)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> str:
    class Swap(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            return new if node is old else super().visit(node)

    return ast.unparse(Swap().visit(tree))


def _tests_for(path: str) -> list[str]:
    tests = ["tests/unit"]
    if path.startswith("policies/"):
        tests.append("tests/plan/test_policies.py")
    return tests


def killed(copy: Path, mutant: Mutant) -> bool:
    target = copy / mutant.path
    original = target.read_text()
    target.write_text(mutated_source(ROOT / mutant.path, mutant))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider", *_tests_for(mutant.path)],
            cwd=copy,
            capture_output=True,
            timeout=300,
            check=False,
        )
        return result.returncode != 0
    except subprocess.TimeoutExpired:
        return True  # a mutant that hangs the tests is caught
    finally:
        target.write_text(original)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants to try (default 40)")
    parser.add_argument("--seed", type=int, default=20261207, help="the sample's seed (same seed, same mutants)")
    parser.add_argument("--module", action="append", help="glob of modules to mutate (default: domain and pack)")
    args = parser.parse_args(argv)
    paths = sorted({p for pattern in args.module or MODULES for p in ROOT.glob(pattern) if p.name != "__init__.py"})
    population = [m for p in paths for m in mutants(p)]
    sample = random.Random(args.seed).sample(  # noqa: S311 - a reproducible sample, not a secret
        population, min(args.sample, len(population))
    )
    print(f"{len(population)} mutants in {len(paths)} modules; trying {len(sample)} (seed {args.seed})")
    started, survivors = time.perf_counter(), []
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        copy = Path(tmp)
        for name in COPY:
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        for name in FILES:
            shutil.copy(ROOT / name, copy / name)
        for number, mutant in enumerate(sample, 1):
            caught = killed(copy, mutant)
            verdict = "killed  " if caught else "SURVIVED"
            print(f"[{number}/{len(sample)}] {verdict} {mutant.path}:{mutant.line} {mutant.what}", flush=True)
            if not caught:
                survivors.append(mutant)
    score = 100 * (len(sample) - len(survivors)) / max(len(sample), 1)
    elapsed = time.perf_counter() - started
    print(f"score {score:.0f}% ({len(sample) - len(survivors)} of {len(sample)} killed) in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
