"""Interactive companion pages: the Monte Carlo scenes as explorable pages, from the same numbers.

``mathreel export SCENE --target interactive`` writes ``<id>.interactive.html``, one self-contained
page (inline script and style, the data embedded, nothing fetched) on which a reader throws the
needles, rolls the dice, drops the balls or flips the coin. The page never simulates: it only
reveals, step by step, what the scene's model drew for a few seeds, so every number it shows is the
model's own and a test can check it against ``mathreel data``.

This module runs the model once per seed and keeps only what the page reveals. Numbers a reader
sees (the readouts) travel as float64 or exact integers, bit for bit; coordinates that are only
drawn are quantized to 16 bits of their known range (1/65535 of the board, far below a pixel).
Arrays are packed little-endian and base64-encoded, which is what keeps four seeds of 2000 needles
under the page budget.

The page templates live in ``assets/interactive/``: ``page.html`` (the frame), ``common.css`` and
``common.js`` (controls, readouts, animation, plotting) and per scene ``<id>.html`` (controls,
readouts, panels) and ``<id>.js`` (what each control reveals and how it is drawn).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import json
import math
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from render.core.assets import assets_dir, brand
from render.core.errors import UserError
from render.core.params import Params
from render.core.spec import SceneSpec
from render.publish import presskit
from render.publish.data_export import model_dict
from render.tools.atomic import write_text

TEMPLATES = "interactive"
PAGE_BUDGET_BYTES = 600 * 1024
DEFAULT_SEEDS = 4
MAX_SEEDS = 16
TARGET = "interactive"
SUFFIX = "interactive.html"
# Indices of a running curve that are drawn (the readouts use every index): log-spaced, as the axis.
DRAWN_POINTS = 240
LLN_DRAWN_PATHS = 40  # faint paths behind the highlighted one
BAYES_GRID_STEP = 4  # every 4th point of the model's density grid is drawn


Record = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# packing: typed arrays the page decodes with atob + a TypedArray view


def _pack(kind: str, values: np.ndarray, **extra: Any) -> dict[str, Any]:
    data = base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")
    return {"t": kind, "b": data, **extra}


def f64(values: Any) -> dict[str, Any]:
    """Exact: a number the reader sees (NaN stays NaN)."""
    return _pack("f64", np.asarray(values, dtype="<f8").ravel())


def f32(values: Any) -> dict[str, Any]:
    """Only drawn: a curve on a chart."""
    return _pack("f32", np.asarray(values, dtype="<f4").ravel())


def uint(values: Any) -> dict[str, Any]:
    """Exact non-negative integers in the narrowest of 8, 16 or 32 bits."""
    a = np.asarray(values).ravel()
    top = int(a.max()) if a.size else 0
    if a.size and int(a.min()) < 0:
        raise ValueError("uint() takes non-negative integers")
    for kind, dtype, limit in (("u8", "<u1", 2**8), ("u16", "<u2", 2**16), ("u32", "<u4", 2**32)):
        if top < limit:
            return _pack(kind, a.astype(dtype))
    raise ValueError(f"integer {top} too large for the page")


def q16(values: Any, lo: float, hi: float) -> dict[str, Any]:
    """Only drawn: values in [lo, hi] on 65536 levels (the page reads lo + k (hi - lo) / 65535)."""
    a = np.asarray(values, dtype=float).ravel()
    levels = np.rint((np.clip(a, lo, hi) - lo) / (hi - lo) * 65535).astype("<u2")
    return _pack("q16", levels, lo=float(lo), hi=float(hi))


def q8_rows(rows: np.ndarray) -> dict[str, Any]:
    """Only drawn: each row of non-negative values scaled to its own maximum on 256 levels."""
    rows = np.asarray(rows, dtype=float)
    top = rows.max(axis=1)
    scale = np.where(top > 0, top, 1.0)
    levels = np.rint(rows / scale[:, None] * 255).astype("<u1")
    return _pack("q8rows", levels, cols=int(rows.shape[1]), max=f32(top))


def drawn_indices(count: int, points: int = DRAWN_POINTS) -> np.ndarray:
    """0-based indices of a running curve worth drawing on a log axis: every early one, then
    log-spaced, always including the last."""
    idx = np.unique(np.rint(np.geomspace(1, count, points)).astype(int) - 1)
    return np.union1d(idx, [count - 1])


def _shared(records: list[Record], key: str) -> Any:
    """A field that does not depend on the seed, taken once (and checked to be the same)."""
    first = records[0][key]
    for other in records[1:]:
        if not np.array_equal(np.asarray(first), np.asarray(other[key]), equal_nan=True):
            raise RuntimeError(f"{key} differs between seeds; it cannot be shared")
    return first


# ---------------------------------------------------------------------------------------------
# per scene: what the page needs from the model


def buffon_page(records: list[Record], _: Callable[..., Record]) -> dict[str, Any]:
    r0 = records[0]
    t, w, h = r0["line_spacing"], r0["board_width"], r0["board_height"]
    count = len(r0["n"])
    drawn = drawn_indices(count)

    def needles(rows: np.ndarray) -> dict[str, Any]:
        return {
            "x": q16(rows[:, 0], 0, w),
            "y": q16(rows[:, 1], 0, h),
            "angle": q16(rows[:, 2], 0, math.pi),
        }

    shared = {
        "count": count,
        "needle_length": r0["needle_length"],
        "line_spacing": t,
        "board_width": w,
        "board_height": h,
        "cross_probability": r0["cross_probability"],
        "long_needle_length": r0["long_needle_length"],
        "long_cross_probability": r0["long_cross_probability"],
        "standard_error": f64(_shared(records, "standard_error")),
        "dart_standard_error": f64(_shared(records, "dart_standard_error")),
        "drawn": uint(drawn),
    }
    if "long_corrected_standard_error" in r0:  # the honest long-needle estimate's band
        shared["long_standard_error"] = f64(_shared(records, "long_corrected_standard_error"))
    runs = [
        {
            "needles": needles(r["needles"]),
            "hits": uint(r["hits"]),
            "estimate": f64(r["running_estimate"]),
            "darts": {
                "x": q16(r["dart_points"][:, 0], 0, 1),
                "y": q16(r["dart_points"][:, 1], 0, 1),
            },
            "dart_inside": uint(r["dart_inside"]),
            "dart_estimate": f64(r["dart_running_estimate"]),
            "long_needles": needles(r["long_needles"]),
            "long_crossings": uint(r["long_crossings"]),
            "long_hits": uint(np.cumsum(np.asarray(r["long_crossings"]) > 0)),
            "long_estimate": f64(r["long_corrected_estimate"]),
            "long_naive_drawn": f32(np.asarray(r["long_naive_estimate"])[drawn]),
        }
        for r in records
    ]
    return {"shared": shared, "runs": runs}


def lln_page(records: list[Record], _: Callable[..., Record]) -> dict[str, Any]:
    r0 = records[0]
    count = len(r0["n"])
    drawn = drawn_indices(count)
    shared = {
        "count": count,
        "paths": int(np.asarray(r0["paths"]).shape[0]),
        "mu": r0["mu"],
        "sigma": r0["sigma"],
        "band_low": f64(_shared(records, "band_low")),
        "band_high": f64(_shared(records, "band_high")),
        "drawn": uint(drawn),
    }
    runs = []
    for r in records:
        paths, cauchy = np.asarray(r["paths"]), np.asarray(r["cauchy_paths"])
        faint = paths[1 : 1 + LLN_DRAWN_PATHS][:, drawn]
        runs.append(
            {
                "rolls": uint(np.asarray(r["rolls"])[0]),
                "mean": f64(paths[0]),
                "outside": f64(r["outside_band_fraction"]),
                "faint": {"rows": len(faint), "values": q16(faint, 1, 6)},
                "cauchy_mean": f64(cauchy[0]),
                "cauchy_faint": {"rows": len(cauchy) - 1, "values": f32(cauchy[1:, drawn])},
            }
        )
    return {"shared": shared, "runs": runs}


def clt_page(records: list[Record], model: Callable[..., Record]) -> dict[str, Any]:
    """The Galton board is the only random part (one per seed); the exact sums do not depend on the
    seed, so they are computed once per die."""
    from scenes.clt.model import DICE

    r0 = records[0]
    dice = {}
    for name in DICE:
        d = r0 if r0["die"] == name else model(die=name)
        dice[name] = {
            "pmf": f64(d["die_pmf"]),
            "mu": d["mu"],
            "sigma": d["sigma"],
            "ns": [int(n) for n in d["ns"]],
            "sums": {
                str(n): {
                    "support": uint(d["sum_supports"][str(n)]),
                    "z": f64(d["standardized"][str(n)]["z"]),
                    "width": d["standardized"][str(n)]["width"],
                    "density": f64(d["standardized"][str(n)]["density"]),
                    "ks": d["standardized"][str(n)]["ks"],
                }
                for n in d["ns"]
            },
            "ks_ns": uint(d["ks_ns"]),
            "ks_distance": f64(d["ks_distance"]),
            "berry_esseen_bound": f64(d["berry_esseen_bound"]),
        }
    rows = int(r0["galton_rows"])
    shared = {
        "die": r0["die"],
        "dice": dice,
        "z_grid": f32(r0["z_grid"]),
        "normal_density": f32(r0["normal_density"]),
        "rows": rows,
        "balls": len(r0["galton_buckets"]),
        "bucket_pmf": f64(stats.binom.pmf(np.arange(rows + 1), rows, 0.5)),
    }
    runs = [
        {"buckets": uint(r["galton_buckets"]), "paths": uint(np.asarray(r["galton_paths"]))}
        for r in records
    ]
    shared["shown"] = int(np.asarray(r0["galton_paths"]).shape[0])
    return {"shared": shared, "runs": runs}


def _beta_rows(params: np.ndarray, grid: np.ndarray) -> dict[str, Any]:
    """The posterior density after every flip, for drawing (the model keeps a ladder of them)."""
    a, b = params[:, 0:1], params[:, 1:2]
    return q8_rows(stats.beta.pdf(grid[None, :], a, b))


def bayes_page(records: list[Record], _: Callable[..., Record]) -> dict[str, Any]:
    r0 = records[0]
    grid = np.asarray(r0["grid"])[::BAYES_GRID_STEP]
    if grid[-1] != 1.0:
        grid = np.append(grid, 1.0)
    shared = {
        "flips": len(r0["flips"]),
        "true_p": r0["true_p"],
        "prior": [float(v) for v in r0["prior"]],
        "stubborn_prior": [float(v) for v in r0["stubborn"]["prior"]],
        "grid": f32(grid),
    }
    runs = []
    for r in records:
        s = r["stubborn"]
        runs.append(
            {
                "flips": uint(r["flips"]),
                "heads": uint(np.concatenate([[0], np.cumsum(r["flips"])])),
                "mean": f64(r["posterior_mean"]),
                "low": f64(r["credible_low"]),
                "high": f64(r["credible_high"]),
                "predictive": f64(r["predictive"]),
                "density": _beta_rows(np.asarray(r["posterior_params"]), grid),
                "stubborn_mean": f64(s["posterior_mean"]),
                "stubborn_low": f64(s["credible_low"]),
                "stubborn_high": f64(s["credible_high"]),
                "stubborn_density": _beta_rows(np.asarray(s["posterior_params"]), grid),
            }
        )
    return {"shared": shared, "runs": runs}


@dataclasses.dataclass(frozen=True)
class Companion:
    """A scene that has a page: how its model output is trimmed, and the embed's default height
    (the page's height at desktop width; the page reports its real height to the embed)."""

    trim: Callable[[list[Record], Callable[..., Record]], dict[str, Any]]
    height: int


COMPANIONS: dict[str, Companion] = {
    "buffon": Companion(buffon_page, 1180),
    "lln": Companion(lln_page, 860),
    "clt": Companion(clt_page, 1120),
    "bayes": Companion(bayes_page, 900),
}


def has_page(scene_id: str) -> bool:
    return scene_id in COMPANIONS


def check_seeds(count: int) -> None:
    if not 1 <= count <= MAX_SEEDS:
        raise UserError(f"--seeds must be between 1 and {MAX_SEEDS}, got {count}")


def page_seeds(base: int, count: int) -> list[int]:
    """The video's seed first, then the next ones: "new experiment" walks through them."""
    check_seeds(count)
    return [base + k for k in range(count)]


def page_data(spec: SceneSpec, params: Params, seeds: list[int]) -> dict[str, Any]:
    """What the page embeds: the trimmed model output of every seed and the page's metadata."""
    companion = COMPANIONS.get(spec.id)
    if companion is None:
        known = ", ".join(COMPANIONS)
        raise UserError(f"scene {spec.id} has no interactive page (pages exist for {known})")

    def model(**changes: Any) -> Record:
        return model_dict(spec.compute(dataclasses.replace(params, **changes)))

    records = [model(seed=s) for s in seeds]
    trimmed = companion.trim(records, model)
    meta = {"scene": spec.id, "title": spec.title, "seeds": seeds, "parameters": params.as_dict()}
    return {**meta, **trimmed}


# ---------------------------------------------------------------------------------------------
# the page


def _template(name: str) -> str:
    return (assets_dir() / TEMPLATES / name).read_text(encoding="utf-8")


def brand_css() -> str:
    """The brand's colours as CSS custom properties: the one place the page takes them from."""
    colours = {name: value for name, value in brand().items() if str(value).startswith("#")}
    return ":root{" + "".join(f"--{n}:{v};" for n, v in colours.items()) + "}\n"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_security_policy(style: str, script: str) -> str:
    """Nothing from anywhere: the style and the script are allowed by their hashes only."""
    return (
        f"default-src 'none'; img-src data:; style-src {_sha256(style)}; "
        f"script-src {_sha256(script)}; base-uri 'none'; form-action 'none'"
    )


def render_page(data: dict[str, Any]) -> str:
    sid = data["scene"]
    style = brand_css() + _template("common.css")
    script = _template("common.js") + _template(f"{sid}.js")
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return string.Template(_template("page.html")).substitute(
        csp=content_security_policy(style, script),
        title=html.escape(data["title"]),
        scene=sid,
        style=style,
        body=_template(f"{sid}.html"),
        data=payload,
        script=script,
    )


def build_page(spec: SceneSpec, params: Params, seeds: list[int]) -> str:
    page = render_page(page_data(spec, params, seeds))
    size = len(page.encode())
    if size > PAGE_BUDGET_BYTES:
        raise UserError(
            f"{spec.id}: the interactive page with {len(seeds)} seeds would be {size // 1024} KB, "
            f"over its {PAGE_BUDGET_BYTES // 1024} KB budget (use fewer --seeds)"
        )
    return page


def write_page(spec: SceneSpec, params: Params, seeds: list[int], path: Path) -> Path:
    """The page for ``params`` (its seed first, then the next ones), written whole or not at all."""
    write_text(path, build_page(spec, params, seeds))
    return path


_DATA_BLOCK = re.compile(r'<script type="application/json" id="mathreel-data">(.*?)</script>', re.S)
_BLOCK = re.compile(r"<(style|script)>(.*?)</\1>", re.S)
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def embedded_data(page: str) -> dict[str, Any]:
    """The model data a page carries (its JSON block), as the page reads it."""
    found = _DATA_BLOCK.search(page)
    if found is None:
        raise UserError("not an interactive page: it carries no mathreel data")
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def page_entry(path: Path) -> dict[str, Any]:
    """The page's line in ``meta.json``: its hash, the seeds and parameters it reveals, and the
    height an embed starts at."""
    data = embedded_data(path.read_text(encoding="utf-8"))
    return presskit.file_entry(
        path, target=TARGET, seeds=data["seeds"], parameters=data["parameters"],
        height=COMPANIONS[data["scene"]].height,
    )  # fmt: skip


def page_problems(path: Path) -> Iterator[tuple[str, bool, str]]:
    """What ``mathreel verify`` checks of a page: its size, and that its policy allows exactly its
    own inline style and script (a page edited by hand would not run)."""
    page = path.read_text(encoding="utf-8")
    size = len(page.encode())
    yield "max bytes", size <= PAGE_BUDGET_BYTES, f"{size} > {PAGE_BUDGET_BYTES}"
    csp = _CSP.search(page)
    blocks = {kind: text for kind, text in _BLOCK.findall(page)}
    want = content_security_policy(blocks.get("style", ""), blocks.get("script", ""))
    yield "policy", csp is not None and csp.group(1) == want, "the CSP hashes do not match"
    yield "data", _DATA_BLOCK.search(page) is not None, "no model data"
