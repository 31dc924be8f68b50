"""Year over year: the notices of one region in consecutive years, compared unit by unit.

What is compared. A notice is read here as a Reading: its region and plan year and its units, each unit being a
name (org_normalized, squeezed) with its bracketed note, and its target the sum of its item rows in the notice's
target tables. Several notices of one region and year are usually one notice read from several files (PDF, Word,
a scan …): the reading most of them agree on is taken, its notice being the one with the fewest findings; when no
reading is shared by more notices than any other, that year is not compared and the report says so. Notices read
in this run come first: a year this run read is never taken from the database of an earlier run.

How a unit is found in the next year (changes.csv's match column, and how sure it is, its certainty), in order:
the same name (sure); a rename rule of rules.toml [changes] renames, such as 卫计委 → 卫健委 (sure: the rule says so);
the same place once an administrative suffix is dropped, 甲镇 / 甲镇人民政府 / 甲街道 ([checks] org_suffix; sure);
and, inferred, the same figure in the same place of the table, between the same two units found in both years
(likely). Each of the last three pairs a unit gone with a unit that came only when neither has another candidate:
otherwise both stay, one dropped and one new. Nothing is guessed beyond these, and every rename is also a
year-change finding that says how it was made.

Two notices are compared only when enough of their units have the same name ([changes] min_shared); with fewer
they are not one series, and the report says how many units they share instead of listing them all as dropped
and new. Only consecutive years are compared (2023 and 2025 with no 2024 are not a pair).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Iterable, Optional

from ..findings import make, sort_key, with_keys
from ..records import Notice
from ..reviews import RUN_CODES, accept
from ..rules import rules, squeeze

STATUS_ORDER = ("changed", "renamed", "new", "dropped")


@dataclass(frozen=True)
class Unit:
    """A unit of one notice: its name and note as printed, its key, its target and its first row."""

    key: tuple[str, str]
    org: str
    org_note: str
    portions: Optional[int]
    table_id: str
    row_no: Optional[int]
    page: Optional[int] = None


@dataclass(frozen=True)
class Reading:
    """A notice as the comparison sees it: region, plan year and units in table order."""

    notice_id: str
    region: str
    year: int
    errors: int
    warnings: int
    units: tuple[Unit, ...]
    in_run: bool = True

    @property
    def region_key(self) -> str:
        """The region as compared between years: whitespace and punctuation left out."""
        return squeeze(self.region)

    @property
    def content(self) -> tuple:
        """What two readings of one notice share: every unit and its target."""
        return tuple(sorted((u.key, u.portions if u.portions is not None else -1) for u in self.units))


@dataclass(frozen=True)
class Change:
    """A row of changes.csv, with where the unit is in each notice (for its finding)."""

    region: str
    org: str
    org_note: str
    year_before: int
    year_after: int
    portions_before: Optional[int]
    portions_after: Optional[int]
    status: str
    notice_id_before: str
    notice_id_after: str
    org_before: str = ""
    match: str = ""
    certainty: str = ""
    before: Optional[Unit] = None
    after: Optional[Unit] = None

    @property
    def delta(self) -> Optional[int]:
        """after − before, a unit absent counting as 0; None when a figure is unknown."""
        if self.status == "new":
            return self.portions_after
        if self.status == "dropped":
            return None if self.portions_before is None else -self.portions_before
        if self.portions_before is None or self.portions_after is None:
            return None
        return self.portions_after - self.portions_before

    def record(self) -> dict:
        """The change as a row of changes.csv (and of the changes table of the database)."""
        return dict(region=self.region, org=self.org, year_before=self.year_before, year_after=self.year_after,
                    portions_before=self.portions_before, portions_after=self.portions_after, delta=self.delta,
                    status=self.status, notice_id_before=self.notice_id_before,
                    notice_id_after=self.notice_id_after, org_note=self.org_note, org_before=self.org_before,
                    match=self.match, certainty=self.certainty)


@dataclass(frozen=True)
class Pair:
    """Two consecutive years of a region: compared, or why not (too few units in common)."""

    before: Reading
    after: Reading
    shared: int
    compared: bool
    changes: tuple[Change, ...] = ()
    matches: tuple[tuple[Unit, Unit, str], ...] = ()


@dataclass(frozen=True)
class Series:
    """One unit's target in each year of its region (None where it has none), named as in its last year."""

    org: str
    org_note: str
    units: tuple[Optional[Unit], ...]

    @property
    def values(self) -> tuple[Optional[int], ...]:
        """The unit's target in each year of the region's series (None: not in that year's notice)."""
        return tuple(u.portions if u is not None else None for u in self.units)


