"""Vectorized replacements for the hottest bookkeeping in Manim's Cairo renderer, same results.

Profiles of every scene put most of a render's CPU not in drawing but in pure-Python loops over
the curves of a VMobject: every ``always_redraw`` frame calls ``Mobject.become``, whose alignment
(``align_data`` recursing into the submobjects without the skip flag) runs
``VMobject.align_points``, which splits both shapes into subpaths by calling ``numpy.allclose`` once
per pair of adjacent curves and then grows the result with ``numpy.append`` once per subpath
(quadratic in the number of subpaths). A shape of 2000 small squares costs 16 000 ``allclose``
calls per frame.

The replacements here do the same comparisons on whole arrays at once:

* :func:`get_subpaths_from_points` finds every split with one vectorized ``numpy.isclose``
  (the very formula ``numpy.allclose`` evaluates, element by element, so every decision is
  identical, NaN and infinities included) and returns the same slices of ``points``;
* :func:`align_points` computes both shapes' subpaths, the trimming of degenerate trailing curves
  and the padding with null subpaths the same way, gathers the unchanged subpaths with one
  indexing operation, and calls Manim's own ``insert_n_curves_to_point_list`` only for the
  subpaths that really gain curves, so every float comes out bit for bit as before;
* :func:`mobject_deepcopy` (``Mobject.__deepcopy__``, behind every ``copy()``, ``FadeIn``,
  ``Transform`` and ``DecimalNumber.set_value``) hands immutable attribute values over without a
  trip through ``copy.deepcopy``, and :func:`plain_deepcopy` gives the plain classes a copy
  reaches most often (``ManimColor``: every mobject holds several) the copy that
  ``copy.deepcopy`` would build for it through ``__reduce_ex__``, without that detour;
* :func:`svg_glyph_deepcopy` (``VMobjectFromSVGPath.__deepcopy__``, every glyph of a Text, Tex
  or DecimalNumber and every Brace) lets the copy share the parsed SVG path it was built from.
  Manim reads that path once, in ``generate_points`` while the glyph is constructed, and never
  writes to it, so it is as immutable as a string; copying it was two thirds of the objects and
  six sevenths of the time of copying a caption.

Five more live in modules of their own: :mod:`render.engine.cairo_path` builds the path handed
to Cairo with fewer steps and keeps it, :mod:`render.engine.raster_store` composites fills and
strokes drawn before from the coverage Cairo computed for them,
:mod:`render.engine.frame_encoding` converts a frozen frame to the encoder's pixel format once
instead of once per repeat, :mod:`render.engine.style_arrays` builds and blends a VMobject's
colour arrays without Manim's per-call detours, and :mod:`render.engine.svg_paths` parses each
glyph outline's SVG path data once.

Anything outside the common case (points that are not float64, a dangling partial curve, a
subclass that redefines what "equal points" or "subpath" means) goes to Manim's original
function. ``tests/engine/test_manim_speedups.py`` compares both on real mobjects, and ManimCE's
own unit tests pass with the replacements installed.

They are pinned to the Manim release they were checked against: :func:`install` refuses any
other version and leaves Manim untouched, because a later release may change the originals.
They are written as methods so they could be offered upstream unchanged; what they share
(Manim's originals while installed, the points' conventions) is in
:mod:`render.engine.manim_originals`.
"""

from __future__ import annotations

import contextlib
import copy
import copyreg
import functools
import inspect
import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from render.engine import cairo_path, frame_buffers, frame_encoding, raster_store
from render.engine.manim_originals import (
    ORIGINALS,
    POINTS_PER_CURVE,
    RTOL,
    FloatArray,
    manim_original,
    vectorizable,
)

PINNED_MANIM_VERSION = "0.22.0"
_MISSING = object()
# Types copy.deepcopy returns as they are (its _deepcopy_atomic), the ones attributes hold.
_ATOMIC = frozenset({type(None), bool, int, float, complex, str, bytes})
# Methods whose redefinition in a subclass changes what the replacements compute; such
# subclasses get Manim's original code.
_CUSTOMIZABLE = (
    "consider_points_equals",
    "get_subpaths",
    "get_subpaths_from_points",
    "insert_n_curves_to_point_list",
    "get_cubic_bezier_tuples_from_points",
    "align_rgbas",
)

IntArray = npt.NDArray[np.intp]


