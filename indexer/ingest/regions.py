"""Where an agency belongs: province › city › county, from a gazetteer in data/regions.tsv."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from indexer.config import REGIONS_FILE
from indexer.text.normalize import fold

DIRECT = ("省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True)
class Region:
    """A resolved place; empty strings for levels not known."""

    province: str = ""
    city: str = ""
    county: str = ""

    @property
    def name(self) -> str:
        """Full name without repeats: 广东省广州市花都区, 北京市朝阳区."""
        parts = [self.province]
        if self.city and self.city != self.province and self.city not in DIRECT:
            parts.append(self.city)
        parts.append(self.county)
        return "".join(p for p in parts if p)

    @property
    def parts(self) -> tuple[str, ...]:
        """Every level and every prefix of the name, for filtering by any of them."""
        levels = [p for p in (self.province, self.city, self.county) if p and p not in DIRECT]
        prefixes = ["".join(dict.fromkeys(levels[: i + 1])) for i in range(len(levels))]
        return tuple(dict.fromkeys(levels + prefixes))


@dataclass(frozen=True)
class _Gazetteer:
    city_province: dict[str, str]
    counties: dict[str, tuple[tuple[str, str], ...]]  # county → ((province, city), ...)
    provinces: frozenset[str]
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    city_province: dict[str, str] = {}
    counties: dict[str, list[tuple[str, str]]] = {}
    provinces: set[str] = set()
    with REGIONS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            province, city, county = row["province"], row["city"], row["county"]
            provinces.add(province)
            if city and not county and city not in DIRECT:
                city_province[city] = province
            if county:
                counties.setdefault(county, []).append((province, city))
    names = sorted(provinces | set(city_province) | set(counties), key=len, reverse=True)
    return _Gazetteer(
        city_province,
        {k: tuple(v) for k, v in counties.items()},
        frozenset(provinces),
        re.compile("|".join(map(re.escape, names))),
    )


def find_region(text: str) -> Region:
    """The place named in `text` (an agency name, a title): 广州市公安局海珠区分局 → 广东省广州市海珠区."""
    gaz = _gazetteer()
    province = city = county = ""
    for match in gaz.pattern.finditer(fold(text)):
        name = match.group()
        if name in gaz.provinces and not province and not city:
            province = name
            if name in gaz.city_province:  # municipality: 北京市 is also its own city
                city = name
        elif name in gaz.city_province and not city:
            if province and gaz.city_province[name] != province:
                continue
            city, province = name, gaz.city_province[name]
        elif name in gaz.counties and not county:
            places = [
                p for p in gaz.counties[name]
                if (not city or p[1] == city) and (not province or p[0] == province)
            ]
            # A bare county name is trusted only when it is unambiguous and not tiny (城区), or opens the
            # name it is in (高县行政审批局).
            if len(places) == 1 and (city or province or len(name) > 2 or match.start() == 0):
                province, city = places[0]
                county = name
    return Region(province, city, county)


def place_at(text: str, start: int) -> str:
    """The gazetteer place name (province, city or county) that begins at `start` in folded text."""
    m = _gazetteer().pattern.match(text, start)
    return m.group() if m else ""


def names_place(text: str) -> bool:
    """Does the (folded) text name any place of the gazetteer?"""
    return bool(_gazetteer().pattern.search(text))


# A clause about a pilot or model place ("在湄潭县开展…试点"): a place the text speaks of, not from.
PILOT_CLAUSE = re.compile(r"[^，,。；;\n]*(?:试点|示范区|示范县|示范市|示范点)[^，,。；;\n]*")


@lru_cache(maxsize=8)
def region_in_text(text: str) -> Region:
    """The place a text speaks from when no author's name says it: the place it names most often
    (a tie goes to the more specific one), placed under the city or province it also names, and
    the one place it names inside that one, if only one; places named as pilots do not count."""
    gaz = _gazetteer()
    folded = fold(text)
    if "试点" in folded or "示范" in folded:
        folded = PILOT_CLAUSE.sub(" ", folded)
    counts = Counter(m.group() for m in gaz.pattern.finditer(folded))
    named = {name for name in counts if name in gaz.provinces or name in gaz.city_province}

    def resolved(name: str) -> Region:
        if name in gaz.counties and name not in gaz.city_province:
            places = gaz.counties[name]
            near = [p for p in places if p[0] in named or p[1] in named]
            chosen = near if near else (places if len(places) == 1 and len(name) > 2 else ())
            return Region(chosen[0][0], chosen[0][1], name) if len(set(chosen)) == 1 else Region()
        if name in gaz.city_province:
            return Region(gaz.city_province[name], name, "")
        return Region(name, "", "")

    found = [(count, _depth(r), r) for name, count in counts.items() if (r := resolved(name)).name]
    if not found:
        return Region()
    best = max(found, key=lambda f: (f[0], f[1]))[2]
    # A text speaks from the one place it names inside the upper levels it also names (a district's
    # report cites its province's rules and its city's bodies): go down while one place is named
    # there, more than in passing (twice, or as often as the level above).
    times = {r: count for count, _, r in found}
    while below := {r for r in times if _inside(r, best)}:
        nearest = {r for r in below if _depth(r) == min(map(_depth, below))}
        if len(nearest) != 1 or (times[lower := next(iter(nearest))] < 2 and times[lower] < times[best]):
            break
        best = lower
    return best


def _depth(region: Region) -> int:
    return bool(region.county) + bool(region.city)


def _inside(region: Region, outer: Region) -> bool:
    """Does `region` lie strictly inside `outer`?"""
    return (_depth(region) > _depth(outer) and region.province == outer.province
            and (not outer.city or region.city == outer.city) and not outer.county)
