"""The bad-input tour, one test per class of input, each case through the installed command.

The suite runs a sample of each class (every distinct mechanism, not every combination);
``python -m tests.reliability.tour`` runs all of them. A case holds when the command exits as
expected, prints one ``error:`` line and no traceback, and leaves every file as it was (see
:mod:`tests.reliability.tour`). Read-only cases run as the unprivileged user ``nobody``, since
root writes through any permission.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import cases, tour

pytestmark = pytest.mark.render


def check(group: str, demo_kit: Path) -> None:
    failed = [o for o in tour.run(cases.cases_of(group, sample_only=True), demo_kit) if not o.held]
    assert not failed, "\n".join(
        f"{o.case.name}: {'; '.join(o.problems)}\n{o.stderr[-500:]}" for o in failed
    )


def test_export_refuses_a_damaged_source_before_touching_the_kit(demo_kit: Path):
    check(cases.DATA, demo_kit)


def test_base_urls_and_tampered_meta_json_inject_nothing(demo_kit: Path):
    check(cases.INJECTION, demo_kit)


def test_bad_folders_are_one_line(demo_kit: Path):
    check(cases.PATHS, demo_kit)


def test_read_only_folders_are_one_line_for_an_unprivileged_user(demo_kit: Path):
    check(cases.READ_ONLY, demo_kit)


def test_damaged_records_are_named_or_rebuilt_with_a_note(demo_kit: Path):
    check(cases.RECORDS, demo_kit)


def test_failing_tools_and_bad_values_are_one_line(demo_kit: Path):
    check(cases.TOOLS, demo_kit)


def test_validation_gaps_are_closed(demo_kit: Path):
    check(cases.VALUES, demo_kit)


def test_every_class_is_tested():
    tested = {cases.DATA, cases.INJECTION, cases.PATHS, cases.READ_ONLY, cases.RECORDS,
              cases.TOOLS, cases.VALUES}  # fmt: skip
    assert set(cases.groups()) == tested