@dataclass(frozen=True)
class Region:
    """A region's years: the reading taken for each, the notices that agreed with it or not, the pairs compared."""

    region: str
    years: tuple[int, ...]
    chosen: dict
    same: dict          # year -> notice ids read as the same notice as the chosen one
    differing: dict     # year -> notice ids whose reading differs (not taken)
    undecided: dict     # year -> notice ids: no reading shared by more of them than any other; not compared
    pairs: tuple[Pair, ...]
    series: tuple[Series, ...]

    def series_of(self, c: Change) -> Optional[Series]:
        """The unit of a change, year by year."""
        unit = c.after if c.after is not None else c.before
        return next((s for s in self.series if unit in s.units), None)


@dataclass(frozen=True)
class YearOverYear:
    """Every region read in more than one year, with the changes between each pair of consecutive years."""
    regions: tuple[Region, ...] = ()

    @property
    def changes(self) -> list[Change]:
        return [c for r in self.regions for p in r.pairs for c in p.changes]

    def records(self) -> list[dict]:
        """Every change as a row of changes.csv."""
        return [c.record() for c in self.changes]


# ------------------------------------------------------------------------------------------------ readings


def unit_key(org: str, org_normalized: str, org_note: str) -> tuple[str, str]:
    """What makes two rows of different years the same unit: its normalised name and its note, without spaces."""
    return squeeze(org_normalized or org), squeeze(org_note)


def units_of(rows: Iterable[tuple]) -> tuple[Unit, ...]:
    """Units from item rows (table_id, row_no, org, org_note, org_normalized, portions, page) in table order: a
    name printed twice is one unit whose target is the sum of its rows."""
    found: dict[tuple[str, str], Unit] = {}
    for table_id, row_no, org, note, normalized, portions, page in rows:
        key = unit_key(org or "", normalized or "", note or "")
        if not key[0]:
            continue
        u = found.get(key)
        if u is None:
            found[key] = Unit(key, org or "", note or "", portions, table_id or "", row_no, page)
        elif portions is not None:
            found[key] = replace(u, portions=portions + (u.portions or 0))
    return tuple(found.values())


def reading(n: Notice, in_run: bool = True) -> Optional[Reading]:
    """A notice's reading, or None when it has no region, no year or no unit with a target table row."""
    f = n.facts
    if not n.readable or not f.region or f.year is None:
        return None
    units = units_of((t.table_id, r.row_no, r.org, r.org_note, r.org_normalized, r.portions, r.source.page)
                     for t in n.tables if t.kind == "allocation" for r in t.items)
    if not units:
        return None
    return Reading(n.notice_id, f.region, f.year, n.count("error"), n.count("warning"), units, in_run)


def readings_from_rows(notices: Iterable[dict], allocations: Iterable[dict]) -> list[Reading]:
    """Readings of notices kept in an earlier run's database: its notices and allocations rows as dicts."""
    rows: dict[str, list[tuple]] = {}
    for a in allocations:
        if a.get("row_type") == "item":
            rows.setdefault(a.get("notice_id"), []).append(
                (a.get("table_id"), a.get("row_no"), a.get("org"), a.get("org_note"), a.get("org_normalized"),
                 _int(a.get("portions")), _int(a.get("page"))))
    out = []
    for n in notices:
        year = n.get("year")
        units = units_of(rows.get(n.get("notice_id"), ()))
        if n.get("region") and isinstance(year, int) and units and not n.get("unreadable_reason"):
            out.append(Reading(str(n["notice_id"]), str(n["region"]), year, _count(n.get("errors")),
                               _count(n.get("warnings")), units, in_run=False))
    return out


