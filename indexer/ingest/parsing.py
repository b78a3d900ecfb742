"""A decoded source file → a Report: front matter, sections, metadata, measures."""

from __future__ import annotations

from indexer.ingest.conventions import LEVEL1, LEVEL2
from indexer.ingest.frontmatter import read_front_matter, strip_glosses
from indexer.ingest.measures import find_measures
from indexer.ingest.metadata import extract_metadata
from indexer.ingest.reading import ReadError, SourceText
from indexer.ingest.sections import split_sections
from indexer.models import Report, Section
from indexer.text.normalize import clean_whitespace, fold


def body_start(lines: list[str]) -> int:
    """Index of the first line of the body proper: a heading, or the first prose line."""
    for i, raw in enumerate(lines):
        line = clean_whitespace(raw)
        folded = fold(line)
        if LEVEL1.match(folded) or LEVEL2.match(folded) or ("。" in line and len(line) > 40):
            return i
    return len(lines)


def parse_report(source: SourceText) -> Report:
    """Split and describe one report; raises ReadError if it holds no text."""
    lines = source.text.split("\n")
    start = min(body_start(lines), *source.headings, len(lines))
    front = read_front_matter([strip_glosses(line) for line in lines], start)  # metadata: glosses dropped
    kept = [i for i in range(len(lines)) if i not in front.skip_lines]
    body = [lines[i] for i in kept]
    raw_sections = split_sections(body, explicit={j: source.headings[i] for j, i in enumerate(kept)
                                                  if i in source.headings})
    if not raw_sections:
        raise ReadError("没有可索引的正文")
    # The opening: the preamble, or the first bodies when the report starts with a heading.
    head = raw_sections[0].body if raw_sections[0].depth == 0 else "\n".join(s.body for s in raw_sections[:3])
    opening = "\n".join(f"{s.heading}\n{s.body}" for s in raw_sections[:6])[:4000]
    meta = extract_metadata(front, strip_glosses(head), strip_glosses(opening))
    sections = tuple(
        Section(
            ordinal=i,
            heading=raw.heading,
            path=raw.path,
            depth=raw.depth,
            section_type=raw.section_type,
            body=raw.body,
            measures=find_measures(f"{raw.heading}\n{raw.body}", *([meta.title] if i == 0 and meta.title else [])),
            # ^ the title is searched with the first section, so it tags that section too
        )
        for i, raw in enumerate(raw_sections)
    )
    return Report(
        doc_id=source.digest[:16],
        file=source.name,
        title=meta.title,  # "" when the report states none: the file name is not a title
        agency=meta.agency,
        region=meta.region,
        region_parts=meta.region_parts,
        year=meta.year,
        doc_type=meta.doc_type,
        agencies=meta.agencies,
        published=meta.published,
        source_url=meta.source_url,
        sections=sections,
        agency_forms=meta.agency_forms,
        provenance=meta.provenance,
    )
