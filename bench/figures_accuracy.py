"""Accuracy of the licensing-figure extractor: precision and recall per figure.

    python bench/figures_accuracy.py                 # every file in tests/data/figures/
    python bench/figures_accuracy.py heldout.json    # one set

Each set is a JSON list of {"id", "year", "text", "expected": {name: value}}. A figure found
with the expected value is a true positive; found with another value, or found where none is
expected, a false positive; expected but not found (or wrong), a false negative.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.ingest.facts import FIGURE_NAMES, find_figures  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "figures"


def score(cases: list[dict]) -> tuple[Counter[tuple[str, str]], list[str]]:
    """(tp/fp/fn counts per figure, lines describing each error)."""
    counts: Counter[tuple[str, str]] = Counter()
    errors = []
    for case in cases:
        got = {n: f.value for n, f in find_figures([case["text"]], case["year"]).items()}
        expected = case["expected"]
        for name in FIGURE_NAMES:
            g, e = got.get(name), expected.get(name)
            if g is not None and g == e:
                counts[name, "tp"] += 1
                continue
            if g is not None:
                counts[name, "fp"] += 1
            if e is not None:
                counts[name, "fn"] += 1
            if g is not None or e is not None:
                errors.append(f"  {case['id']}: {name} found {g}, expected {e}")
    return counts, errors


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "  -  "


def report(title: str, cases: list[dict]) -> None:
    counts, errors = score(cases)
    print(f"\n{title}: {len(cases)} paragraphs")
    print(f"{'figure':<18}{'expected':>9}{'found':>7}{'tp':>5}{'precision':>11}{'recall':>8}")
    total: Counter[str] = Counter()
    for name in FIGURE_NAMES:
        tp, fp, fn = (counts[name, k] for k in ("tp", "fp", "fn"))
        total.update(tp=tp, fp=fp, fn=fn)
        print(f"{name:<18}{tp + fn:>9}{tp + fp:>7}{tp:>5}{ratio(tp, tp + fp):>11}{ratio(tp, tp + fn):>8}")
    tp, fp, fn = total["tp"], total["fp"], total["fn"]
    print(f"{'all figures':<18}{tp + fn:>9}{tp + fp:>7}{tp:>5}{ratio(tp, tp + fp):>11}{ratio(tp, tp + fn):>8}")
    print("\n".join(errors) if errors else "  no errors")


def main(argv: list[str]) -> None:
    files = [FIXTURES / a for a in argv] if argv else sorted(FIXTURES.glob("*.json"))
    everything: list[dict] = []
    for path in files:
        cases = json.loads(path.read_text(encoding="utf-8"))
        everything += cases
        report(path.name, cases)
    if len(files) > 1:
        report("all sets", everything)


if __name__ == "__main__":
    main(sys.argv[1:])
