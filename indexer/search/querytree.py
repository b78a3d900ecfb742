"""The engine-neutral query tree that the parser produces and a backend evaluates.

Leaves: `Text` (a contiguous string, matched on the folded text of a section), `Tagged`
(sections tagged with a policy measure at index time), `Field` (a report or section
attribute: agency, region, year, doc_type, section_type, measure, title) and `Everything`.
Inner nodes: `And`, `Or`, `Not`, `Near` (evidence that is not the typed term itself: a
near-term, a compound's words apart; it matches at level 2 or below) and `Graded` (the words
of a researcher's plain terms, matched at levels: all in one section, most in one section, all
over one report). Level 1 is exact evidence, the only one counted (see `COUNTED`). A backend
(see `engine.py`) turns a tree into the set of
matching sections and their scores; `render` shows the tree to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class QueryError(ValueError):
    """A query or filter that cannot be run; the message tells the user what to fix."""


YEAR_VALUE = re.compile(r"^\s*(\d{4})?\s*(?:(-|~|–|\.\.|至|到)\s*(\d{4})?)?\s*$")


def year_bounds(value: str) -> tuple[int | None, int | None]:
    """`2023` → (2023, 2023); `2019-2023`, `2019-`, `-2023` → ranges; else QueryError."""
    m = YEAR_VALUE.match(value)
    if not m or not (m.group(1) or m.group(3)):
        raise QueryError(f"年份“{value}”无效：请写四位年份，如 2023，或范围，如 2019-2023。")
    low = int(m.group(1)) if m.group(1) else None
    high = int(m.group(3)) if m.group(3) else (low if not m.group(2) else None)
    if low is not None and high is not None and low > high:
        raise QueryError(f"年份范围“{value}”起止颠倒：请写成 {high}-{low}。")
    return low, high


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


@dataclass(frozen=True)
class Near:
    """What the child matches, as near evidence (level 2 at best): never counted as a mention."""

    child: Node


@dataclass(frozen=True)
class Graded:
    """Parts (one a word) that should sit in one section, graded instead of all-or-nothing.

    Level 1: a section holds every part exactly (no part only through a `Near` expansion);
    level 2: a section holds every part, or at least `minimum` parts; level 3: the report's
    sections hold every part between them; level 4: a section holds some part; level 5 (when
    `floor` is 1): a section holds one of the typed words' ideograph pairs and no part. `bonus`
    leaves (a split term found as one string) add score where they match and never widen the
    match. Whether and at which level a row matches depends on its report's texts only, never
    on other documents.
    """

    parts: tuple[Node, ...]
    minimum: int
    bonus: tuple[Node, ...] = ()
    floor: int = 1  # the best level it gives (2: the words of a measure's name, below the measure)


LEVELS = {1: "所有词在同一段落", 2: "多数词（或近义词）在同一段落", 3: "所有词分散在同一报告的不同段落",
          4: "只有部分词（或近义词）", 5: "只有字面相近（按字）"}
COUNTED = 1  # the level of exact evidence: what totals, facets, the matrix, charts and exports count

Node = Text | Tagged | Field | Everything | And | Or | Not | Near | Graded


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
    if isinstance(node, Near):
        return f"~{render(node.child)}"
    if isinstance(node, Graded):
        parts = " , ".join(render(c) or "" for c in node.parts)
        bonus = "".join(f" + {render(b)}" for b in node.bonus)
        floor = f"≥L{node.floor}" if node.floor > 1 else ""
        return f"GRADED{floor}[{node.minimum}/{len(node.parts)}]({parts}){bonus}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(render(c) or "" for c in node.children) + ")"


def leaves(node: Node) -> list[Node]:
    """Every leaf, negated ones included."""
    if isinstance(node, And | Or):
        return [leaf for c in node.children for leaf in leaves(c)]
    if isinstance(node, Graded):
        return [leaf for c in (*node.parts, *node.bonus) for leaf in leaves(c)]
    if isinstance(node, Not | Near):
        return leaves(node.child)
    return [node]


def positive_texts(node: Node | None) -> list[str]:
    """The texts of every `Text` leaf not under a `Not`: what a passage may show as the match."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Text):
        return [node.text]
    if isinstance(node, And | Or):
        return [t for c in node.children for t in positive_texts(c)]
    if isinstance(node, Graded):
        return [t for c in (*node.parts, *node.bonus) for t in positive_texts(c)]
    if isinstance(node, Near):
        return positive_texts(node.child)
    return []


def fields_in(node: Node | None) -> bool:
    """True if the tree constrains a field anywhere."""
    return node is not None and any(isinstance(leaf, Field) for leaf in leaves(node))


def nodes(node: Node | None) -> list[Node]:
    """Every node of the tree, inner ones included."""
    if node is None:
        return []
    if isinstance(node, And | Or):
        return [node, *(n for c in node.children for n in nodes(c))]
    if isinstance(node, Not | Near):
        return [node, *nodes(node.child)]
    if isinstance(node, Graded):
        return [node, *(n for c in (*node.parts, *node.bonus) for n in nodes(c))]
    return [node]
