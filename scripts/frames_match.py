"""Compare a render with a reference render, frame by frame.

Prints ``identical`` when every decoded frame has the same MD5 (ffmpeg ``framemd5``), otherwise the
number of frames that differ and the lowest per-frame PSNR (ffmpeg ``psnr``, all planes); exit 1
when the frame counts differ or a frame falls below ``--min-psnr`` (default 50 dB). A reference
may be given as its ``.framemd5`` listing beside the video. Usage:

    .venv/bin/python scripts/frames_match.py REFERENCE.mp4 CANDIDATE.mp4 [--min-psnr 50]
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def frame_hashes(video: Path) -> list[str]:
    """MD5 of every decoded frame; read from ``<video>.framemd5`` when that listing exists."""
    listing = video.with_suffix(".framemd5")
    if listing.exists():
        text = listing.read_text()
    else:
        argv = ["ffmpeg", "-v", "error", "-i", str(video), "-map", "0:v", "-f", "framemd5", "-"]
        text = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return [line.rsplit(",", 1)[1].strip() for line in text.splitlines() if line[:1].isdigit()]


def frame_psnrs(reference: Path, candidate: Path) -> list[float]:
    """PSNR of each frame of ``candidate`` against the same frame of ``reference`` (inf: equal)."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "psnr.log"
        argv = ["ffmpeg", "-v", "error", "-i", str(candidate), "-i", str(reference),
                "-lavfi", f"psnr=stats_file={stats}", "-f", "null", "-"]  # fmt: skip
        subprocess.run(argv, capture_output=True, text=True, check=True)
        values = re.findall(r"psnr_avg:(\S+)", stats.read_text())
    return [math.inf if v == "inf" else float(v) for v in values]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("candidate", type=Path)
    parser.add_argument("--min-psnr", type=float, default=50.0)
    args = parser.parse_args()
    ours, theirs = frame_hashes(args.candidate), frame_hashes(args.reference)
    if len(ours) != len(theirs):
        print(f"{args.candidate}: {len(ours)} frames, reference has {len(theirs)}")
        return 1
    differing = sum(a != b for a, b in zip(ours, theirs, strict=True))
    if not differing:
        print(f"{args.candidate}: identical ({len(ours)} frames, framemd5)")
        return 0
    lowest = min(frame_psnrs(args.reference, args.candidate))
    verdict = "ok" if lowest >= args.min_psnr else f"BELOW {args.min_psnr:g} dB"
    print(
        f"{args.candidate}: {differing} of {len(ours)} frames differ, "
        f"lowest PSNR {lowest:.1f} dB ({verdict})"
    )
    return 0 if lowest >= args.min_psnr else 1


if __name__ == "__main__":
    sys.exit(main())
