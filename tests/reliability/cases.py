"""Every case of the bad-input tour, by class (see :mod:`tests.reliability.tour`)."""

from __future__ import annotations

import json
import os

from tests.helpers.demo_scene import SCENE_ID as SCENE
from tests.reliability.tour import NOBODY, Case, World, seed_cache

# --- helpers that damage a world ----------------------------------------------------------------


def truncate_master(world: World) -> None:
    data = world.master.read_bytes()
    world.master.write_bytes(data[: len(data) // 2])


def write(relative: str, data: bytes | str) -> object:
    def prepare(world: World) -> None:
        path = world.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    return prepare


def set_timeline(change: object) -> object:
    def prepare(world: World) -> None:
        timeline = json.loads(world.timeline.read_text())
        if callable(change):
            change(timeline)
        world.timeline.write_text(json.dumps(timeline))

    return prepare


def set_meta(**fields: object) -> object:
    return lambda world: world.edit_meta(lambda meta: meta.update(fields))


def read_only_to_nobody(relative: str) -> object:
    """``relative`` (a folder) exists, owned by root: nobody may read it but not write it."""

    def prepare(world: World) -> None:
        folder = world.root / relative
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)

    return prepare


def nobody_owns(relative: str) -> object:
    def prepare(world: World) -> None:
        folder = world.root / relative
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, NOBODY, NOBODY)

    return prepare


def give_out_to_nobody(world: World) -> None:
    for path in [world.out, *world.out.rglob("*")]:
        os.chown(path, NOBODY, NOBODY)


def both(*steps: object) -> object:
    def prepare(world: World) -> None:
        for step in steps:
            step(world)  # type: ignore[operator]

    return prepare


def remove(relative: str) -> object:
    return lambda world: (world.root / relative).unlink()


def other_kit_damaged(world: World) -> None:
    (world.out / "lln").mkdir()
    (world.out / "lln" / "meta.json").write_text('{"id": "lln", "title": ')


def unregistered_kit(world: World) -> None:
    import shutil

    shutil.copytree(world.kit, world.out / "evil")
    meta = json.loads((world.out / "evil" / "meta.json").read_text())
    meta["id"] = "evil"
    meta["files"] = {k.replace(SCENE, "evil"): v for k, v in meta["files"].items()}
    (world.out / "evil" / "meta.json").write_text(json.dumps(meta))
    for path in (world.out / "evil").glob(f"{SCENE}.*"):
        path.rename(path.with_name(path.name.replace(SCENE, "evil")))


# --- the cases ----------------------------------------------------------------------------------

POSTER = ("export", SCENE, "--target", "poster", "--out", "{out}")
CASES: list[Case] = []


def add(group: str, name: str, *argv: str, **kw: object) -> None:
    CASES.append(Case(group, name, tuple(argv), **kw))  # type: ignore[arg-type]


# Data loss: export must check its source before touching the kit, never publish a failed file.
DATA = "data loss: damaged source"
add(DATA, "truncated master, poster", *POSTER, code=1, says="damaged", demo=True,
    prepare=truncate_master)  # fmt: skip
add(DATA, "truncated master, every target", "export", SCENE, "--out", "{out}", code=1,
    says="damaged", demo=True, prepare=truncate_master)  # fmt: skip
add(DATA, "empty master", *POSTER, code=1, demo=True,
    prepare=lambda w: w.master.write_bytes(b""))  # fmt: skip
add(DATA, "master is not a video", *POSTER, code=1, demo=True,
    prepare=lambda w: w.master.write_bytes(b"not a video at all " * 100))  # fmt: skip
add(DATA, "master shorter than its timeline", *POSTER, code=1, says="timeline", demo=True,
    prepare=set_timeline(lambda t: t.update(duration=300.0)))  # fmt: skip
add(DATA, "ffmpeg exits 0 and writes nothing", *POSTER, code=1, says="poster.png", demo=True,
    prepare=both(remove(f"out/{SCENE}/.export-state.json"),
                 lambda w: w.fake_program("ffmpeg", "exit 0")))  # fmt: skip

# Injection: the base URL is a relative path or an http(s) URL, whatever the format.
INJECTION = "injection: base URL and meta.json"
PAYLOADS = {
    "javascript": "javascript:alert(1)",
    "data url": "data:text/html,<script>alert(1)</script>",
    "markup": '"><script>alert(1)</script>',
    "markdown link": "x)](javascript:alert(1)",
    "liquid": "{{ site.secret }}/",
    "protocol-relative": "//evil.example/",
    "tab in scheme": "java\tscript:alert(1)",
}
for i, fmt in enumerate(("html", "markdown", "hugo", "jekyll", "mdx")):
    for j, (label, url) in enumerate(PAYLOADS.items()):
        add(INJECTION, f"{fmt}: {label}", "embed", SCENE, "--format", fmt, "--base-url", url,
            "--out", "{out}", says="--base-url", demo=True, sample=i == j % 5)  # fmt: skip
