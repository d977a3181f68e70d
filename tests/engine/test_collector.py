"""The render's garbage collector: frozen and slower inside, as it was after, still collecting."""

from __future__ import annotations

import gc
import weakref

from render.engine.collector import YOUNG_THRESHOLD, render_collector


class Node:
    """A container that can be put in a reference cycle and watched through a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def dropped_cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_inside_a_render_the_old_objects_are_frozen_and_young_collections_are_rarer() -> None:
    before = gc.get_threshold()
    with render_collector():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_during_a_render_are_still_collected_without_asking() -> None:
    with render_collector():
        watched = dropped_cycle()
        survivors = [[] for _ in range(3 * YOUNG_THRESHOLD)]  # net allocations trigger collections
        assert watched() is None
        del survivors


def test_garbage_older_than_the_render_waits_until_it_ends() -> None:
    watched = dropped_cycle()  # unreachable already, but not yet collected
    with render_collector():
        gc.collect()
        assert watched() is not None
    gc.collect()
    assert watched() is None