def _count(v) -> int:
    return v if isinstance(v, int) else 0


def _int(v) -> Optional[int]:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def pick(found: list[Reading]) -> tuple[Optional[Reading], list[str], list[str]]:
    """The reading taken for one region and year, the notices read the same, and the others. Readings of this run
    are preferred to kept ones. (None, [], every id) when no reading is shared by more notices than any other."""
    current = [r for r in found if r.in_run] or found
    groups: dict[tuple, list[Reading]] = {}
    for r in current:
        groups.setdefault(r.content, []).append(r)
    sizes = sorted((len(g) for g in groups.values()), reverse=True)
    if len(sizes) > 1 and sizes[0] == sizes[1]:
        return None, [], sorted(r.notice_id for r in current)
    group = max(groups.values(), key=len)
    best = min(group, key=lambda r: (r.errors, r.warnings, r.notice_id))
    same = sorted(r.notice_id for r in group if r is not best)
    other = sorted(r.notice_id for r in current if r.content != best.content)
    return best, same, other


# ------------------------------------------------------------------------------------------------ matching


def _one_to_one(left: list[Unit], right: list[Unit], keys_of_left, key_of_right) -> list[tuple[Unit, Unit]]:
    """Pairs (l, r) where r's key is one of l's keys, l has no other candidate and r no other claimant."""
    by_key: dict = {}
    for r in right:
        k = key_of_right(r)
        if k is not None:
            by_key.setdefault(k, []).append(r)
    claims: dict[int, list[Unit]] = {}
    candidates: dict[int, list[Unit]] = {}
    for l in left:
        found = {id(r): r for k in keys_of_left(l) for r in by_key.get(k, ())}
        candidates[id(l)] = list(found.values())
        for r in found.values():
            claims.setdefault(id(r), []).append(l)
    return [(l, candidates[id(l)][0]) for l in left
            if len(candidates[id(l)]) == 1 and len(claims[id(candidates[id(l)][0])]) == 1]


def _renamed_keys(u: Unit) -> list[tuple[str, str]]:
    name, note = u.key
    return [(name.replace(old, new), note) for old, new in rules().changes.renames if old in name]


def _place(u: Unit) -> Optional[tuple[str, str]]:
    stem = rules().org_suffix.sub("", u.key[0])
    return (stem, u.key[1]) if len(stem) >= 2 and stem != u.key[0] else None


def _place_keys(u: Unit) -> list:
    k = _place(u)
    return [k] if k else []


def _slots(units: tuple[Unit, ...], pair_of: dict[int, int]) -> dict[int, tuple]:
    """For each unit not yet paired: the pairs found just before and just after it in its notice's order."""
    out: dict[int, tuple] = {}
    last = None
    waiting: list[Unit] = []
    for u in units:
        if id(u) in pair_of:
            for w in waiting:
                out[id(w)] = (last, pair_of[id(u)])
            waiting, last = [], pair_of[id(u)]
        else:
            waiting.append(u)
    for w in waiting:
        out[id(w)] = (last, None)
    return out


def match(before: Reading, after: Reading) -> list[tuple[Unit, Unit, str]]:
    """(unit before, unit after, how) for every unit found in both years: by name, then the other ways in turn."""
    by_key = {u.key: u for u in after.units}
    found = [(b, by_key[b.key], "name") for b in before.units if b.key in by_key]
    steps = (("rename-rule", _renamed_keys, lambda u: u.key), ("same-place", _place_keys, _place))
    for how, keys_of, key_of in steps:
        gone, came = _unpaired(before, after, found)
        found += [(b, a, how) for b, a in _one_to_one(gone, came, keys_of, key_of)]
    gone, came = _unpaired(before, after, found)
    slot_b = _slots(before.units, {id(b): i for i, (b, _, _) in enumerate(found)})
    slot_a = _slots(after.units, {id(a): i for i, (_, a, _) in enumerate(found)})
    same = _one_to_one(gone, came, lambda b: [(slot_b[id(b)], b.portions)] if b.portions is not None else [],
                       lambda a: (slot_a[id(a)], a.portions) if a.portions is not None else None)
    return found + [(b, a, "same-slot") for b, a in same]


