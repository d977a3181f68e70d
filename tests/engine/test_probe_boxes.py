"""The MP4 box walk that tells a truncated or overwritten master from a whole one."""

from __future__ import annotations

import struct

import pytest

from render.tools.probe import is_faststart, mp4_damage, top_level_atoms


def box(name: str, payload: int) -> bytes:
    return struct.pack(">I4s", 8 + payload, name.encode()) + bytes(payload)


def large_box(name: str, payload: int) -> bytes:
    """A box with the 64-bit size form (size field 1, then the real size)."""
    return struct.pack(">I4sQ", 1, name.encode(), 16 + payload) + bytes(payload)


WHOLE = box("ftyp", 16) + box("moov", 40) + large_box("mdat", 100)


def test_a_whole_fast_start_file_has_no_damage(tmp_path):
    path = tmp_path / "whole.mp4"
    path.write_bytes(WHOLE)
    assert mp4_damage(path) is None
    assert top_level_atoms(path) == ["ftyp", "moov", "mdat"]
    assert is_faststart(path)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (WHOLE[:-10], "cut short: box 'mdat' ends at byte 188, the file has 178"),
        (WHOLE + b"junk", "4 stray bytes after the last box"),
        (
            box("ftyp", 16) + struct.pack(">I4s", 4, b"moov") + bytes(30),
            "a box of 4 bytes at offset 24",
        ),
        (b"", "0 stray bytes after the last box"),
    ],
)
def test_damage_is_named(tmp_path, data, says):
    path = tmp_path / "damaged.mp4"
    path.write_bytes(data)
    assert mp4_damage(path) == says


def test_atoms_stop_at_a_malformed_box_and_order_tells_fast_start(tmp_path):
    path = tmp_path / "late-index.mp4"
    path.write_bytes(
        box("ftyp", 16) + box("mdat", 50) + box("moov", 40) + struct.pack(">I4s", 3, b"free")
    )
    assert top_level_atoms(path) == ["ftyp", "mdat", "moov"]
    assert not is_faststart(path)