add(INJECTION, "meta.json width is markup", "embed", SCENE, "--out", "{out}", code=1,
    says="width", demo=True, prepare=set_meta(width='"><script>alert(1)</script>'))  # fmt: skip
add(INJECTION, "meta.json fps is markup (gallery)", "gallery", "--out", "{out}", code=2,
    says="no press kit", demo=True,
    prepare=set_meta(fps="<img src=x onerror=alert(1)>"))  # fmt: skip
add(INJECTION, "unregistered kit left out of the gallery", "gallery", "--out", "{out}", code=0,
    says="not a registered scene", demo=True, writes=True, prepare=unregistered_kit)  # fmt: skip
add(INJECTION, "file name with a path in meta.json", "gallery", "--out", "{out}", code=2,
    demo=True, prepare=lambda w: w.edit_meta(
        lambda m: m["files"].update({"../../x": {"bytes": 1, "sha256": "", "target": "x"}})
    ))  # fmt: skip

# Bogus folders from flags, environment and mathreel.toml.
PATHS = "bad folders"
BAD_FOLDERS = {
    "an existing file": "{kit}/meta.json",
    "under /dev/null": "/dev/null/out",
    "/dev/null itself": "/dev/null",
    "under /proc": "/proc/mathreel-out",
    "a name too long": "{root}/" + "x" * 300,
}
for i, (label, folder) in enumerate(BAD_FOLDERS.items()):
    add(PATHS, f"render --out {label}", "render", "lln", "--out", folder, says="--out",
        sample=i == 0)  # fmt: skip
    add(PATHS, f"data --out {label}", "data", "lln", "--out", folder, sample=i == 1)
    add(PATHS, f"batch --out {label}", "batch", "lln", "--out", folder, sample=i == 2)
    add(PATHS, f"export --out {label}", "export", SCENE, "--out", folder, demo=True,
        sample=i == 3)  # fmt: skip
    add(PATHS, f"MATHREEL_CACHE {label}", "render", "lln", env=(("MATHREEL_CACHE", folder),),
        says="MATHREEL_CACHE", sample=i in (0, 4))  # fmt: skip
add(PATHS, "MATHREEL_OUT an existing file", "data", "lln", says="mathreel.toml: exists",
    env=(("MATHREEL_OUT", "mathreel.toml"),), prepare=write("mathreel.toml", ""))  # fmt: skip
add(PATHS, "gallery --out a file", "gallery", "--out", "{kit}/meta.json", demo=True)
add(PATHS, "export --dry-run into /dev/null", "export", SCENE, "--dry-run", "--out", "/dev/null",
    says="/dev/null", demo=True)  # fmt: skip
add(PATHS, "verify /dev/null", "verify", "/dev/null")
add(PATHS, "embed --hugo-shortcode /dev/null", "embed", "--hugo-shortcode", "/dev/null")

# Read-only folders, as an unprivileged user (root would write anyway).
READ_ONLY = "read-only folders (as nobody)"
add(READ_ONLY, "render into a read-only out", "render", "lln", "--out", "{root}/ro",
    nobody=True, prepare=read_only_to_nobody("ro"), says="Permission denied")  # fmt: skip
add(READ_ONLY, "data into a read-only out", "data", "lln", "--out", "{root}/ro",
    nobody=True, prepare=read_only_to_nobody("ro"))  # fmt: skip
add(READ_ONLY, "export into a read-only kit", *POSTER, nobody=True, demo=True,
    says="Permission denied")  # fmt: skip
add(READ_ONLY, "gallery into a read-only out", "gallery", "--out", "{out}", nobody=True,
    demo=True)  # fmt: skip
add(READ_ONLY, "read-only cache on a cache hit", "render", SCENE, "-q", "preview", "--out",
    "{root}/mine", nobody=True, demo=True, says="MATHREEL_CACHE",
    env=(("MATHREEL_CACHE", "{root}/rocache"),),
    prepare=both(lambda w: seed_cache(w, w.root / "rocache"), nobody_owns("mine")))  # fmt: skip
add(READ_ONLY, "export with a read-only cache", *POSTER, nobody=True, demo=True,
    env=(("MATHREEL_CACHE", "{root}/rocache"),), says="MATHREEL_CACHE",
    prepare=both(read_only_to_nobody("rocache"), give_out_to_nobody))  # fmt: skip
