"""The whoosh schema: one document per section, carrying its report's metadata."""

from __future__ import annotations

from whoosh import fields

from .analysis import bigram_analyzer, word_analyzer

# Field names, used everywhere instead of string literals.
ID = "id"  # passage id: <doc_id>-<ordinal>
DOC_ID = "doc_id"
ORDINAL = "ordinal"
FILE = "file"
TITLE = "title"
AGENCY = "agency"
REGION = "region"
REGION_PARTS = "region_parts"  # every level of the region, for filtering by 广州市 or 花都区
YEAR = "year"
DOC_TYPE = "doc_type"
SECTION_TYPE = "section_type"
MEASURE = "measure"
MEASURE_KEY = "measure_key"  # the measures joined by "|", a column for fast facet counts
HEADING = "heading"
PATH = "path"
BODY = "body"
WORDS = "words"
GRAMS = "grams"

# Facets in display order; the request parameter has the same name.
FACETS: tuple[str, ...] = (MEASURE, AGENCY, REGION, YEAR, DOC_TYPE, SECTION_TYPE)
NO_YEAR = 0  # stored for reports whose year could not be found


def build_schema() -> fields.Schema:
    """A new schema (the analyzers are pickled into the index with it)."""
    return fields.Schema(
        **{
            ID: fields.ID(stored=True, unique=True),
            DOC_ID: fields.ID(stored=True, sortable=True),
            ORDINAL: fields.NUMERIC(stored=True, sortable=True),
            FILE: fields.STORED(),
            TITLE: fields.STORED(),
            AGENCY: fields.ID(stored=True, sortable=True),
            REGION: fields.ID(stored=True, sortable=True),
            REGION_PARTS: fields.KEYWORD(commas=True),
            YEAR: fields.NUMERIC(stored=True, sortable=True, signed=False),
            DOC_TYPE: fields.ID(stored=True, sortable=True),
            SECTION_TYPE: fields.ID(stored=True, sortable=True),
            MEASURE: fields.KEYWORD(commas=True, stored=True),
            MEASURE_KEY: fields.ID(sortable=True),
            HEADING: fields.STORED(),
            PATH: fields.STORED(),
            BODY: fields.STORED(),
            WORDS: fields.TEXT(analyzer=word_analyzer(), phrase=True),  # type: ignore[arg-type]
            GRAMS: fields.TEXT(analyzer=bigram_analyzer(), phrase=True, field_boost=0.5),  # type: ignore[arg-type]
        }
    )
