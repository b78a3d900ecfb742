"""Accuracy of metadata extraction per field, on the development set and on the seed reports.

    python bench/metadata_accuracy.py [--verbose]
    python bench/metadata_accuracy.py FOLDER [--verbose]

The development set (tests/data/metadata/devset.toml) holds openings and endings of reports
and notices in the forms real ones take; the seeds are the shipped reports with the values a
researcher reads off them. Year is scored only where the text states it. Every agency value
found must also pass the shape rule (`is_agency_name`).

With FOLDER, the texts of a folder with a manifest.json (a list of {file, title, agency,
region, year, doc_type, …}, agency joint authors joined by 、) are scored instead: each field
only where the manifest states it; where it states nothing, how often a value was filled
anyway (wrong when not stated); the wrong values; the share left empty.
"""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.config import DEFAULT_SOURCE_DIR  # noqa: E402
from indexer.ingest.agency import canonical_agency, is_agency_name, strip_doc_numbers  # noqa: E402
from indexer.ingest.frontmatter import strip_glosses  # noqa: E402
from indexer.ingest.parsing import parse_report  # noqa: E402
from indexer.ingest.reading import SourceText, read_source  # noqa: E402
from indexer.ingest.regions import find_region  # noqa: E402
from indexer.text.normalize import compact, fold  # noqa: E402

DATA = ROOT / "tests" / "data" / "metadata"
DEVSET = DATA / "devset.toml"
REALFORMS = DATA / "realforms.toml"  # cases in the forms of real published pages
HELDOUT = DATA / "heldout.toml"  # written after the rules, never tuned on: scored apart
REALFORMS2 = DATA / "realforms2.toml"  # the kinds of failure seen on unseen real pages, one case or more each
FIELDS = ("title", "agency", "agencies", "region", "year", "doc_type")
# The seeds, as the golden tests in tests/test_metadata.py read them.
SEED_EXPECTED = {
    "000": {"title": "广州市规划和自然资源局2023年度行政许可实施和监督管理情况报告", "agency": "广州市规划和自然资源局",
            "year": 2023, "doc_type": "licensing_report"},
    "001": {"title": "广州市花都区推进政府职能转变和“放管服”改革协调小组办公室关于2022年度"
                     "行政许可实施和监督管理情况报告",
            "agency": "广州市花都区推进政府职能转变和“放管服”改革协调小组办公室", "year": 2022,
            "doc_type": "licensing_report"},
    "002": {"title": "广州市深入推进审批服务便民化工作方案", "agency": "广州市人民政府办公厅", "year": 2019,
            "doc_type": "work_plan"},
    "003": {"title": "广州市公安局海珠区分局2024年度行政许可实施和监督管理情况报告", "agency": "广州市公安局海珠区分局",
            "year": 2024, "doc_type": "licensing_report"},
    "004": {"title": "",  # the page has no title line; its first sentence names the report
            "agency": "广州市黄埔区政务服务数据管理局",
            "agencies": ["广州市黄埔区政务服务数据管理局", "广州开发区行政审批局"], "year": 2019,
            "doc_type": "rule_of_law_report"},
}


@dataclass(frozen=True)
class Case:
    """One text with the values a researcher reads off it."""

    id: str
    text: str
    expected: dict[str, object]


def toml_cases(path: Path) -> list[Case]:
    """The cases of one TOML set."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Case(c["id"], c["text"].strip("\n"), {k: c[k] for k in FIELDS if k in c}) for c in data["case"]]


def devset_cases(paths: tuple[Path, ...] = (DEVSET, REALFORMS)) -> list[Case]:
    """The development set's cases (the first set and the real forms)."""
    return [case for path in paths for case in toml_cases(path)]


def heldout_cases() -> list[Case]:
    """Cases written after the rules, in the same forms, that no rule was fitted to."""
    return toml_cases(HELDOUT) if HELDOUT.exists() else []


def realforms2_cases() -> list[Case]:
    """Cases in the forms that failed on unseen real pages (news, interpretations, header fields …)."""
    return toml_cases(REALFORMS2)


def seed_cases() -> list[Case]:
    """The shipped reports with their golden values."""
    paths = {p.name[:3]: p for p in sorted(DEFAULT_SOURCE_DIR.glob("*.txt"))}
    return [Case(key, read_source(paths[key]).text, expected) for key, expected in SEED_EXPECTED.items()]


def extracted(case: Case) -> dict[str, object]:
    """The metadata the indexer gives a case's text."""
    name = f"{case.id}.txt"
    report = parse_report(SourceText(path=Path(name), name=name, text=case.text, encoding="utf-8", digest="0" * 64))
    return {"title": report.title, "agency": report.agency, "agencies": list(report.agencies),
            "region": report.region, "year": report.year, "doc_type": report.doc_type}


def _expected(case: Case, name: str) -> object:
    if name == "agencies":  # one author unless the case lists several
        agency = case.expected.get("agency", "")
        return case.expected.get("agencies", [agency] if agency else [])
    if name == "title":
        return fold(str(case.expected.get("title", "")))
    return case.expected.get(name, "")


def _agrees_devset(name: str, want: object, have: object) -> bool:
    """As the folder scores do: titles without punctuation, spacing and glosses; agencies by their one name."""
    if name == "title":
        return _title_key(str(want)) == _title_key(str(have))
    if name == "agency":
        return _agrees("agency", want, have) if want else not have
    if name == "agencies":
        return _agrees("agency", "、".join(want), "、".join(have)) if want else not have  # type: ignore[arg-type]
    return want == have