def _unpaired(before: Reading, after: Reading, found) -> tuple[list[Unit], list[Unit]]:
    used_b = {id(b) for b, _, _ in found}
    used_a = {id(a) for _, a, _ in found}
    return [u for u in before.units if id(u) not in used_b], [u for u in after.units if id(u) not in used_a]


# ------------------------------------------------------------------------------------------------ comparing


def compare_pair(region: str, before: Reading, after: Reading) -> Pair:
    """Two consecutive years of a region, unit by unit: the changes, in the order of the later notice (the units
    dropped after them, in the order of the earlier)."""
    c = rules().changes
    names_b = {u.key for u in before.units}
    shared = sum(1 for u in after.units if u.key in names_b)
    if shared < c.min_shared * max(len(before.units), len(after.units)):
        return Pair(before, after, shared, compared=False)
    found = match(before, after)
    by_after = {id(a): (b, how) for b, a, how in found}
    paired_b = {id(b) for b, _, _ in found}
    base = dict(region=region, year_before=before.year, year_after=after.year,
                notice_id_before=before.notice_id, notice_id_after=after.notice_id)
    out = []
    for a in after.units:
        if id(a) not in by_after:
            out.append(Change(org=a.org, org_note=a.org_note, portions_before=None, portions_after=a.portions,
                              status="new", after=a, **base))
            continue
        b, how = by_after[id(a)]
        if how == "name" and b.portions == a.portions:
            continue
        out.append(Change(org=a.org, org_note=a.org_note, portions_before=b.portions, portions_after=a.portions,
                          status="changed" if how == "name" else "renamed", org_before=b.org if how != "name" else "",
                          match=how, certainty=c.certainty[how], before=b, after=a, **base))
    out += [Change(org=b.org, org_note=b.org_note, portions_before=b.portions, portions_after=None,
                   status="dropped", before=b, **base) for b in before.units if id(b) not in paired_b]
    return Pair(before, after, shared, True, tuple(out), tuple(found))


def compare(current: Iterable[Notice], kept: Iterable[Reading] = ()) -> YearOverYear:
    """Every region with notices in consecutive years, among the notices of this run and those kept from earlier
    runs (readings_from_rows)."""
    by_region: dict[str, dict[int, list[Reading]]] = {}
    for r in [x for x in (reading(n) for n in current) if x] + list(kept):
        by_region.setdefault(r.region_key, {}).setdefault(r.year, []).append(r)
    regions = []
    for key in sorted(by_region):
        years = by_region[key]
        if not any(y + 1 in years for y in years):
            continue
        regions.append(_region(years))
    return YearOverYear(tuple(regions))


def _region(years: dict[int, list[Reading]]) -> Region:
    chosen, same, differing, undecided = {}, {}, {}, {}
    for y in sorted(years):
        best, alike, other = pick(years[y])
        if best is None:
            undecided[y] = tuple(other)
            continue
        chosen[y] = best
        if alike:
            same[y] = tuple(alike)
        if other:
            differing[y] = tuple(other)
    name = chosen[max(chosen)].region if chosen else next(iter(years.values()))[0].region
    pairs = tuple(compare_pair(name, chosen[y], chosen[y + 1]) for y in sorted(chosen) if y + 1 in chosen)
    return Region(name, tuple(sorted(chosen)), chosen, same, differing, undecided, pairs, _series(chosen, pairs))


