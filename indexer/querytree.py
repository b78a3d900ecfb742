"""The engine-neutral query tree that the parser produces and a backend evaluates.

Leaves: `Text` (a contiguous string, matched on the folded text of a section), `Tagged`
(sections tagged with a policy measure at index time), `Field` (a report or section
attribute: agency, region, year, doc_type, section_type, measure, title) and `Everything`.
Inner nodes: `And`, `Or`, `Not`. A backend (see `engine.py`) turns a tree into the set of
matching sections and their scores; `render` shows the tree to the user.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A contiguous string (punctuation inside it ignored), as typed or as an expansion."""

    text: str
    key: str  # compact form: folded, word characters only
    weight: float = 1.0


@dataclass(frozen=True)
class Tagged:
    """Sections tagged with a policy measure (the taxonomy's variants and patterns)."""

    measure: str
    weight: float = 0.3


@dataclass(frozen=True)
class Field:
    """A constraint on a field; `exact` False lets a name match part of a value (agency:花都)."""

    field: str
    value: str
    exact: bool = False


@dataclass(frozen=True)
class Everything:
    """Every section."""


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Text | Tagged | Field | Everything | And | Or | Not


def render(node: Node | None) -> str | None:
    """A readable, engine-neutral rendering: (容缺受理 OR 容缺办理^0.3) AND NOT 广州."""
    if node is None:
        return None
    if isinstance(node, Text):
        text = node.text if node.key == node.text else f"{node.text}→{node.key}"
        return f'"{text}"' + (f"^{node.weight:g}" if node.weight != 1 else "")
    if isinstance(node, Tagged):
        return f"measure_tag:{node.measure}^{node.weight:g}"
    if isinstance(node, Field):
        return f"{node.field}{':' if node.exact else '~'}{node.value}"
    if isinstance(node, Everything):
        return "*"
    if isinstance(node, Not):
        return f"NOT {render(node.child)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(render(c) or "" for c in node.children) + ")"


def leaves(node: Node) -> list[Node]:
    """Every leaf, negated ones included."""
    if isinstance(node, And | Or):
        return [leaf for c in node.children for leaf in leaves(c)]
    if isinstance(node, Not):
        return leaves(node.child)
    return [node]


def fields_in(node: Node | None) -> bool:
    """True if the tree constrains a field anywhere."""
    return node is not None and any(isinstance(leaf, Field) for leaf in leaves(node))