def score(cases: list[Case]) -> tuple[dict[str, tuple[int, int]], list[str], list[str]]:
    """Per field (right, scored); the misses, described; agency values that fail the shape rule."""
    totals = {name: [0, 0] for name in FIELDS}
    misses, misshapen = [], []
    for case in cases:
        got = extracted(case)
        misshapen += [a for a in got["agencies"] if not is_agency_name(a)]  # type: ignore[union-attr]
        for name in FIELDS:
            if name in ("year", "region", "doc_type") and name not in case.expected:
                continue  # year: scored only where the text states it; region, doc_type: where the set gives them
            want = _expected(case, name)
            have = got[name]
            totals[name][1] += 1
            if _agrees_devset(name, want, have):
                totals[name][0] += 1
            else:
                misses.append(f"{case.id} {name}: {got[name]!r} (expected {want!r})")
    return {k: (v[0], v[1]) for k, v in totals.items()}, misses, misshapen


MANIFEST_FIELDS = ("title", "agency", "region", "year", "doc_type")


@dataclass
class FieldScore:
    """One field over a folder: right / stated, left empty, filled where the text states nothing."""

    right: int = 0
    stated: int = 0
    empty: int = 0
    unstated: int = 0
    filled_unstated: int = 0

    def line(self, name: str) -> str:
        accuracy = self.right / self.stated if self.stated else 1.0
        empty = self.empty / self.stated if self.stated else 0.0
        return (f"  {name:<9} {accuracy:.3f}  ({self.right}/{self.stated})  empty {empty:.3f}"
                f"  filled when not stated {self.filled_unstated}/{self.unstated}")


def manifest_cases(folder: Path) -> list[Case]:
    """The texts of a folder with the values its manifest.json states for them."""
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    cases = []
    for entry in entries:
        text = read_source(folder / entry["file"]).text
        cases.append(Case(entry["file"], text, {k: entry.get(k) for k in MANIFEST_FIELDS}))
    return cases


def _same_agency(want: str, have: str) -> bool:
    """The same body: named as written, or its one name (agency_aliases.tsv), or its short form
    completed with the place (市…局 → 广州市…局)."""
    want, have = canonical_agency(want), canonical_agency(have)
    if have == want:
        return True
    core = want[1:] if want[:1] in "省市区县州盟旗" else want
    return bool(have.endswith(core) and len(have) > len(core) and find_region(have[: len(have) - len(core)]).name)


def _title_key(title: str) -> str:
    return compact(strip_doc_numbers(strip_glosses(fold(title))))


def _field_value(report: dict[str, object], name: str) -> object:
    if name == "agency":
        return "、".join(report["agencies"])  # type: ignore[arg-type]
    return report[name]


def _agrees(name: str, want: object, have: object) -> bool:
    if name == "title":  # a mirror's pinyin glosses and a 发文字号 after the title are not the title
        return _title_key(str(want)) == _title_key(str(have))
    if name == "agency":
        wants, haves = str(want).split("、"), str(have).split("、") if have else []
        return len(wants) == len(haves) and all(_same_agency(w, h) for w, h in zip(wants, haves, strict=True))
    return want == have


def score_manifest(cases: list[Case]) -> tuple[dict[str, FieldScore], list[str], list[str]]:
    """Per field scores; the wrong values (file, field, expected, got); agency values failing the shape rule."""
    scores = {name: FieldScore() for name in MANIFEST_FIELDS}
    wrong, misshapen = [], []
    for case in cases:
        got = extracted(case)
        got["region"] = got.get("region", "")
        misshapen += [a for a in got["agencies"] if not is_agency_name(a)]  # type: ignore[union-attr]
        for name, sc in scores.items():
            want, have = case.expected.get(name), _field_value(got, name)
            if want in ("", None):
                sc.unstated += 1
                if have not in ("", None):
                    sc.filled_unstated += 1
                    wrong.append(f"{case.id} {name}: expected (not stated), got {have!r}")
                continue
            sc.stated += 1
            if _agrees(name, want, have):
                sc.right += 1
            else:
                sc.empty += have in ("", None)
                wrong.append(f"{case.id} {name}: expected {want!r}, got {have!r}")
    return scores, wrong, misshapen


def main_folder(folder: Path, verbose: bool) -> None:
    """Print per-field figures for a folder with a manifest.json (and every wrong value)."""
    cases = manifest_cases(folder)
    scores, wrong, misshapen = score_manifest(cases)
    print(f"{folder}: {len(cases)} texts")
    for name, sc in scores.items():
        print(sc.line(name))
    print(f"  agency values failing the shape rule: {len(misshapen)} {misshapen if misshapen else ''}")
    if verbose or len(wrong) <= 60:
        for line in wrong:
            print("   wrong", line)


def main() -> None:
    verbose = "--verbose" in sys.argv
    folders = [Path(a) for a in sys.argv[1:] if not a.startswith("--")]
    if folders:
        for folder in folders:
            main_folder(folder, verbose)
        return
    for label, cases in (("development set", devset_cases()), ("held-out set", heldout_cases()),
                         ("real forms 2 (kinds seen on unseen pages)", realforms2_cases()), ("seeds", seed_cases())):
        totals, misses, misshapen = score(cases)
        print(f"{label}: {len(cases)} cases")
        for name, (right, scored) in totals.items():
            if not scored:
                continue
            print(f"  {name:<9} {right / scored if scored else 1:.3f}  ({right}/{scored})")
        print(f"  agency values failing the shape rule: {len(misshapen)}")
        if verbose:
            for line in misses:
                print("   miss", line)


if __name__ == "__main__":
    main()
