"""`python -m docgen [--check]`: write the generated tables into docs/, or only report drift (exit 1).

A generated table sits between `<!-- generated:NAME -->` and `<!-- end generated -->` in its page;
everything else in the page is written by hand.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from docgen import image_table, policy_table, topology_table
from synth import shipped_diagrams

DOCS = Path(__file__).resolve().parent.parent / "docs"
END = "<!-- end generated -->"
TABLES: dict[str, tuple[str, Callable[[], str]]] = {
    "topology": ("topology.md", topology_table.render),
    "policies": ("policies.md", policy_table.render),
    "images": ("images.md", image_table.render),
    "diagrams": ("architecture.md", shipped_diagrams),  # evaluates the shipped topology (a few seconds)
}


def with_table(page: str, name: str, table: str) -> str:
    start = f"<!-- generated:{name} -->"
    if start not in page or END not in page.split(start, 1)[1]:
        raise ValueError(f"the page has no `{start}` ... `{END}` block")
    before, rest = page.split(start, 1)
    after = rest.split(END, 1)[1]
    return f"{before}{start}\n{table}{END}{after}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docgen", description="write the tables in docs/ that come from the code (make docs)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is out of date")
    check = parser.parse_args(argv).check
    drifted = []
    for name, (page_name, render) in TABLES.items():
        path = DOCS / page_name
        page = path.read_text()
        wanted = with_table(page, name, render())
        if wanted != page:
            drifted.append(f"docs/{page_name}")
            if not check:
                path.write_text(wanted)
    if check and drifted:
        print(f"out of date: {', '.join(drifted)}; run `make docs` and commit the result", file=sys.stderr)
        return 1
    print("\n".join(f"wrote {d}" for d in drifted) or "docs are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
