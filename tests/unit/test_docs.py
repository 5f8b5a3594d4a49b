"""The documentation: generated tables match the code, every link resolves, the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.__main__ import DOCS, TABLES, with_table

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("name", sorted(set(TABLES) - {"diagrams"}))  # diagrams: tests/plan/test_diagrams.py
def test_generated_tables_match_the_code(name: str) -> None:
    page_name, render = TABLES[name]
    page = (DOCS / page_name).read_text()
    assert with_table(page, name, render()) == page, f"docs/{page_name} drifted: run `make docs`"


def test_a_drifted_table_is_noticed() -> None:
    page = (DOCS / "policies.md").read_text()
    stale = page.replace("`aws-node-imdsv2`", "`aws-node-imdsv1`")
    assert with_table(stale, "policies", TABLES["policies"][1]()) == page != stale


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    for target in LINK.findall(page.read_text()):
        if re.match(r"^[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        assert resolved.exists(), f"{page.name} links to {target}, which is not in the repository"
        if anchor and resolved.is_file():
            assert anchor in anchors(resolved), f"{page.name} links to {target}: no such heading"


def test_readme_is_short() -> None:
    assert len((ROOT / "README.md").read_bytes()) < 10_000
