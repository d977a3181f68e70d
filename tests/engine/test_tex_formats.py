"""LaTeX started from a preamble's format writes the same SVG as Manim's own run (real LaTeX)."""

from __future__ import annotations

import contextlib
import gzip
import subprocess
from pathlib import Path
from subprocess import DEVNULL

import pytest
from manim import TexTemplate, tempconfig
from manim.utils import tex_file_writing
from manim.utils.tex_file_writing import generate_tex_file, tex_to_svg_file

from render.engine import tex_formats

FORMULAS = [
    ("x^{2} + \\alpha_1", "align*"),
    ("\\begin{pmatrix} 2 & -400 \\\\ -400 & 200 \\end{pmatrix}", "align*"),
    ("\\text{sd}_i = \\sigma\\sqrt{\\frac{\\alpha}{\\lambda_i(2 - \\alpha\\lambda_i)}}", "align*"),
    ("\\hat m_1 / \\sqrt{\\hat v_1} = g / |g|", "align*"),
    ("3.14", "align*"),
    ("Bayes' rule, \\emph{as odds}", "center"),
]


def drawn(svg: Path) -> list[bytes]:
    """An SVG's lines, its glyph definitions sorted: dvisvgm does not always write them in the
    same order (even for the same DVI), and what refers to them is kept in its order."""
    lines = svg.read_bytes().splitlines()
    start, end = lines.index(b"<defs>"), lines.index(b"</defs>")
    return lines[:start] + sorted(lines[start:end]) + lines[end:]


def svgs(tex_dir: Path, store: Path | None, template: TexTemplate | None = None) -> list[list]:
    """Every formula as dvisvgm draws it, typeset by Manim's own run or, given a store, from
    formats."""
    formats = contextlib.nullcontext() if store is None else tex_formats.tex_formats(store)
    with tempconfig({"tex_dir": str(tex_dir)}), formats:
        return [drawn(Path(tex_to_svg_file(f, env, template))) for f, env in FORMULAS]


def test_formulas_typeset_from_the_format_are_the_same_svgs(tmp_path: Path) -> None:
    want = svgs(tmp_path / "plain", None)
    got = svgs(tmp_path / "formats", tmp_path / "store")
    assert got == want
    (built,) = (tmp_path / "store").glob("*.fmt")  # one preamble, one format
    assert built.read_bytes()[:2] != tex_formats.GZIP_MAGIC  # stored as TeX loads it


def test_the_inflated_format_typesets_the_dvi_of_the_one_tex_wrote(tmp_path: Path) -> None:
    """TeX reads the format it wrote compressed and the same format inflated into one state."""
    store = tmp_path / "store"
    svgs(tmp_path / "first", store)
    (inflated,) = store.glob("*.fmt")
    packed = tmp_path / "packed" / inflated.name
    packed.parent.mkdir()
    packed.write_bytes(gzip.compress(inflated.read_bytes()))
    with tempconfig({"tex_dir": str(tmp_path / "tex")}):
        source = generate_tex_file(*FORMULAS[2])
    dvis = []
    for fmt in (inflated, packed):
        out = tmp_path / f"from-{fmt.parent.name}"
        out.mkdir()
        argv = ["latex", f"-fmt={fmt.with_suffix('')}", "-interaction=batchmode"]
        subprocess.run([*argv, f"-output-directory={out}", str(source)], check=True, stdout=DEVNULL)
        dvi = (out / source.with_suffix(".dvi").name).read_bytes()
        dvis.append(dvi[:15] + dvi[15 + dvi[14] :])  # without the comment: TeX's clock
    assert dvis[0] == dvis[1] and len(dvis[0]) > 200


def test_the_format_is_used_and_built_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with tempconfig({"tex_dir": str(tmp_path / "tex")}), tex_formats.tex_formats(store):
        first = generate_tex_file("y = mx + b", "align*")
        tex_file_writing.compile_tex(first, "latex", ".dvi")  # the installed one
        (built,) = store.glob("*.fmt")
        stamp = built.stat().st_mtime_ns
        second = generate_tex_file("y = mx + c", "align*")
        tex_file_writing.compile_tex(second, "latex", ".dvi")
    assert built.stat().st_mtime_ns == stamp
    log = second.with_suffix(".log").read_text(errors="replace")
    assert f"preloaded format={built.stem}" in log


def test_another_preamble_gets_its_own_format(tmp_path: Path) -> None:
    template = TexTemplate()
    template.add_to_preamble("\\usepackage{xcolor}\\newcommand{\\shout}[1]{\\textbf{#1}}")
    want = svgs(tmp_path / "plain", None, template)
    got = svgs(tmp_path / "formats", tmp_path / "store", template)
    assert got == want
    svgs(tmp_path / "default", tmp_path / "store")
    assert len(list((tmp_path / "store").glob("*.fmt"))) == 2


def test_a_broken_format_falls_back_to_manims_run(tmp_path: Path) -> None:
    store = tmp_path / "store"
    svgs(tmp_path / "first", store)
    (built,) = store.glob("*.fmt")
    built.write_bytes(b"not a format")
    assert svgs(tmp_path / "again", store) == svgs(tmp_path / "plain", None)


def test_an_error_in_a_formula_is_manims_error(tmp_path: Path) -> None:
    with tempconfig({"tex_dir": str(tmp_path / "tex")}), tex_formats.tex_formats(tmp_path / "s"):
        broken = generate_tex_file("\\undefinedcommand{x}", "align*")
        with pytest.raises(ValueError, match="latex error converting to dvi"):
            tex_file_writing.compile_tex(broken, "latex", ".dvi")
        assert not broken.with_suffix(".dvi").exists()


def test_an_unwritable_store_typesets_without_a_format(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("in the way")
    assert svgs(tmp_path / "t", blocked / "store") == svgs(tmp_path / "plain", None)
