"""Metadata on the forms that failed on unseen real pages (tests/data/metadata/realforms2.toml).

One case or more per kind: a sentence naming the report is no title; a news item's or an
interpretation's headline is; which portal header field names the author; bare 镇/管理区 names;
the author's own place; the year a text is about; the type by the document's form.
Every field a case gives is checked; an empty value means the text does not state it.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from metadata_accuracy import _agrees, _title_key, extracted, realforms2_cases  # noqa: E402

from indexer.ingest.agency import is_agency_name  # noqa: E402

CASES = {case.id: case for case in realforms2_cases()}


def test_the_set_covers_every_kind():
    kinds = {key.split("-")[1] for key in CASES}
    assert len(CASES) >= 25
    assert {"news", "interpretation", "sentence", "year", "bare", "speech", "untitled", "guard"} <= kinds


@pytest.mark.parametrize("key", sorted(CASES))
def test_case(key):
    case = CASES[key]
    got = extracted(case)
    want = case.expected
    assert _title_key(str(got["title"])) == _title_key(str(want["title"])), got["title"]
    if want["agency"]:
        assert _agrees("agency", want["agency"], "、".join(got["agencies"])), got["agencies"]
    else:
        assert got["agencies"] == [], got["agencies"]
    assert all(is_agency_name(a) for a in got["agencies"])
    if "region" in want:
        assert got["region"] == want["region"]
    assert got["year"] == want.get("year"), got["year"]  # no year stated: none given
    if "doc_type" in want:
        assert got["doc_type"] == want["doc_type"]
