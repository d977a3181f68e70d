"""A repeated frame converted to the encoder's pixel format once, not once per repeat.

Manim's ``VideoSegmentEncoder.write_frame`` gets a frozen frame (a ``wait`` with nothing
moving) as one call with ``repeat=N``, and hands PyAV a new RGBA ``VideoFrame`` N times, which
PyAV's encoder converts to the stream's pixel format (yuv420p) with swscale each time: about
half of the CPU of a repeat with x264 superfast (3.3 ms a frame, 1.6 ms converted once, at
854x480; 13.7 and 8.0 ms at 1920x1080).

:func:`write_frame` makes that conversion once, with the very call PyAV's
``VideoCodecContext`` makes before encoding a frame whose format or size differs from the
stream's (``VideoReformatter.reformat(frame, width, height, format, threads=thread_count)``,
so bilinear interpolation, colour space and range left unspecified, the codec's thread count),
and encodes the converted frame N times with consecutive pts. PyAV passes a frame already in
the stream's format and size to the encoder as it is, so the encoder receives the same pictures
with the same pts and time base, and the stream comes out byte for byte the same
(``tests/engine/test_frame_encoding.py``). A single frame, or a stream that is not PyAV's own
video stream (a test's stand-in), is converted by the encoder, as in Manim's path.

Every frame, repeated or not, is handed to PyAV over the pixels' own memory (:func:`rgba_frame`)
instead of being copied into a frame buffer first.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import av


def rgba_frame(pixels: Any) -> av.VideoFrame:
    """The frame PyAV encodes from ``pixels``, over their memory instead of a copy of them.

    ``VideoFrame.from_ndarray`` copies the pixels into a buffer of its own, row by row (4.9 ms
    of CPU a frame at 1920x1080, 1.3 ms at 854x480); ``from_numpy_buffer`` only points at them,
    and the conversion to the stream's format reads the same bytes either way. Manim hands the
    encoder a frame it will not touch again, and ``_validate_frame`` has made sure it is
    C-contiguous, so the view is the frame as it was handed over.
    """
    return av.VideoFrame.from_numpy_buffer(pixels, format="rgba")


def write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame``: the same packets, one pixel conversion per call."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        converted = None
        if repeat > 1 and isinstance(self._stream, av.video.stream.VideoStream):
            codec = self._stream.codec_context
            codec.open(strict=False)  # what encode() does first; thread_count is final once open
            # PyAV's own conversion (VideoCodecContext._prepare_frames_for_encode); a frame
            # already in the stream's format comes back untouched.
            converted = rgba_frame(pixels).reformat(
                codec.width, codec.height, codec.pix_fmt, threads=codec.thread_count
            )
        for _ in range(repeat):
            frame = converted if converted is not None else rgba_frame(pixels)
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error
