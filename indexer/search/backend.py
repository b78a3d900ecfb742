"""The seam between the research pages, the web app, the CLI and a search backend, as Protocols.

`SearchIndex` (whoosh postings, mapped arrays, one generation on one machine) implements
`SearchBackend`; a second backend (OpenSearch, or shards of this one scattered and gathered)
would implement the same two Protocols and keep the JSON contract, since every record that
crosses the seam (`SearchResult`, `MatchSet`, `Hit`, `Report`) is defined in `indexer.models`.

A request is evaluated once: `prepare(request)` returns a `Prepared` from which the page,
every match (matrix, side-by-side view, charts, export) and any passages' highlights are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from indexer.ingest.facts import ReportFigures
from indexer.models import Hit, MatchSet, Report, Reuse, SearchRequest, SearchResult, SortOrder


@runtime_checkable
class Prepared(Protocol):
    """One request, parsed and evaluated once."""

    def result(self) -> SearchResult:
        """The request's page: ranked (grouped if asked), with facets and highlights."""
        ...

    def matches(self, sort: SortOrder | None = None, related: bool = False) -> MatchSet:
        """Every section matching with exact evidence (`related`: near matches too), by report,
        best report first (or by year)."""
        ...

    def hits(self, ids: Sequence[str]) -> list[Hit]:
        """The given passages (`<doc_id>-<ordinal>`) highlighted for the request."""
        ...


@runtime_checkable
class SearchBackend(Protocol):
    """One searchable state of the corpus (a generation)."""

    generation: str
    serves_for: str  # the live generation it answers for (itself, or a damaged one it stands in for)
    warnings: list[str]
    measure_names: list[str]  # the taxonomy and section types it was built with
    section_types: list[str]

    def prepare(self, request: SearchRequest) -> Prepared: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def matches(self, request: SearchRequest, related: bool = False) -> MatchSet: ...

    def hits(self, request: SearchRequest, ids: Sequence[str]) -> list[Hit]: ...

    def report_ids(self, request: SearchRequest) -> list[str]: ...

    def reuse(self, passage_id: str, limit: int | None = None) -> Reuse | None: ...

    def copy_counts(self, passage_ids: Sequence[str]) -> dict[str, int]: ...

    def copies_among(self, passage_ids: Sequence[str]) -> dict[str, set[str]]: ...

    def document(self, doc_id: str) -> Report | None: ...

    def report(self, doc_id: str) -> dict[str, Any] | None: ...

    def reports(self) -> list[dict[str, Any]]: ...

    def figures(self) -> list[ReportFigures]: ...

    def is_stale(self) -> bool: ...

    @property
    def measure_counts(self) -> tuple[dict[str, int], dict[str, int]]: ...

    def recent_queries(self) -> list[str]: ...

    def warm(self, texts: Sequence[str] = ()) -> None: ...

    def close(self) -> None: ...