def _series(chosen: dict[int, Reading], pairs: tuple[Pair, ...]) -> tuple[Series, ...]:
    """Each unit's target by year: a unit followed from year to year by the matches of each pair compared, and
    by its name across a year not compared."""
    years = sorted(chosen)
    if not years:                           # no year of the region could be decided: nothing to follow
        return ()
    compared = {p.before.year: p for p in pairs if p.compared}
    chains: list[dict[int, Unit]] = []
    current: dict[tuple, int] = {}          # unit key in the year before -> chain
    for i, y in enumerate(years):
        followed: dict[int, int] = {}
        p = compared.get(years[i - 1]) if i and years[i - 1] == y - 1 else None
        if p is not None:
            followed = {id(a): current[b.key] for b, a, _ in p.matches if b.key in current}
        nxt: dict[tuple, int] = {}
        for u in chosen[y].units:
            k = followed.get(id(u)) if p is not None else current.get(u.key)
            if k is None or y in chains[k]:
                chains.append({})
                k = len(chains) - 1
            chains[k][y] = u
            nxt[u.key] = k
        current = nxt
    last = years[-1]
    pos = {id(u): i for i, u in enumerate(chosen[last].units)}
    chains.sort(key=lambda ch: (0, pos[id(ch[last])]) if last in ch else (1, -max(ch)))   # the last year's first
    return tuple(Series(ch[max(ch)].org, ch[max(ch)].org_note, tuple(ch.get(y) for y in years)) for ch in chains)


# ------------------------------------------------------------------------------------------------ findings


def with_findings(notices: list[Notice], yoy: YearOverYear, decisions=None) -> list[Notice]:
    """The notices of this run, each with a year-change finding (info) for every unit of it whose target moved by
    more than [changes] moved_share, that is gone, or that was renamed. A pair's findings go to its later notice,
    or to its earlier one when the later was kept from an earlier run (which wrote its findings then). The
    reviewer's acceptances of year-change findings (`decisions`, reviews.Reviews) are applied to them here, and
    one that names none is a stale-review finding."""
    found: dict[str, list] = {}
    for region in yoy.regions:
        for p in region.pairs:
            target = p.after if p.after.in_run else (p.before if p.before.in_run else None)
            if target is None:
                continue
            for c in p.changes:
                f = year_finding(c, on_after=target is p.after)
                if f is not None:
                    found.setdefault(target.notice_id, []).append(f)
    out = []
    for n in notices:
        new = found.get(n.notice_id, [])
        accepts = [a for a in decisions.for_notice(n.notice_id)[0] if a.code in RUN_CODES] \
            if decisions and n.readable else []
        if new or accepts:
            keyed = with_keys(accept(with_keys(new, n.notice_id, after=n.findings), accepts), n.notice_id,
                              after=n.findings)
            n = replace(n, findings=tuple(sorted(list(n.findings) + keyed, key=sort_key)))
        out.append(n)
    return out


def year_finding(c: Change, on_after: bool):
    """The year-change finding a change makes (None when it makes none), placed at the unit's row in the notice
    it is made on."""
    rule = rules().changes
    unit = c.after if on_after else c.before
    where = dict(table_id=unit.table_id, row_no=unit.row_no, page=unit.page) if unit is not None else {}
    values = dict(org=c.org, year_before=c.year_before, year_after=c.year_after, expected=c.portions_before,
                  actual=c.portions_after, **where)
    if c.status == "dropped":
        return make("year-change", "dropped", field="org", notice_before=c.notice_id_before, **values)
    if c.status == "renamed":
        return make("year-change", "renamed", field="org", org_before=c.org_before,
                    basis=rule.match_names[c.match], **values)
    if c.status != "changed" or c.portions_before is None or c.portions_after is None:
        return None
    if c.portions_before and abs(c.delta) <= Fraction(str(rule.moved_share)) * c.portions_before:
        return None
    share = _share(c.delta, c.portions_before) if c.portions_before else "+∞"
    return make("year-change", "moved", field="portions", share=share, limit=f"{rule.moved_share:.0%}", **values)


def _share(delta: int, before: int) -> str:
    """The change as a share of the year before, to a whole percent (+35%). Figures of any size: when the ratio
    is past a float's range (hundreds of digits), it is rounded exactly instead (half to even, as format does)."""
    try:
        return f"{delta / before:+.0%}"
    except OverflowError:
        return f"{round(Fraction(100 * delta, before)):+d}%"
