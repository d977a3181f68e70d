"""What the convex study says, as facts and sentences: who wins where, and who fails.

Pure Python over :class:`scenes.gradient_descent.convex.ConvexStudy`, so every claim the verdict
beat makes is computed from the runs (and changes with them under ``--set``), never written down.
"""

from __future__ import annotations

import dataclasses

from scenes.gradient_descent.convex import OPTIMIZERS, ConvexProblem, ConvexStudy

NAMES = {
    "gd": "GD",
    "momentum": "heavy ball",
    "nesterov": "Nesterov",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
ADAPTIVE = ("rmsprop", "adam")
MOMENTUM = ("momentum", "nesterov")
ENOUGH = 2.0  # plain GD "is enough" while it needs at most this many times the winner's steps


def steps(problem: ConvexProblem, name: str) -> int:
    return int(problem.runs[name].steps_to_tolerance)


def winner(problem: ConvexProblem) -> str:
    """The optimizer with the fewest steps to the tolerance (ties: the earlier in OPTIMIZERS)."""
    arrived = [
        (steps(problem, n), i, n) for i, n in enumerate(OPTIMIZERS) if steps(problem, n) >= 0
    ]
    return min(arrived)[2] if arrived else ""


def count(n: int, budget: int) -> str:
    """A step count as said aloud: '1,686', or 'not within 20,000' for a run that never arrived."""
    return f"{n:,}" if n >= 0 else f"not within {budget:,}"


@dataclasses.dataclass(frozen=True)
class Verdict:
    aligned: list[ConvexProblem]  # by kappa
    rotated: list[ConvexProblem]
    logistic: ConvexProblem | None
    budget: int

    @classmethod
    def of(cls, study: ConvexStudy) -> Verdict:
        quadratics = sorted(
            (p for p in study.problems if p.kind == "quadratic"), key=lambda p: p.kappa
        )
        logistic = next((p for p in study.problems if p.kind == "logistic"), None)
        return cls(
            aligned=[p for p in quadratics if not p.rotated],
            rotated=[p for p in quadratics if p.rotated],
            logistic=logistic,
            budget=study.max_steps,
        )

    def span(self, problems: list[ConvexProblem], name: str) -> str:
        """'165 steps at every kappa', or the range of counts over the kappas."""
        counts = [steps(p, name) for p in problems]
        if len(set(counts)) == 1:
            return f"{count(counts[0], self.budget)} steps at every κ"
        low, high = problems[0], problems[-1]
        return (
            f"{count(counts[0], self.budget)} steps at κ = {low.kappa:,.0f}, "
            f"{count(counts[-1], self.budget)} at κ = {high.kappa:,.0f}"
        )

    def best_adaptive(self, problems: list[ConvexProblem]) -> str:
        """The adaptive method with the fewer steps on the hardest problem of the list."""
        hardest = problems[-1]
        return min(ADAPTIVE, key=lambda n: _rank(steps(hardest, n)))

    def failures(self) -> list[tuple[str, ConvexProblem]]:
        """(optimizer, problem) for every tuned run that did not arrive within the budget."""
        everything = [*self.aligned, *self.rotated, *([self.logistic] if self.logistic else [])]
        return [(n, p) for p in everything for n in OPTIMIZERS if steps(p, n) < 0]

    def lines(self) -> dict[str, str]:
        """The beat's narration, one caption each, every number from the runs."""
        hard_a, hard_r, easy_r = self.aligned[-1], self.rotated[-1], self.rotated[0]
        adaptive = self.best_adaptive(self.aligned)
        rotated_adaptive = self.best_adaptive(self.rotated)
        adaptive_span = self.span(self.aligned, adaptive)
        out = {
            "aligned": f"Along the axes, {NAMES[adaptive]} needs {adaptive_span}.",
            "rotated": (
                f"Rotated: GD, momentum unchanged; {NAMES[rotated_adaptive]}"
                f" {count(steps(hard_r, rotated_adaptive), self.budget)} steps"
                f" at κ = {hard_r.kappa:,.0f}."
            ),
            "easy": (
                f"At κ = {easy_r.kappa:,.0f} plain GD needs {steps(easy_r, 'gd'):,} steps,"
                f" {NAMES[winner(easy_r)]} {steps(easy_r, winner(easy_r)):,}:"
                f" {'GD is enough' if self.gd_is_enough(easy_r) else 'even here GD is slow'}."
            ),
        }
        gd_theory, hb_theory = hard_a.theory["gd"], hard_a.theory["momentum"]
        out["theory"] = (
            f"At κ = {hard_a.kappa:,.0f} GD's error shrinks {gd_theory.measured_rate:.5f}"
            f" a step; theory: {gd_theory.rate:.5f}."
        )
        out["theory_momentum"] = (
            f"Heavy ball's shrinks {hb_theory.measured_rate:.4f} a step; theory:"
            f" {hb_theory.rate:.4f}, times a factor t."
        )
        if self.logistic is not None:
            lg = self.logistic
            best = winner(lg)
            out["logistic"] = (
                f"{lg.details['samples']} tumours, logistic loss: {NAMES[best]}"
                f" {steps(lg, best):,} steps, Adam {count(steps(lg, 'adam'), self.budget)},"
                f" GD {count(steps(lg, 'gd'), self.budget)}."
            )
        return out

    def intro(self, grid_size: int) -> str:
        kappas = [p.kappa for p in self.aligned]
        return (
            f"Convex bowls, κ from {min(kappas):,.0f} to {max(kappas):,.0f}; every rate tuned"
            f" over {grid_size} values."
        )

    def gd_is_enough(self, problem: ConvexProblem) -> bool:
        best = steps(problem, winner(problem))
        gd = steps(problem, "gd")
        return 0 <= gd <= ENOUGH * best

    def rules(self) -> list[tuple[str, str]]:
        """The verdict card: (regime, what wins there), each decided by the runs."""
        hard_a, hard_r, easy_r = self.aligned[-1], self.rotated[-1], self.rotated[0]
        rows = [
            (
                f"well conditioned (κ = {easy_r.kappa:,.0f})",
                (
                    f"plain GD is enough: {steps(easy_r, 'gd'):,} steps"
                    if self.gd_is_enough(easy_r)
                    else f"{NAMES[winner(easy_r)]} wins"
                )
                + f", best {steps(easy_r, winner(easy_r)):,} ({NAMES[winner(easy_r)]})",
            ),
            (
                f"steep along the axes (κ = {hard_a.kappa:,.0f})",
                f"{NAMES[winner(hard_a)]} wins: {steps(hard_a, winner(hard_a)):,} steps",
            ),
            (
                f"steep and rotated (κ = {hard_r.kappa:,.0f})",
                f"{NAMES[winner(hard_r)]} wins: {steps(hard_r, winner(hard_r)):,} steps",
            ),
        ]
        if self.logistic is not None:
            best = winner(self.logistic)
            rows.append(
                (
                    "real data (logistic regression)",
                    f"{NAMES[best]} wins: {steps(self.logistic, best):,} steps",
                )
            )
        return rows


def _rank(n: int) -> float:
    return n if n >= 0 else float("inf")
