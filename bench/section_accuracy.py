"""Accuracy of section types on a labelled sample of headings (tests/data/section_headings.json).

    python bench/section_accuracy.py [--verbose]

Each outline is a report's skeleton: heading lines with the first sentence of their body.
It is split by `split_sections` as a report would be, and each section's type is compared
with the label. The sample is written for this purpose, in the forms real reports take.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.sections import split_sections  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "section_headings.json"


@dataclass(frozen=True)
class Labelled:
    """One heading with its outline, its label and the type found."""

    form: str
    path: tuple[str, ...]
    expected: str
    found: str


def labelled_sections(path: Path = SAMPLE) -> list[Labelled]:
    """Every labelled heading of the sample, typed by the splitter."""
    results = []
    for outline in json.loads(path.read_text(encoding="utf-8"))["outlines"]:
        lines = [line for heading, first, _ in outline["sections"] for line in (heading, first) if line]
        sections = [s for s in split_sections(lines) if s.depth > 0]
        if len(sections) != len(outline["sections"]):
            raise ValueError(f"{outline['form']}: {len(sections)} sections for {len(outline['sections'])} headings")
        results += [Labelled(outline["form"], s.path, expected, s.section_type)
                    for s, (_, _, expected) in zip(sections, outline["sections"], strict=True)]
    return results


def accuracy(results: list[Labelled]) -> float:
    """Share of headings typed as labelled."""
    return sum(r.found == r.expected for r in results) / len(results)


def main() -> None:
    results = labelled_sections()
    print(f"section types: {accuracy(results):.3f} ({sum(r.found == r.expected for r in results)}/{len(results)})")
    by_label = Counter(r.expected for r in results)
    right = Counter(r.expected for r in results if r.found == r.expected)
    for label, count in by_label.most_common():
        print(f"  {label:<6} {right[label]}/{count}")
    print(f"  typed 其他: {sum(r.found == '其他' for r in results)} (labelled 其他: {by_label['其他']})")
    if "--verbose" in sys.argv:
        for r in results:
            if r.found != r.expected:
                print(f"   miss {' › '.join(r.path)}: {r.found} (expected {r.expected})")


if __name__ == "__main__":
    main()
