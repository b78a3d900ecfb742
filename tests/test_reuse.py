"""Text reuse on a corpus with a template paragraph copied whole, with a sentence changed and with
its numbers changed: the copies found at build time (MinHash) against the exact Jaccard similarity
of every pair of passages, computed here by brute force; kept up to date by add and remove."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from research_reports import COPIES, TEMPLATE, write_corpus

from indexer import build_index, open_index
from indexer.cli import cli
from indexer.config import REUSE_MIN_CHARS, REUSE_SHINGLE, REUSE_SIMILARITY
from indexer.index.reuse import clusters, reuse_text, signatures
from indexer.index.update import update_index


def shingles(text: str) -> set[str]:
    key = reuse_text(text)
    return {key[i:i + REUSE_SHINGLE] for i in range(len(key) - REUSE_SHINGLE + 1)} if len(key) >= REUSE_MIN_CHARS else set()


def brute_force(index) -> dict[str, dict[str, float]]:
    """Every passage → the passages of other reports whose exact Jaccard similarity is ≥ the threshold."""
    passages = [(r["doc_id"], s) for r in index.reports() for s in (index.document(r["doc_id"]).sections)]
    sets = {f"{d}-{s.ordinal:03d}": (d, shingles(s.body)) for d, s in passages}
    out: dict[str, dict[str, float]] = {pid: {} for pid in sets}
    for (a, (da, sa)), (b, (db, sb)) in combinations(sets.items(), 2):
        if da != db and sa and sb:
            j = len(sa & sb) / len(sa | sb)
            if j >= REUSE_SIMILARITY:
                out[a][b] = out[b][a] = j
    return out, sets


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    src, ix = write_corpus(tmp_path / "src"), tmp_path / "ix"
    build_index([src], ix)
    return src, ix


def test_copies_match_the_exact_similarity_of_every_pair(corpus):
    index = open_index(corpus[1])
    expected, sets = brute_force(index)
    for a, b in combinations([p for p, (_, s) in sets.items() if s], 2):
        j = len(sets[a][1] & sets[b][1]) / len(sets[a][1] | sets[b][1])
        assert not 0.4 < j < 0.6, (a, b, j)  # no pair near the threshold: the estimate cannot flip one
    for pid, want in expected.items():
        got = index.reuse(pid)
        assert {c.passage_id: c.similarity for c in got.copies}.keys() == want.keys(), pid
        for c in got.copies:
            assert abs(c.similarity - want[c.passage_id]) < 0.15
        assert index.copy_counts([pid])[pid] == len({p.rpartition("-")[0] for p in want})
    template_rows = [pid for pid, (_, s) in sets.items() if s == shingles(TEMPLATE)]
    holders = {index.report(p.rpartition("-")[0])["file"] for p in expected[template_rows[0]]} | {
        index.report(template_rows[0].rpartition("-")[0])["file"]}
    assert holders == COPIES  # whole, one sentence changed, numbers changed: all four
    among = index.copies_among([template_rows[0], *expected[template_rows[0]], f"{template_rows[0][:-3]}999"])
    assert among[template_rows[0]] == set(expected[template_rows[0]]) and len(among) == len(COPIES)
    capped = index.reuse(template_rows[0], limit=1)
    assert len(capped.copies) == 1 and capped.total == capped.reports == len(COPIES) - 1
    assert capped.copies[0].similarity == max(expected[template_rows[0]].values())
    index.close()


def test_add_and_remove_keep_the_copies_up_to_date(corpus):
    src, ix = corpus
    (src / "new_copy.txt").write_text(
        f"清远市行政审批局2023年度行政许可实施和监督管理情况报告\n一、监督管理\n{TEMPLATE.replace('120次', '64次')}\n",
        encoding="utf-8")
    update_index([src], ix, add=[src / "new_copy.txt"])
    index = open_index(ix)
    new_doc = next(r["doc_id"] for r in index.reports() if r["file"] == "new_copy.txt")
    shaoguan = next(r for r in index.reports() if r["file"] == "shaoguan_2021.txt")
    copies = index.reuse(f"{shaoguan['doc_id']}-001").copies
    assert any(c.doc_id == new_doc and c.similarity == 1.0 for c in copies)
    assert index.copy_counts([f"{new_doc}-000"])[f"{new_doc}-000"] == len(COPIES)
    index.close()
    update_index([src], ix, remove=["new_copy.txt"])
    index = open_index(ix)
    assert all(c.doc_id != new_doc for c in index.reuse(f"{shaoguan['doc_id']}-001").copies)
    assert index.copy_counts([f"{shaoguan['doc_id']}-001"])[f"{shaoguan['doc_id']}-001"] == len(COPIES) - 1
    index.close()


def test_signatures_and_groups_on_their_own():
    texts = [reuse_text(TEMPLATE), reuse_text(TEMPLATE.replace("120", "7")), reuse_text("短句。"), reuse_text(
        "对重点排污单位开展执法检查，推动企业落实污染防治主体责任，全年未发生较大环境污染事件，群众满意度持续提升。")]
    sig = signatures(texts)
    assert (sig[0] == sig[1]).all() and not sig[2].any() and (sig[0] != sig[3]).mean() > 0.9
    assert list(clusters(sig)) == [0, 0, -1, -1]
    assert clusters(np.zeros((3, sig.shape[1]), np.uint32)).tolist() == [-1, -1, -1]


def test_cli_json_is_the_api_json_and_bad_ids_are_refused(corpus):
    from webapp import create_app

    index = open_index(corpus[1])
    pid = next(f"{r['doc_id']}-001" for r in index.reports() if r["file"] == "jiangmen_2021.txt")
    index.close()
    out = CliRunner().invoke(cli, ["reuse", pid, "--index", str(corpus[1]), "--json"])
    assert out.exit_code == 0, out.output
    client = create_app({"TESTING": True, "INDEX_DIR": str(corpus[1]), "BUILD_IF_MISSING": False}).test_client()
    api = client.get(f"/api/reuse?passage={pid}").get_json()
    assert json.loads(out.output) == api and api["passage_id"] == pid and len(api["copies"]) == len(COPIES) - 1
    assert {"passage_id", "doc_id", "agency", "year", "similarity"} <= set(api["copies"][0])
    assert client.get("/api/reuse?passage=<script>").status_code == 400
    assert client.get(f"/api/reuse?passage={pid[:-3]}999").status_code == 404
    assert CliRunner().invoke(cli, ["reuse", "nope", "--index", str(corpus[1])]).exit_code != 0
