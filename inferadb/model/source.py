"""Reading a YAML document strictly: UTF-8, bounded in size and depth, no duplicate or odd keys.

PyYAML's safe loader keeps the last of two equal keys, so a second `environment: dev` would quietly
downgrade production; here it is an error, as are keys that are not strings, documents that are not
mappings, and input no person writes (megabytes, thousands of levels of nesting).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_VALUES = 100_000
"""Values a document may hold once every alias is expanded: far above any topology, far below a
billion-laughs document (aliases of aliases) that would exhaust memory and CPU downstream."""


class SourceError(ValueError):
    """A document that cannot be read as written; `str()` names the file and what to change."""


class _StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SourceError(f"line {line}: key {key!r} is not a string; quote it or remove it")
            if key in seen:
                raise SourceError(f"line {line}: key '{key}' appears twice (first on line {seen[key]}); keep one")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def get_single_node(self) -> yaml.Node | None:
        # Checked on the composed node graph, before anything is constructed from it.
        node = super().get_single_node()
        if node is not None:
            _expanded_size(node)
        return node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: yaml.Node) -> int:
    """How many values `root` stands for with every alias expanded; SourceError for an alias that
    contains itself (`x: &a [*a]`) or a total beyond MAX_VALUES. Iterative, each node sized once."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                raise SourceError(
                    f"line {node.start_mark.line + 1}: aliases expand to more than {MAX_VALUES} values; "
                    "a topology never needs that many, write the values out"
                )
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            for child in _children(node):
                if id(child) in open_nodes:
                    raise SourceError(
                        f"line {child.start_mark.line + 1}: an alias refers to the value that contains it; "
                        "a value cannot include itself, remove the alias"
                    )
                stack.append((child, False))
    return sizes[id(root)]


def read_mapping(path: Path, what: str) -> dict[str, Any]:
    """The YAML mapping in `path`; SourceError (naming the file) for anything else."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the {what} ({exc.strerror})") from exc
    return parse_mapping(raw, path.name, what)


def parse_mapping(raw: bytes, name: str, what: str) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise SourceError(f"{name}: {len(raw)} bytes is not a {what}; the limit is {MAX_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not UTF-8 (byte {exc.start}); save the {what} as UTF-8") from exc
    if text.startswith("\ufeff"):
        raise SourceError(f"{name}: starts with a byte-order mark; save the {what} as UTF-8 without one")
    if _flow_depth(text) > MAX_DEPTH:
        raise SourceError(f"{name}: nested deeper than {MAX_DEPTH} levels; a {what} is never that deep")
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except SourceError as exc:
        raise SourceError(f"{name}: {exc}") from None
    except RecursionError:
        raise SourceError(f"{name}: nested too deeply to be a {what}") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"{name}: not valid YAML: {exc}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise SourceError(f"{name}: the {what} must be a mapping of key: value, not a {type(document).__name__}")
    if _depth(document) > MAX_DEPTH:
        raise SourceError(f"{name}: nested deeper than {MAX_DEPTH} levels; a {what} is never that deep")
    return document


_QUOTED_OR_COMMENT = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|(?:^|\s)#[^\n]*", re.MULTILINE)


def _flow_depth(text: str) -> int:
    """How deep `[` and `{` nest outside quotes and comments. PyYAML's scanner slows down with the
    square of this depth, so a hostile document is refused before it is scanned."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _QUOTED_OR_COMMENT.sub("", text)):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest
