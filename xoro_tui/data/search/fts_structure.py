"""FTS5's structure record: which segments an index has, on which levels.

An FTS5 index keeps one record (id 10 of its ``_data`` table) listing its segments by
level. A query reads every segment, and where two hold the same row the one listed first
wins: level 0 first, newest segment first within a level. Merging reads that record to
choose its work: a level is merged into one segment on the level above once it holds
``usermerge`` segments. Single saves add their small segments to level 0.

The format (``fts5_index.c``, stable since FTS5 began): a 4-byte cookie, then SQLite
varints: the number of levels, of segments, the write counter; for each level, the
number of its segments an unfinished merge is reading, the number of segments, and for
each segment, oldest first, its id and first and last leaf page. SQLite 3.43 added a
second form (for ``contentless_delete`` tables, which this schema does not use); it is
recognised and left alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

#: the structure record's id in an index's ``_data`` table
STRUCTURE_ID = 10
#: the most levels FTS5 itself makes (FTS5_MAX_LEVEL)
MAX_LEVELS = 64
#: the marker after the cookie of the second form
_V2_MARKER = b"\xff\x00\x00\x01"


@dataclass(frozen=True)
class Segment:
    segid: int
    first: int
    last: int

    @property
    def pages(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class Level:
    #: how many of the oldest segments an unfinished merge is reading (its output is
    #: the newest segment of the level above)
    merging: int = 0
    segments: tuple[Segment, ...] = ()

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.segments)

    @property
    def largest(self) -> int:
        return max((s.pages for s in self.segments), default=0)


@dataclass(frozen=True)
class Structure:
    cookie: bytes
    write_counter: int
    levels: tuple[Level, ...] = field(default_factory=tuple)

    @property
    def segment_count(self) -> int:
        return sum(len(level.segments) for level in self.levels)

    def encode(self) -> bytes:
        out = bytearray(self.cookie)
        for value in (len(self.levels), self.segment_count, self.write_counter):
            out += put_varint(value)
        for level in self.levels:
            out += put_varint(level.merging) + put_varint(len(level.segments))
            for seg in level.segments:
                out += put_varint(seg.segid) + put_varint(seg.first) + put_varint(seg.last)
        return bytes(out)

    def raised(self, min_pages: int, floor: int) -> Structure | None:
        """Every level moved up, empty ones dropped first, so that the lowest level with
        a segment of ``min_pages`` pages or more becomes level ``floor``; None when no
        such segment sits below ``floor`` (or FTS5 would not allow that many levels).

        The order a query reads segments in (level by level, the newest first) is kept,
        so every search gives what it gave; only the merging changes: saves' segments
        reach the large ones after ``usermerge ** floor`` of their own. An unfinished
        merge keeps its output, which is on the next non-empty level.
        """
        lowest = next(
            (i for i, level in enumerate(self.levels) if level.largest >= min_pages), None
        )
        if lowest is None or lowest >= floor:
            return None
        kept = tuple(level for level in self.levels if level.segments)
        below = sum(1 for level in self.levels[:lowest] if level.segments)
        levels = (Level(),) * (floor - below) + kept
        if len(levels) > MAX_LEVELS:
            return None
        return replace(self, levels=levels)


def decode(blob: bytes) -> Structure | None:
    """The record as a :class:`Structure`; None for a form this module does not write."""
    if len(blob) < 5 or blob[4:8] == _V2_MARKER:
        return None
    at = 4
    n_levels, at = get_varint(blob, at)
    n_segments, at = get_varint(blob, at)
    counter, at = get_varint(blob, at)
    levels = []
    for _ in range(n_levels):
        merging, at = get_varint(blob, at)
        count, at = get_varint(blob, at)
        segments = []
        for _ in range(count):
            segid, at = get_varint(blob, at)
            first, at = get_varint(blob, at)
            last, at = get_varint(blob, at)
            segments.append(Segment(segid, first, last))
        levels.append(Level(merging, tuple(segments)))
    structure = Structure(bytes(blob[:4]), counter, tuple(levels))
    if at != len(blob) or structure.segment_count != n_segments:
        return None
    return structure


def read(conn: sqlite3.Connection, table: str) -> Structure | None:
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = ?", (STRUCTURE_ID,)).fetchone()
    return None if row is None else decode(row[0])


def write(conn: sqlite3.Connection, table: str, structure: Structure) -> None:
    """Store ``structure`` (inside the caller's write transaction).

    FTS5 notices on other connections (it compares ``PRAGMA data_version``); a connection
    that has this table's structure cached keeps it until another connection commits, so
    write from a connection of its own (see :func:`index_upkeep.lift_after_import`).
    """
    conn.execute(
        f"UPDATE {table}_data SET block = ? WHERE id = ?", (structure.encode(), STRUCTURE_ID)
    )


def get_varint(blob: bytes, at: int) -> tuple[int, int]:
    """SQLite's varint at ``at``: its value and where the next one starts."""
    value = 0
    for i in range(8):
        byte = blob[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    return (value << 8) | blob[at + 8], at + 9


def put_varint(value: int) -> bytes:
    """SQLite's varint for ``value`` (big-endian 7-bit groups; a ninth byte of 8 bits)."""
    if value < 0 or value >= 1 << 64:
        raise ValueError(f"no varint for {value}")
    if value >= 1 << 56:
        tail = value & 0xFF
        value >>= 8
        groups = [(value >> (7 * i)) & 0x7F for i in range(7, -1, -1)]
        return bytes(g | 0x80 for g in groups) + bytes([tail])
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append(value & 0x7F)
        value >>= 7
    groups.reverse()
    return bytes(g | 0x80 for g in groups[:-1]) + bytes(groups[-1:])