add(READ_ONLY, "hugo shortcode into a read-only site", "embed", "--hugo-shortcode", "{root}/site",
    nobody=True, prepare=read_only_to_nobody("site"))  # fmt: skip

# Damaged records, each named with its path; what is only a cache is rebuilt with a note.
RECORDS = "damaged records"
META = f"out/{SCENE}/meta.json"
for label, text in {
    "invalid JSON": "{", "empty": "", "a list": "[]", "no files": json.dumps({"id": SCENE}),
    "not UTF-8": b"\xff\xfe{}",
}.items():  # fmt: skip
    add(RECORDS, f"meta.json {label}: embed", "embed", SCENE, "--out", "{out}", code=1,
        says="meta.json", demo=True, prepare=write(META, text))  # fmt: skip
    add(RECORDS, f"meta.json {label}: verify", "verify", "{out}", code=1, says="meta.json",
        demo=True, prepare=write(META, text), sample=label == "a list")  # fmt: skip
add(RECORDS, "meta.json duration NaN", "embed", SCENE, "--out", "{out}", code=1,
    says="duration", demo=True, prepare=lambda w: w.meta.write_text(
        w.meta.read_text().replace('"duration": ', '"duration": NaN, "x": ', 1)))  # fmt: skip
add(RECORDS, "meta.json seed a string", "embed", SCENE, "--out", "{out}", code=1,
    says="seed", demo=True, prepare=set_meta(seed="0"))  # fmt: skip
TIMELINE = f"out/{SCENE}/preview/{SCENE}.timeline.json"
for label, text in {
    "invalid JSON": "{", "{}": "{}", "negative duration": '{"duration": -3}',
    "NaN duration": '{"duration": NaN}', "cues not a list": '{"duration": 30, "cues": 5}',
    "cue without text": '{"duration": 30, "cues": [{"start": 0, "end": 1}]}',
}.items():  # fmt: skip
    add(RECORDS, f"timeline {label}", *POSTER, code=1, says="timeline.json", demo=True,
        prepare=write(TIMELINE, text), sample="JSON" in label or "NaN" in label)  # fmt: skip
add(RECORDS, "timeline missing", *POSTER, code=1, says="timeline.json", demo=True,
    prepare=remove(TIMELINE))  # fmt: skip
STATE = f"out/{SCENE}/.export-state.json"
for label, text in {"invalid JSON": "{", "a list": "[1]", "wrong entry": '{"gif": 5}'}.items():
    add(RECORDS, f".export-state.json {label}", *POSTER, code=0, says="note:", demo=True,
        writes=True, prepare=write(STATE, text), sample=label == "wrong entry")  # fmt: skip
add(RECORDS, "another kit's meta.json damaged: export", *POSTER, code=0, says="left out lln",
    demo=True, writes=True, prepare=other_kit_damaged)  # fmt: skip
add(RECORDS, "another kit's meta.json damaged: gallery", "gallery", "--out", "{out}", code=0,
    says="left out lln", demo=True, writes=True, prepare=other_kit_damaged)  # fmt: skip
for label, change in {
    "render_seconds a string": {"render_seconds": "slow"},
    "created a list": {"created": [1]},
    "inputs a string": {"inputs": "x"},
}.items():
    add(RECORDS, f"cache entry.json {label}: cache list", "cache", "list", code=0,
        says="note:", demo=True, writes=True, sample="created" in label,
        prepare=lambda w, c=change: seed_entry_change(w, c))  # fmt: skip
    add(RECORDS, f"cache entry.json {label}: cache explain", "cache", "explain", SCENE,
        "--voice", "none", code=0,
        says="corrupt", demo=True, writes=True, sample="inputs" in label,
        prepare=lambda w, c=change: seed_entry_change(w, c))  # fmt: skip
for label, text in {"invalid JSON": "{", "a list": "[]", "numbers": '{"scene": 5}'}.items():
    add(RECORDS, f"cache last/ record {label}", "cache", "explain", SCENE, code=0,
        says="note:", demo=True, writes=True, sample=label == "numbers",
        prepare=lambda w, t=text: w.cache.joinpath("last").mkdir(parents=True)
        or w.cache.joinpath("last", f"{SCENE}@preview.json").write_text(t))  # fmt: skip


def seed_entry_change(world: World, change: dict) -> None:
    entry = seed_cache(world) / "entry.json"
    record = json.loads(entry.read_text())
    record.update(change)
    entry.write_text(json.dumps(record))


