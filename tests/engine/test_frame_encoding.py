"""The one-conversion ``write_frame`` encodes exactly the stream Manim's own ``write_frame`` does.

Both encode the same frames, single and repeated, through real ``VideoSegmentEncoder``s built
the way Manim builds them (``resolve_video_encoder``), with PyAV's x264 (and Manim's other
codecs); the files' video packets must be the same bytes (MP4 and MOV files are the same files),
and ffmpeg must decode the same pictures from them, as many as the repeats add up to.
"""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from manim._config.output import OutputFormat, OutputSpec
from manim._config.video_encoder import VideoEncoderSpec, resolve_video_encoder
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from render.engine import frame_encoding
from render.engine.worker import MASTER_ENCODER_OPTIONS

ORIGINAL_WRITE_FRAME = VideoSegmentEncoder.__dict__["write_frame"]
assert ORIGINAL_WRITE_FRAME.__module__ == "manim.scene.video_segment_encoder"

# (frame, repeat): distinct frames, runs of one and frozen frames, a frame shown again later.
SEQUENCE = [(0, 1), (1, 1), (2, 9), (3, 1), (4, 1), (5, 24), (0, 3), (6, 1), (7, 2), (3, 5)]


def spec(
    output: OutputFormat,
    width: int,
    height: int,
    frame_rate: float,
    options: dict[str, str] | None = None,
    transparent: bool = False,
) -> VideoEncoderSpec:
    """The encoder settings Manim resolves for a render (RenderSessionSpec does the same)."""
    resolved = resolve_video_encoder(
        OutputSpec(output, transparent=transparent, save_sections=False, fallback_to_still=False),
        width=width,
        height=height,
        frame_rate=frame_rate,
        options=options,
    )
    assert resolved is not None
    return resolved


PROFILES = {
    "master": spec(OutputFormat.MP4, 854, 480, 30, MASTER_ENCODER_OPTIONS),
    "master-1080p60": spec(OutputFormat.MP4, 1920, 1080, 60, MASTER_ENCODER_OPTIONS),
    "manim-default-ntsc": spec(OutputFormat.MP4, 640, 360, 29.97),
    "transparent-mov": spec(OutputFormat.MOV, 320, 180, 15, transparent=True),
    "transparent-webm": spec(OutputFormat.WEBM, 320, 180, 15, transparent=True),
}


def drawings(width: int, height: int, count: int, seed: int = 7) -> list[np.ndarray]:
    """Frames with something on them: rectangles and discs in random colours and opacities,
    one-pixel noise and a gradient (sharp edges and fine detail, what a chroma subsampling
    filter or colour range shows up on)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    frames = []
    for _ in range(count):
        frame = np.empty((height, width, 4), np.uint8)
        frame[..., :3] = rng.integers(0, 256, 3, dtype=np.uint8)
        frame[..., 3] = 255
        for _ in range(12):
            x0, y0 = int(rng.integers(0, width - 8)), int(rng.integers(0, height - 8))
            x1, y1 = x0 + int(rng.integers(3, width // 3)), y0 + int(rng.integers(3, height // 3))
            frame[y0:y1, x0:x1] = rng.integers(0, 256, 4, dtype=np.uint8)
        for _ in range(8):
            cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(4, height / 4)
            frame[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.integers(0, 256, 4, dtype=np.uint8)
        patch = frame[: height // 4, : width // 4]
        patch[:] = rng.integers(0, 256, patch.shape, dtype=np.uint8)
        frame[-height // 5 :, :, 0] = (x[-height // 5 :] * 255 // (width - 1)).astype(np.uint8)
        frames.append(frame)
    return frames


def encode(
    monkeypatch: pytest.MonkeyPatch, write_frame: Any, target: Path, settings: VideoEncoderSpec
) -> Path:
    """Encode SEQUENCE with ``write_frame`` installed as VideoSegmentEncoder.write_frame."""
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", write_frame)
    frames = drawings(settings.width, settings.height, 1 + max(i for i, _ in SEQUENCE))
    encoder = VideoSegmentEncoder(target=target, spec=settings)
    for index, repeat in SEQUENCE:
        encoder.write_frame(frames[index], repeat=repeat)
    encoder.finish()
    return target


def packets(path: Path) -> list[tuple[bytes, int | None, int | None, bool]]:
    with av.open(path) as container:
        return [
            (bytes(packet), packet.pts, packet.dts, packet.is_keyframe)
            for packet in container.demux(container.streams.video[0])
            if packet.size
        ]


def decoded(path: Path) -> list[str]:
    """ffmpeg's MD5 of every decoded picture, with its timestamps (framemd5 lines)."""
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-f", "framemd5", "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if not line.startswith("#")]


@pytest.mark.parametrize("profile", PROFILES)
def test_same_stream_as_manim(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, profile: str):
    settings = PROFILES[profile]
    extension = "." + settings.container_format
    manims = encode(monkeypatch, ORIGINAL_WRITE_FRAME, tmp_path / f"manim{extension}", settings)
    ours = encode(monkeypatch, frame_encoding.write_frame, tmp_path / f"ours{extension}", settings)

    expected_packets, got_packets = packets(manims), packets(ours)
    assert len(got_packets) == len(expected_packets)
    for number, (got, expected) in enumerate(zip(got_packets, expected_packets, strict=True)):
        assert got == expected, f"packet {number} differs"
    expected_frames, got_frames = decoded(manims), decoded(ours)
    assert got_frames == expected_frames
    assert len(got_frames) == sum(repeat for _, repeat in SEQUENCE)
    if settings.container_format != "webm":  # Matroska writes random UIDs into every file
        assert ours.read_bytes() == manims.read_bytes()


def test_validates_like_manim(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", frame_encoding.write_frame)
    settings = PROFILES["manim-default-ntsc"]
    encoder = VideoSegmentEncoder(target=tmp_path / "bad.mp4", spec=settings)
    frame = np.zeros((settings.height, settings.width, 4), np.uint8)
    with pytest.raises(ValueError, match="repeat must be a positive integer"):
        encoder.write_frame(frame, repeat=0)
    with pytest.raises(ValueError, match="must have shape"):
        encoder.write_frame(frame[:-2], repeat=3)
    encoder.write_frame(frame, repeat=3)
    encoder.finish()
    with pytest.raises(RuntimeError, match="is closed"):
        encoder.write_frame(frame, repeat=3)


def test_encoding_errors_are_wrapped_like_manim(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(VideoSegmentEncoder, "write_frame", frame_encoding.write_frame)
    settings = PROFILES["master"]
    encoder = VideoSegmentEncoder(target=tmp_path / "broken.mp4", spec=settings)
    encoder._stream.codec_context.options = {"preset": "no-such-preset"}  # fails to open
    frame = np.zeros((settings.height, settings.width, 4), np.uint8)
    with pytest.raises(RuntimeError, match=r"Failed to encode video segment .*broken\.mp4"):
        encoder.write_frame(frame, repeat=4)
    encoder.abort()


def test_frame_rate_time_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Repeats get consecutive pts in 1/rate, as Manim's do, at a rate that is not whole."""
    settings = PROFILES["manim-default-ntsc"]
    assert settings.frame_rate == Fraction(30000, 1001)
    path = encode(monkeypatch, frame_encoding.write_frame, tmp_path / "ntsc.mp4", settings)
    with av.open(path) as container:
        stream = container.streams.video[0]
        times = sorted(float(f.pts * f.time_base) for f in container.decode(stream))
    assert np.allclose(np.diff(times), 1001 / 30000)