def _allclose_rows(x: FloatArray, y: FloatArray, atol: float) -> npt.NDArray[np.bool_]:
    """``numpy.allclose(x[i], y[i], atol=atol)`` for every i at once (the last axes reduced).

    The element test is numpy.isclose's own: ``|x - y| <= atol + rtol |y|`` for finite ``y``,
    or ``x == y``; evaluated with the same operations in the same order, so the same floats.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        close = (np.abs(x - y) <= atol + RTOL * np.abs(y)) & np.isfinite(y) | (x == y)
    rows: npt.NDArray[np.bool_] = close.all(axis=tuple(range(1, close.ndim)))
    return rows


def _subpath_ranges(mob: Any, points: FloatArray) -> IntArray:
    """The ``[start, end)`` point ranges of the subpaths Manim's splitting would return.

    A new subpath starts at curve boundary n wherever ``consider_points_equals(points[n - 1],
    points[n])`` is false; ranges shorter than one curve (a dangling point) are dropped.
    """
    count = len(points)
    boundaries = np.arange(POINTS_PER_CURVE, count, POINTS_PER_CURVE)
    atol = mob.tolerance_for_point_equality
    split = ~_allclose_rows(points[boundaries - 1], points[boundaries], atol)
    edges = np.concatenate(([0], boundaries[split], [count]))
    ranges: IntArray = np.stack((edges[:-1], edges[1:]), axis=1)
    return ranges[ranges[:, 1] - ranges[:, 0] >= POINTS_PER_CURVE]


def _is_plain(mob: Any) -> bool:
    """True when ``mob`` splits and aligns exactly like VMobject (nothing redefined)."""
    VMobject = _vmobject_class()
    cls = type(mob)
    return (
        isinstance(mob, VMobject)
        and mob.n_points_per_cubic_curve == POINTS_PER_CURVE
        and all(getattr(cls, name) is getattr(VMobject, name) for name in _CUSTOMIZABLE)
    )


@functools.cache
def _vmobject_class() -> Any:
    from manim import VMobject

    return VMobject


def get_subpaths_from_points(self: Any, points: Any) -> list[Any]:
    """``VMobject.get_subpaths_from_points``: the same list of slices, found without a loop."""
    if not (vectorizable(points) and points.shape[1] == 3 and _is_plain(self)):
        subpaths: list[Any] = manim_original("get_subpaths_from_points")(self, points)
        return subpaths
    return [points[start:end] for start, end in _subpath_ranges(self, points).tolist()]


def _trimmed_ends(points: FloatArray, ranges: IntArray, atol: float) -> IntArray:
    """Where each subpath ends once Manim drops its useless trailing curves (manim#1959).

    ``align_points`` removes a subpath's last curve while the subpath has more than one and all
    four points of that curve are ``consider_points_equals`` to the point before it; the point
    before curve g is always ``points[4 g - 1]``, so every curve can be tested at once and each
    subpath keeps everything up to its last curve that is not degenerate (its first always stays).
    """
    curves = points.reshape(-1, POINTS_PER_CURVE, points.shape[1])
    keep = np.ones(len(curves), dtype=bool)
    if len(curves) > 1:
        previous = points[POINTS_PER_CURVE - 1 :: POINTS_PER_CURVE][:-1]
        keep[1:] = ~_allclose_rows(curves[1:], previous[:, None, :], atol)
    keep[ranges[:, 0] // POINTS_PER_CURVE] = True
    last_kept = np.maximum.accumulate(np.where(keep, np.arange(len(curves)), -1))
    return (last_kept[ranges[:, 1] // POINTS_PER_CURVE - 1] + 1) * POINTS_PER_CURVE


class _Subpaths:
    """One shape's subpaths as ``align_points`` sees them, padded with null subpaths at the end."""

    def __init__(self, points: FloatArray, ranges: IntArray, atol: float, count: int) -> None:
        self.points = points
        starts, ends = ranges[:, 0], _trimmed_ends(points, ranges, atol)
        # A missing subpath is the last point of the last (untrimmed) subpath, once per curve point.
        null = int(ranges[-1, 1]) - 1
        pad = count - len(ranges)
        self.starts = np.concatenate((starts, np.full(pad, null)))
        self.lengths = np.concatenate((ends - starts, np.full(pad, POINTS_PER_CURVE)))
        self.steps = np.concatenate((np.ones(len(ranges), int), np.zeros(pad, int)))

    def indices(self, which: IntArray) -> IntArray:
        """Point indices of the chosen subpaths, concatenated (a null subpath repeats its point)."""
        lengths = self.lengths[which]
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        steps = np.repeat(self.steps[which], lengths)
        indices: IntArray = np.repeat(self.starts[which], lengths) + offsets * steps
        return indices

    def piece(self, k: int) -> FloatArray:
        return self.points[self.indices(np.array([k]))]


def align_points(self: Any, vmobject: Any) -> Any:
    """``VMobject.align_points``: the same points on both shapes, without a loop over curves."""
    original = manim_original("align_points")
    if not (_is_plain(self) and _is_plain(vmobject)):
        return original(self, vmobject)
    for mob in (self, vmobject):
        # A dangling partial curve of 2 or 3 points survives Manim's clean-up below and is then
        # cut by its Bézier regrouping: rare, so left to the original.
        if not vectorizable(mob.points) or len(mob.points) % POINTS_PER_CURVE in (2, 3):
            return original(self, vmobject)
    self.align_rgbas(vmobject)
    if self.get_num_points() == vmobject.get_num_points():
        return self
    for mob in (self, vmobject):
        if mob.has_no_points():
            mob.start_new_path(mob.get_center())
        if mob.has_new_path_started():
            mob.add_line_to(mob.get_last_point())
    points1, points2 = self.points, vmobject.points
    if not (vectorizable(points1) and vectorizable(points2)):  # pragma: no cover - defensive
        raise TypeError("VMobject points changed type during alignment")
    ranges1 = _subpath_ranges(self, points1)
    ranges2 = _subpath_ranges(vmobject, points2)
    count = max(len(ranges1), len(ranges2))
    # Manim trims both shapes with ``self``'s tolerance.
    atol = self.tolerance_for_point_equality
    paths1 = _Subpaths(points1, ranges1, atol, count)
    paths2 = _Subpaths(points2, ranges2, atol, count)
    grows1 = paths2.lengths > paths1.lengths
    grows2 = paths1.lengths > paths2.lengths
    if not (grows1.any() or grows2.any()):
        everything = np.arange(count)
        new1, new2 = points1[paths1.indices(everything)], points2[paths2.indices(everything)]
    else:
        new1 = _aligned(self, paths1, paths2, grows1)
        new2 = _aligned(self, paths2, paths1, grows2)
    self.set_points(new1)
    vmobject.set_points(new2)
    return self


def _aligned(self: Any, paths: _Subpaths, other: _Subpaths, grows: npt.NDArray[np.bool_]) -> Any:
    """``paths`` with curves inserted (by Manim's own subdivision) where ``other`` is longer."""
    pieces: list[FloatArray] = []
    run: list[int] = []
    for k in range(len(paths.lengths)):
        if not grows[k]:
            run.append(k)
            continue
        if run:
            pieces.append(paths.points[paths.indices(np.array(run))])
            run = []
        extra = int(other.lengths[k] - paths.lengths[k]) // POINTS_PER_CURVE
        pieces.append(self.insert_n_curves_to_point_list(extra, paths.piece(k)))
    if run:
        pieces.append(paths.points[paths.indices(np.array(run))])
    return np.concatenate(pieces)


def get_family(self: Any, recurse: bool = True) -> list[Any]:
    """``Mobject.get_family``: the same list, walked without a generator per submobject.

    Manim's walk yields every member through one ``yield from`` per level above it, skipping a
    mobject already on the path from the root (its guard against cycles), and then removes repeats
    (a mobject held twice keeps its last place). Without a cycle the guard never skips anything,
    so a plain walk visits the same members in the same order; a walk deeper than
    ``_UNGUARDED_DEPTH`` levels (a cycle, or an unusually deep hierarchy) is left to Manim's.
    Repeats are removed only when there are any.
    """
    mobject_class, remove_list_redundancies = _family_helpers()
    if type(self)._iter_family is not mobject_class._iter_family:
        return list(manim_original("get_family", "Mobject")(self, recurse))
    members: list[Any] = []
    if not _collect_family(self, members, 0):
        return list(manim_original("get_family", "Mobject")(self, recurse))
    if len(set(members)) == len(members):
        return members
    return list(remove_list_redundancies(members))


def family_members_with_points(self: Any) -> list[Any]:
    """``Mobject.family_members_with_points``: the same members, counted without a method call
    each.

    Manim asks every member for ``get_num_points()``, which is ``len(self.points)``, several
    times a frame (the camera for what it draws, each ``Transform`` for its three families);
    here a member whose class keeps Manim's ``get_num_points`` is counted by ``len`` directly.
    """
    counts = _family_helpers()[0].get_num_points
    return [
        member
        for member in self.get_family()
        if (
            len(member.points) if type(member).get_num_points is counts else member.get_num_points()
        )
        > 0
    ]


_DISPLAY_TYPES: dict[type, type] = {}


def type_or_raise(self: Any, mobject: Any) -> type:
    """``Camera.type_or_raise``: the same kind of drawing for a mobject, found once per class.

    Manim rebuilds the camera's ``display_funcs`` (four classes, each with a bound method) on
    every call, once per mobject drawn, and returns the first class the mobject is an instance
    of: an answer that depends only on the mobject's class. Manim's code runs the first time a
    class is met and on a camera that has no ``display_funcs`` yet, so they are built as before.
    """
    kind = _DISPLAY_TYPES.get(type(mobject))
    if kind is None or "display_funcs" not in self.__dict__:
        kind = _DISPLAY_TYPES[type(mobject)] = manim_original("type_or_raise", "Camera")(
            self, mobject
        )
    return kind


def update(self: Any, dt: float = 0, recursive: bool = True) -> Any:
    """``Mobject.update``: the same updaters in the same order, without a call per bare member.

    Manim calls ``update`` on every member of every mobject on every frame, and most members
    (a glyph, a path of a plot) have neither updaters nor submobjects: such a call checks
    ``updating_suspended``, loops over nothing twice and returns. Here those calls are not made.
    Everything else is Manim's code: a member's updaters run before its submobjects are read
    (an updater may rebuild them), the submobjects are walked as the live list Manim walks, and
    a class with an ``update`` of its own gets its own method called.
    """
    if self.updating_suspended:
        return self
    for updater in self.updaters:
        if "dt" in inspect.signature(updater).parameters:
            updater(self, dt)
        else:
            updater(self)
    if recursive:
        for submobject in self.submobjects:
            if (
                submobject.updaters
                or submobject.submobjects
                or type(submobject).update is not update
            ):
                submobject.update(dt, recursive=recursive)
    return self


_UNGUARDED_DEPTH = 64


@functools.cache
def _family_helpers() -> tuple[Any, Any]:
    """Manim's ``Mobject`` and ``remove_list_redundancies``, imported once, not on every walk."""
    from manim import Mobject
    from manim.utils.iterables import remove_list_redundancies

    return Mobject, remove_list_redundancies


def _collect_family(mob: Any, members: list[Any], depth: int) -> bool:
    """Append ``mob`` and its descendants, depth first; False if deeper than allowed."""
    members.append(mob)
    if mob.submobjects:
        if depth == _UNGUARDED_DEPTH:
            return False
        for submobject in mob.submobjects:
            if not _collect_family(submobject, members, depth + 1):
                return False
    return True


def _deepcopy_value(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value, memo)``; immutable scalars are returned as they are, as it would,
    and a numpy array of numbers (points, colours) is copied the way its ``__deepcopy__`` copies
    it (``copy(order="K")``), registered in ``memo`` and kept alive there as ``deepcopy`` does."""
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is np.ndarray and not value.dtype.hasobject:
        copied = memo.get(id(value), _MISSING)
        if copied is _MISSING:
            copied = memo[id(value)] = value.copy(order="K")
            memo.setdefault(id(memo), []).append(value)  # copy._keep_alive
        return copied
    return copy.deepcopy(value, memo)


def mobject_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """``Mobject.__deepcopy__``: the same copy, attribute by attribute, in the same order."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    for key, value in self.__dict__.items():
        setattr(result, key, _deepcopy_value(value, memo))
    result.original_id = str(id(self))
    return result


def svg_glyph_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """``VMobjectFromSVGPath.__deepcopy__``: Manim's copy, except that ``path_obj`` is shared.

    Registering the path as its own copy in ``memo`` makes every reference to it, here or in
    anything else this copy reaches, come out as the original, as ``copy.deepcopy`` does for
    values it treats as atomic.
    """
    path = self.__dict__.get("path_obj")
    if path is not None:
        memo[id(path)] = path
    return mobject_deepcopy(self, memo)


def plain_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """What ``copy.deepcopy`` builds for an instance of a plain class (``reconstructs_plainly``).

    It would call ``__reduce_ex__(4)``, get ``(copyreg.__newobj__, (cls,), self.__dict__)`` and
    rebuild: a new instance from ``cls.__new__``, registered in ``memo``, given a deep copy of the
    state. The one thing left out is registering the state dict itself in ``memo``, which only an
    object holding a reference to another object's ``__dict__`` could notice.
    """
    cls: Any = type(self)
    result = cls.__new__(cls)
    memo[id(self)] = result
    state = self.__dict__
    if state:
        result.__dict__.update({key: _deepcopy_value(v, memo) for key, v in state.items()})
    return result


def reconstructs_plainly(cls: type) -> bool:
    """True when ``copy.deepcopy`` copies instances of ``cls`` by the generic ``__reduce_ex__``.

    That is: no copy or pickle hooks of its own anywhere in its classes, no ``__slots__``, no
    built-in base but ``object`` (a list or dict subclass would also carry items).
    """
    mro = cls.__mro__
    return (
        not hasattr(cls, "__deepcopy__")
        and cls.__reduce_ex__ is object.__reduce_ex__  # type: ignore[comparison-overlap]
        and cls.__reduce__ is object.__reduce__  # type: ignore[comparison-overlap]
        and cls.__getstate__ is object.__getstate__  # type: ignore[comparison-overlap]
        and not any(hasattr(cls, hook) for hook in _PICKLE_HOOKS)
        and not any("__slots__" in vars(base) for base in mro)
        and all(base is object or base.__module__ != "builtins" for base in mro)
        and cls not in copyreg.dispatch_table
    )


_PICKLE_HOOKS = ("__setstate__", "__getnewargs__", "__getnewargs_ex__")


def _replacements() -> dict[tuple[type, str], Any]:
    """Where each replacement goes: (class, attribute) -> function."""
    import svgelements
    from manim import CairoRenderer, Camera, ManimColor, Mobject, VMobject
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from render.engine import style_arrays, svg_paths

    targets: dict[tuple[type, str], Any] = {
        (VMobject, "get_subpaths_from_points"): get_subpaths_from_points,
        (VMobject, "align_points"): align_points,
        (Mobject, "__deepcopy__"): mobject_deepcopy,
        (VMobjectFromSVGPath, "__deepcopy__"): svg_glyph_deepcopy,
        (Camera, "set_cairo_context_path"): cairo_path.set_cairo_context_path,
        (Camera, "display_vectorized"): raster_store.display_vectorized,
        (Camera, "type_or_raise"): type_or_raise,
        (VideoSegmentEncoder, "write_frame"): frame_encoding.write_frame,
        (CairoRenderer, "get_frame"): frame_buffers.get_frame,
        (Camera, "set_pixel_array"): frame_buffers.set_pixel_array,
        (Mobject, "get_family"): get_family,
        (Mobject, "family_members_with_points"): family_members_with_points,
        (Mobject, "update"): update,
        (VMobject, "generate_rgbas_array"): style_arrays.generate_rgbas_array,
        (VMobject, "interpolate_color"): style_arrays.interpolate_color,
    }
    if svg_paths.supported():  # svgelements, which Manim reads SVG with, is pinned too
        targets[(svgelements.Path, "parse")] = svg_paths.parse
    if reconstructs_plainly(ManimColor):  # every mobject's fill, stroke and background colours
        targets[(ManimColor, "__deepcopy__")] = plain_deepcopy
    return targets


def manim_version() -> str:
    import manim

    return str(manim.__version__)


def supported() -> bool:
    """True when the installed Manim is the release these replacements were checked against."""
    return manim_version() == PINNED_MANIM_VERSION


# ``MATHREEL_MANIM_SPEEDUPS=off`` renders with Manim's own code: the reference side of a frame
# check or a benchmark, and the way to rule the replacements out when a frame looks wrong.
SWITCH = "MATHREEL_MANIM_SPEEDUPS"


def wanted() -> bool:
    """Whether a render should install the replacements (unless ``$MATHREEL_MANIM_SPEEDUPS`` is
    ``off``)."""
    return os.environ.get(SWITCH, "").strip().lower() != "off"


def installed() -> bool:
    return bool(ORIGINALS)


def install() -> bool:
    """Put the replacements into Manim's classes; refuse (and change nothing) on another Manim.

    Returns whether they are installed. Installing twice is harmless.
    """
    if not supported():
        print(
            f"mathreel: Manim speedups are checked against Manim {PINNED_MANIM_VERSION}, "
            f"not {manim_version()}; rendering with Manim's own code",
            file=sys.stderr,
        )
        return False
    if installed():
        return True
    for (cls, name), replacement in _replacements().items():
        ORIGINALS[(cls, name)] = cls.__dict__.get(name, _MISSING)
        setattr(cls, name, replacement)
    return True


def uninstall() -> None:
    """Give Manim's classes their original methods back."""
    for (cls, name), original in ORIGINALS.items():
        if original is _MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, original)
    ORIGINALS.clear()


@contextlib.contextmanager
def speedups(enabled: bool = True) -> Iterator[None]:
    """The replacements installed (or, with ``enabled=False``, removed) inside the block only."""
    was_installed = installed()
    if enabled:
        install()
    else:
        uninstall()
    try:
        yield
    finally:
        if was_installed:
            install()
        else:
            uninstall()
