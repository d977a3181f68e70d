"""Frames handed to the encoder as they were drawn, instead of as a copy of them.

Manim draws every frame into the camera's one pixel array and hands the encoder a copy of it
(``CairoRenderer.get_frame``), because the encoder works on another thread, a few frames behind,
and the next frame is drawn into the same array: 8 MB copied per frame at 1080p, on top of the
copy of the static picture into the array that starts each frame (``Camera.set_pixel_array``).

Here ``get_frame`` returns the array itself, and ``set_pixel_array``, which starts every frame
Manim draws (``update_frame`` resets the array to the background or the static picture before it
draws anything), first moves the camera to an array nobody else holds. The arrays are kept
(:class:`FrameBuffers`), each with its Cairo context, made once, so a frame whose encoding is
done is drawn into again. Whether anyone else holds an array is read off its reference count:
the encoder's queue, the frame being encoded, the static picture and a still being kept all hold
a reference, and nothing keeps a frame without one, so an array is only ever drawn into when no
frame handed out is still in it. The pixels written are the same: the same copy starts the
frame, and Manim sets every piece of Cairo state it draws with (source, line width, join and
cap) before each use, so a context made for another array draws the same.

Only for Manim's plain ``Camera``, whose Cairo context depends on nothing that moves (a
``MovingCamera`` builds a context per frame; a camera whose array another mobject shows, as in a
``MultiCamera``, is never the renderer's camera), and only once the renderer has taken a frame
from it: a camera used directly keeps Manim's in-place writes.
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

import numpy as np

from render.engine.manim_originals import manim_original

Pixels = np.ndarray


class FrameBuffers:
    """The arrays a camera draws its frames into, each with its reference count when idle."""

    def __init__(self, camera: Any) -> None:
        # Manim's own array, kept alive: its Cairo context stays cached under its id, which
        # must never become another array's.
        self.first = camera.pixel_array
        self.buffers: list[Pixels] = []
        self.idle_refs: list[int] = []

    def writable(self, camera: Any) -> Pixels:
        """An array of the camera's shape that no frame handed out is in: the camera's own
        when nobody else holds it, else an idle one, else a new one."""
        free = [i for i in range(len(self.buffers)) if not self._held(camera, i)]
        current = [i for i in free if self.buffers[i] is camera.pixel_array]
        return self.buffers[(current or free or [self._add(camera)])[0]]

    def _held(self, camera: Any, index: int) -> bool:
        """Whether anything but this store and the camera holds the array (the encoder's queue,
        the frame being encoded, the static picture, a kept still)."""
        own = self.idle_refs[index] + (self.buffers[index] is camera.pixel_array)
        return sys.getrefcount(self.buffers[index]) > own

    def _add(self, camera: Any) -> int:
        buffer = np.empty_like(camera.pixel_array, order="C")
        # No context is cached under the new array's id (an array that had it is gone); then
        # Manim's own code makes this array's, with the camera's matrix.
        camera.pixel_array_to_cairo_context.pop(id(buffer), None)
        camera.get_cairo_context(buffer)
        self.buffers.append(buffer)
        del buffer
        self.idle_refs.append(sys.getrefcount(self.buffers[-1]))
        return len(self.buffers) - 1


_BUFFERS: weakref.WeakKeyDictionary[Any, FrameBuffers] = weakref.WeakKeyDictionary()


def get_frame(self: Any) -> Pixels:
    """``CairoRenderer.get_frame``: the camera's pixels themselves, which it does not draw into
    again while the frame is held."""
    from manim import Camera

    camera = self.camera
    if type(camera) is not Camera:
        return manim_original("get_frame", "CairoRenderer")(self)  # type: ignore[no-any-return]
    if camera not in _BUFFERS:
        _BUFFERS[camera] = FrameBuffers(camera)
    return camera.pixel_array


def set_pixel_array(self: Any, pixel_array: Any, convert_from_floats: bool = False) -> None:
    """``Camera.set_pixel_array``: the same pixels, in an array no frame handed out is in."""
    buffers = _BUFFERS.get(self)
    source = None if buffers is None or convert_from_floats else np.asarray(pixel_array)
    if buffers is None or source is None or source.shape != self.pixel_array.shape:
        manim_original("set_pixel_array", "Camera")(self, pixel_array, convert_from_floats)
        return
    self.pixel_array = buffers.writable(self)
    np.copyto(self.pixel_array, source, casting="unsafe")