# Tools that fail or are missing, and sizes and addresses that are not.
TOOLS = "failing tools and bad values"
add(
    TOOLS,
    "ffmpeg fails during export",
    *POSTER,
    code=1,
    says="ffmpeg",
    demo=True,
    prepare=both(remove(STATE), lambda w: w.fake_program("ffmpeg", "echo broken >&2; exit 1")),
)
add(TOOLS, "ffprobe fails during export", *POSTER, code=1, says="ffprobe", demo=True,
    prepare=lambda w: w.fake_program("ffprobe", "echo broken >&2; exit 1"))  # fmt: skip
add(TOOLS, "ffprobe prints garbage", *POSTER, code=1, says="ffprobe", demo=True,
    prepare=lambda w: w.fake_program("ffprobe", "echo '{not json'"))  # fmt: skip
for size in ("inf", "nan", "-inf", "1e400", "", "-5", "10q", "9" * 60):
    add(TOOLS, f"--max-bytes {size!r}", "export", SCENE, "--max-bytes", size, "--out", "{out}",
        says="--max-bytes", demo=True, sample=size in ("inf", ""))  # fmt: skip
for address in ("not a url", "http://", "tcp://", "file:///etc/passwd"):
    add(TOOLS, f"--scheduler {address!r}", "batch", "lln", "--executor", "dask", "--scheduler",
        address, "--out", "{out}", sample=address == "not a url")  # fmt: skip
add(TOOLS, "latex missing", "render", "lln", "-q", "preview", "--out", "{out}", says="latex",
    prepare=lambda w: [w.fake_program(p, f'exec {__import__("shutil").which(p)} "$@"')
                       for p in ("ffmpeg", "ffprobe", "fc-list", "fc-match")],
    env=(("PATH", "{root}/bin"),))  # fmt: skip

# Validation gaps: values each checked before anything is written.
VALUES = "validation gaps"
for label, argv in {
    "seed 2**32": ("--seed", str(2**32)),
    "seed 10**30": ("--seed", str(10**30)),
    "seed -1": ("--seed", "-1"),
    "exponent 1e-999999999": ("--set", "epsilon=1e-999999999"),
    "4400-digit integer": ("--set", "n=" + "9" * 4400),
    "long float": ("--set", "epsilon=0." + "1" * 100),
    "n x paths past the memory budget": ("--set", "n=100000", "--set", "paths=2000"),
    "hist_samples past the memory budget": ("--set", "hist_samples=200000", "--set", "n=100000",
                                            "--set", "paths=1000"),
}.items():  # fmt: skip
    add(VALUES, f"data lln {label}", "data", "lln", *argv, "--out", "{out}")
    add(VALUES, f"render lln {label}", "render", "lln", *argv, "--out", "{out}",
        sample="seed 2" in label)  # fmt: skip
add(VALUES, "bayes exponent in a fraction", "data", "bayes", "--set", "prior_h=1e-999999999",
    "--out", "{out}")  # fmt: skip
add(VALUES, "gradient-descent SGD past the memory budget", "data", "gradient-descent", "--set",
    "sgd_runs=5000", "--set", "sgd_steps=20000", "--out", "{out}", says="GB")  # fmt: skip
add(VALUES, "empty MATHREEL_OUT is unset", "data", "lln", code=0, says="out/lln/lln.data.json",
    writes=True, env=(("MATHREEL_OUT", ""),))  # fmt: skip
add(VALUES, "empty MATHREEL_CACHE is unset", "cache", "list", code=0, says="0 entries",
    env=(("MATHREEL_CACHE", ""),))  # fmt: skip
for label, text in {
    "out = 5": b"out = 5\n", "out = [1]": b"out = [1]\n", "out = {a = 1}": b"out = {a = 1}\n",
    "out = true": b"out = true\n", 'out = ""': b'out = ""\n', "not UTF-8": b'out = "\xff"\n',
    "not TOML": b"out = \n", "unknown key": b'outt = "x"\n',
}.items():  # fmt: skip
    add(VALUES, f"mathreel.toml {label}", "data", "lln", says="mathreel.toml",
        prepare=write("mathreel.toml", text), sample="5" in label or "UTF" in label)  # fmt: skip
add(VALUES, "embed with the .vtt missing", "embed", SCENE, "--out", "{out}", says=".vtt",
    demo=True, prepare=remove(f"out/{SCENE}/{SCENE}.vtt"))  # fmt: skip


def groups() -> list[str]:
    return list(dict.fromkeys(case.group for case in CASES))


def cases_of(group: str, sample_only: bool = False) -> list[Case]:
    return [c for c in CASES if c.group == group and (c.sample or not sample_only)]
