"""LaTeX started from a format with the scene's preamble already loaded.

Every ``MathTex`` Manim has not compiled before starts ``latex`` on a document whose preamble
(the template's document class and packages) is the same for every formula of a scene, and
loading that preamble is two fifths of the run: a cold batch of the seven scenes compiles about
three hundred formulas, about 0.17 s of CPU each, 0.10 s from a format. :func:`compile_tex`
therefore builds, once per preamble, a format with ``mylatexformat`` (``etex -ini "&latex"
mylatexformat.ltx``), which dumps LaTeX's state at the end of the preamble and makes the
document's own preamble a no-op when it is loaded, and compiles every formula with ``-fmt``.
The formula is typeset from the same state; only TeX's internal numbers for fonts loaded later
can differ in the DVI, which dvisvgm does not write, so its SVG is the same
(``tests/engine/test_tex_formats.py`` compares them; dvisvgm itself does not always write the
glyph definitions in the same order, so they are compared as a set).

Formats live in the user's cache folder beside the shared Tex cache, named by the preamble, the
TeX engine's version and this module's format version; each is written once, by a rename, and
stored inflated (:func:`inflate`), which halves the run of every formula typeset from it.
Anything else (another compiler, a template without ``\\begin{document}``, a format that cannot
be built, a run from the format that fails) goes to Manim's own ``compile_tex``, which then
typesets the formula, or reports its error, exactly as it would have.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT_VERSION = 2  # 2: stored inflated
GZIP_MAGIC = b"\x1f\x8b"
BEGIN_DOCUMENT = "\\begin{document}"
_ORIGINAL: Any = None
_STORE: Path | None = None
_UNBUILDABLE: set[Path] = set()  # formats this process failed to build: not tried again


@functools.cache
def engine_version() -> str:
    """``latex --version``: a format only loads into the engine that dumped it."""
    run = subprocess.run(["latex", "--version"], capture_output=True, text=True, check=False)
    return run.stdout


def format_for(preamble: str, store: Path) -> Path | None:
    """The format of ``preamble`` in ``store``, built if it is not there (None: it cannot be)."""
    digest = hashlib.sha256(repr((FORMAT_VERSION, engine_version(), preamble)).encode())
    name = f"preamble-{digest.hexdigest()[:32]}"
    path = store / f"{name}.fmt"
    if path.is_file():
        return path
    if path in _UNBUILDABLE:
        return None
    try:
        store.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=store, prefix=".tmp-format-") as scratch:
            source = Path(scratch) / "preamble.tex"
            source.write_text(f"{preamble}{BEGIN_DOCUMENT}\n\\end{{document}}\n", encoding="utf-8")
            argv = ["etex", "-ini", "-interaction=batchmode", "-halt-on-error", f"-jobname={name}"]
            argv += ["&latex", "mylatexformat.ltx", source.name]
            run = subprocess.run(argv, cwd=scratch, capture_output=True, check=False)
            built = Path(scratch) / f"{name}.fmt"
            if run.returncode != 0 or not built.is_file():
                _UNBUILDABLE.add(path)
                return None
            inflate(built)
            os.replace(built, path)
    except OSError:  # no etex, or a store that cannot be written: typeset without a format
        _UNBUILDABLE.add(path)
        return None
    return path


def inflate(fmt: Path) -> None:
    """Store a format as TeX reads it, so that loading it does not inflate it again.

    TeX writes a format through zlib's ``gzdopen`` and reads it back with ``gzread``, which reads
    a file that is not gzip-compressed as it is. Inflating the preamble's 6.5 MB format cost half
    of every run from it (``latex`` from the compressed format 0.126 s, from the inflated one
    0.065 s, with the same DVI); inflated it takes 18 MB, once per preamble.
    """
    packed = fmt.read_bytes()
    if packed[:2] == GZIP_MAGIC:
        fmt.write_bytes(gzip.decompress(packed))


def compile_tex(tex_file: Path, tex_compiler: Any, output_format: str) -> Path:
    """``manim.utils.tex_file_writing.compile_tex``: the same DVI, typeset from the preamble's
    format when there is one."""
    from manim import config
    from manim.utils.tex_file_writing import make_tex_compilation_command

    result = tex_file.with_suffix(output_format)
    latex_to_dvi = tex_compiler == "latex" and output_format == ".dvi"
    if _STORE is not None and latex_to_dvi and not result.exists():
        preamble, found, _ = tex_file.read_text(encoding="utf-8").partition(BEGIN_DOCUMENT)
        fmt = format_for(preamble, _STORE) if found else None
        if fmt is not None:
            command = make_tex_compilation_command(
                tex_compiler, output_format, tex_file, config.get_dir("tex_dir")
            )
            command.insert(1, f"-fmt={fmt.with_suffix('')}")
            run = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
            if run.returncode == 0 and result.is_file():
                return result
            result.unlink(missing_ok=True)  # Manim's own run reports what went wrong
    return Path(_ORIGINAL(tex_file, tex_compiler, output_format))


@contextlib.contextmanager
def tex_formats(store: Path) -> Iterator[None]:
    """Inside the block, LaTeX starts from the formats kept in ``store``."""
    global _ORIGINAL, _STORE
    from manim.utils import tex_file_writing

    _ORIGINAL, _STORE = tex_file_writing.compile_tex, store
    tex_file_writing.compile_tex = compile_tex
    try:
        yield
    finally:
        tex_file_writing.compile_tex = _ORIGINAL
        _ORIGINAL, _STORE = None, None
