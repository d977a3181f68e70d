"""The one line a failed render is reported with, read from the worker's log.

Most failures end with the exception's own line, which says enough. A LaTeX error does not:
Manim raises "latex error converting to dvi. See log output above or the log file: X" after
logging a hundred lines. For that case the line names TeX's complaint (the first ``!`` line of
TeX's own log), the offending formula (from the ``.tex`` file beside it) and the line of the
scene that built it (the innermost frame of the traceback in the scene's own files).
"""

from __future__ import annotations

import re
from pathlib import Path

TEX_LOG = re.compile(r"latex error converting to \w+\..*the log file: (?P<log>\S+)")
FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
SPECIAL = re.compile(r"\\special\{[^{}]*\}")


def describe_failure(log: str, project_root: Path, cwd: Path) -> str:
    """What went wrong, on one line (the log's last line unless it was a LaTeX error).

    ``cwd`` is the worker's working folder (Manim names TeX's log relative to it).
    """
    lines = [line for line in log.strip().splitlines() if line.strip()] or ["no output"]
    latex = TEX_LOG.search(log)
    if latex is None:
        return lines[-1].strip()
    tex_log = cwd / latex["log"]
    parts = [f"LaTeX error: {_complaint(tex_log)}"]
    formula = _formula(tex_log.with_suffix(".tex"))
    if formula:
        parts.append(f'in "{formula}"')
    where = _scene_line(log, project_root)
    if where:
        parts.append(f"at {where}")
    return " ".join(parts)


def _complaint(tex_log: Path) -> str:
    try:
        text = tex_log.read_text(errors="replace")
    except OSError:
        return "see the log"
    return next((line[2:].strip() for line in text.splitlines() if line.startswith("! ")), "?")


def _formula(tex_file: Path) -> str:
    """The body of the document Manim wrote for the formula, without its dvisvgm markers."""
    try:
        text = tex_file.read_text(errors="replace")
    except OSError:
        return ""
    body = text.partition("\\begin{document}")[2].partition("\\end{document}")[0]
    body = SPECIAL.sub("", body)
    body = re.sub(r"\\(begin|end)\{(align\*|center)\}", "", body)
    return " ".join(body.split())


def _scene_line(log: str, project_root: Path) -> str:
    """``scenes/<id>/scene.py:N``: the last traceback frame in a scene's own folder (else in
    ``scenes/`` at all), relative to the project."""
    scenes = project_root / "scenes"
    frames = [(Path(f), n) for f, n in FRAME.findall(log) if Path(f).is_relative_to(scenes)]
    own = [(f, n) for f, n in frames if not f.is_relative_to(scenes / "shared")]
    chosen = (own or frames)[-1:]
    return "".join(f"{f.relative_to(project_root)}:{n}" for f, n in chosen)
