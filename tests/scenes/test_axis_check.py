"""The axis rule of the layout check catches a number that is not on its tick."""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, Axes, Line, MathTex

from scenes.shared.axis_check import TickedNumbers, axis_number_problems


def test_numbers_half_a_step_off_their_ticks_are_reported():
    # ticks at 52.5, 72.5, 92.5 (lo - 0.5 + k step) but numbers at multiples of the step
    axes = Axes(x_range=[52.5, 110.5, 20], y_range=[0, 1, 0.5], x_length=6, y_length=3)
    axes.x_axis.add_labels({x: MathTex(str(x)) for x in (60, 80, 100)})
    problems = axis_number_problems([axes])
    assert len(problems) == 3 and "'60'" in problems[0]


def test_numbers_on_their_ticks_pass():
    axes = Axes(x_range=[40, 120, 20], y_range=[0, 1, 0.5], x_length=6, y_length=3)
    axes.x_axis.add_numbers()
    axes.y_axis.add_numbers()
    assert axis_number_problems([axes]) == []


def test_hand_drawn_axis_numbers_are_checked_along_their_direction():
    ticks = [Line(np.array([x, 0, 0]), np.array([x, -0.1, 0])) for x in (0.0, 1.0, 2.0)]
    good = [MathTex(str(k)).next_to(t, DOWN) for k, t in enumerate(ticks)]
    assert axis_number_problems([TickedNumbers(ticks, good, RIGHT)]) == []
    shifted = [MathTex(str(k)).next_to(t, DOWN).shift(0.5 * RIGHT) for k, t in enumerate(ticks)]
    assert len(axis_number_problems([TickedNumbers(ticks, shifted, RIGHT)])) == 3
    # the same numbers, read along the other axis, sit on no tick of a vertical axis
    assert len(axis_number_problems([TickedNumbers(ticks, good, UP)])) >= 2


def test_negative_numbers_and_the_origin_follow_manims_conventions():
    """Manim centres a negative number's digits (the minus sign hangs left) and leaves out the
    tick where the other axis crosses; neither is a misplaced number."""
    axes = Axes(x_range=[-4, 4, 1], y_range=[0, 3, 1], x_length=7, y_length=3)
    axes.x_axis.add_numbers()
    axes.y_axis.add_labels({y: MathTex(str(y)) for y in (0, 1, 2)})
    assert axis_number_problems([axes]) == []
