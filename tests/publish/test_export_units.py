"""Captions, chapters, argv, option parsing and embed escaping: no video needed."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import pytest

from render.core.errors import UserError
from render.publish import captions, embed
from render.publish.context import ExportContext
from render.publish.export import ExportOptions, parse_bytes
from render.publish.targets import TARGETS, even, parse_targets
from scenes.registry import SCENES
from tests.helpers import demo_scene
from tests.helpers.kit import run_cli

CUES = (
    captions.Cue(0.5, 2.25, "Roll a die & watch <n> grow"),
    captions.Cue(3661.0, 3662.5, "an hour later"),
)


def test_srt_is_numbered_comma_timed_blocks():
    assert captions.to_srt(CUES) == (
        "1\n00:00:00,500 --> 00:00:02,250\nRoll a die & watch <n> grow\n\n"
        "2\n01:01:01,000 --> 01:01:02,500\nan hour later\n"
    )


def test_vtt_has_header_dot_timing_and_escaped_text():
    assert captions.to_vtt(CUES) == (
        "WEBVTT\n\n00:00:00.500 --> 00:00:02.250\nRoll a die &amp; watch &lt;n&gt; grow\n\n"
        "01:01:01.000 --> 01:01:02.500\nan hour later\n"
    )


def test_srt_and_vtt_parse_back_to_the_same_cues():
    assert captions.parse_srt(captions.to_srt(CUES)) == list(CUES)
    assert captions.parse_vtt(captions.to_vtt(CUES)) == list(CUES)


def test_timeline_clamps_cues_to_the_video_and_keeps_one_block_each(tmp_path: Path):
    path = tmp_path / "t.timeline.json"
    path.write_text(json.dumps({
        "duration": 10.0, "sections": [{"name": "a", "start": 0.0}],
        "cues": [{"start": 1, "end": 12, "text": "two\n\nlines"},
                 {"start": 11, "end": 12, "text": "x"}],
    }))  # fmt: skip
    timeline = captions.Timeline.load(path)
    assert timeline.cues == (captions.Cue(1.0, 10.0, "two\nlines"),)


@pytest.mark.parametrize(
    ("seconds", "stamp"), [(0, "0:00"), (9.99, "0:09"), (75, "1:15"), (3725, "1:02:05")]
)
def test_youtube_timestamps_round_down(seconds, stamp):
    assert captions.youtube_timestamp(seconds) == stamp


def chapters(*starts: float) -> tuple[captions.Chapter, ...]:
    return tuple(captions.Chapter(s, f"part {i}") for i, s in enumerate(starts))


def test_valid_chapters_have_no_problems():
    assert captions.chapter_problems(chapters(0, 10, 25), 40) == []


@pytest.mark.parametrize(
    ("starts", "duration", "problem"),
    [
        ((0, 10), 30, "at least 3"),
        ((1.5, 12, 24), 40, "not 0:00"),
        ((0, 10, 19.5), 40, "'part 1' lasts 9.5 s"),
        ((0, 30, 20), 50, "'part 1' lasts -10.0 s"),
        ((0, 10, 20), 29.9, "'part 2' lasts 9.9 s"),
    ],
)
def test_chapter_rules_are_youtubes(starts, duration, problem):
    problems = captions.chapter_problems(chapters(*starts), duration)
    assert any(problem in p for p in problems), problems


def test_description_has_title_summary_and_parseable_chapters():
    timeline = captions.Timeline(65.0, chapters(0, 12.7, 40), ())
    text = captions.description(demo_scene.SPEC, timeline)
    assert text.startswith(demo_scene.SPEC.title + "\n\n" + demo_scene.SPEC.summary)
    assert "0:00 part 0\n0:12 part 1\n0:40 part 2" in text
    assert captions.parse_chapters(text) == chapters(0, 12, 40)


def test_description_refuses_beats_youtube_would_ignore():
    with pytest.raises(UserError, match="do not make YouTube chapters"):
        captions.description(demo_scene.SPEC, captions.Timeline(30.0, chapters(0, 5, 20), ()))


@pytest.mark.parametrize(
    ("text", "n"), [("2MB", 2 * 1024**2), ("800k", 800 * 1024), ("1.5M", 1572864), ("5000", 5000)]
)
def test_sizes_parse_in_binary_units(text, n):
    assert parse_bytes(text) == n


@pytest.mark.parametrize("bad", ["lots", "", "2XB"])
def test_bad_sizes_are_one_line_errors(bad):
    with pytest.raises(UserError, match="--max-bytes"):
        parse_bytes(bad)


def test_targets_parse_in_order_and_reject_unknown_names():
    assert [t.name for t in parse_targets("web, gif,web")] == ["web", "gif"]
    with pytest.raises(UserError, match="unknown target 'mp3'"):
        parse_targets("web,mp3")
    with pytest.raises(UserError, match="--width"):
        ExportOptions(targets=(), web_width=4)


CTX = ExportContext("s", "T", hero_time=99.0, duration=20.0, width=1920, height=1080, fps=60)


def argv_of(target: str, ctx: ExportContext = CTX, index: int = 0) -> list[str]:
    output = TARGETS[target].outputs[index]
    return output.build(ctx, Path("in.mp4"), Path(f"o.{output.suffix}"), output.rungs(ctx)[0])


def option(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def test_youtube_argv_follows_the_upload_spec():
    argv = argv_of("youtube")
    expected = {
        "-c:v": "libx264", "-profile:v": "high", "-pix_fmt": "yuv420p", "-bf": "2",
        "-g": "30", "-keyint_min": "30", "-sc_threshold": "0", "-flags": "+cgop",
        "-movflags": "+faststart", "-colorspace": "bt709", "-color_primaries": "bt709",
        "-color_trc": "bt709", "-r": "60",
    }  # fmt: skip
    assert {flag: option(argv, flag) for flag in expected} == expected
    assert 16 <= int(option(argv, "-crf")) <= 18 and "-an" in argv


def test_web_targets_scale_to_an_even_column_width_without_audio():
    mp4, webm = argv_of("web"), argv_of("web", index=1)
    assert "scale=1280:-2" in option(mp4, "-filter_complex") and "-an" in mp4
    assert option(mp4, "-crf") == "23" and option(mp4, "-movflags") == "+faststart"
    assert option(webm, "-c:v") == "libvpx-vp9" and option(webm, "-b:v") == "0"
    assert option(webm, "-row-mt") == "1" and "-an" in webm
    narrow = ExportContext("s", "T", 0, 10, width=255, height=144, fps=30, web_width=1280)
    assert "scale=254:-2" in option(argv_of("web", narrow), "-filter_complex")


def test_previews_start_inside_the_video_and_loop():
    gif = argv_of("gif")
    # The loop ends on the hero moment, which (at 99 s, past the end) becomes the last frame.
    assert option(gif, "-ss") == "13.983" and option(gif, "-t") == "6.0"
    graph = option(gif, "-filter_complex")
    assert "fps=15" in graph and "scale=640:-2" in graph
    assert "palettegen=stats_mode=diff" in graph and "dither=bayer" in graph
    assert option(gif, "-loop") == "0" and option(argv_of("webp"), "-loop") == "0"


def test_preview_ladder_never_exceeds_the_source():
    small = ExportContext("s", "T", 0, 10, width=300, height=200, fps=8)
    rungs = TARGETS["gif"].outputs[0].rungs(small)
    assert rungs[0].fps == 8 and rungs[0].width == 300
    assert all(r.fps <= 8 and r.width <= 300 and r.width % 2 == 0 for r in rungs)
    assert len(set(rungs)) == len(rungs)
    assert even(641) == 640 and even(1) == 2


HOSTILE = 'A & B <script>alert("x")</script> {{ site.title }} {% raw %} [l](u) `c` \\'


def hostile_embed() -> embed.Embed:
    return embed.Embed(
        "s", HOSTILE, 640, 360, "k/s.poster.png", "k/s.web.webm", "k/s.web.mp4", "k/s.vtt"
    )


class Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    return parser


def test_html_embed_has_every_required_element_and_escapes_the_title():
    doc = parse(embed.to_html(hostile_embed()))
    tags = [t for t, _ in doc.tags]
    assert tags == ["figure", "video", "source", "source", "track", "a", "figcaption", "script"]
    video = dict(doc.tags)["video"]
    assert {"controls", "muted", "loop", "playsinline"} <= set(video)
    assert "autoplay" not in video and video["preload"] == "metadata"
    assert (video["width"], video["height"], video["poster"]) == ("640", "360", "k/s.poster.png")
    assert video["aria-label"] == HOSTILE  # the title survives as text, not as markup
    sources = [a for t, a in doc.tags if t == "source"]
    assert [s["type"] for s in sources] == ["video/webm", "video/mp4"]
    assert dict(doc.tags)["track"] == {
        "kind": "captions", "src": "k/s.vtt", "srclang": "en", "label": "English", "default": None,
    }  # fmt: skip
    assert "prefers-reduced-motion: reduce" in doc.text[-1]


def test_jekyll_embed_leaves_no_liquid_in_the_title():
    snippet = embed.to_html(hostile_embed(), embed.liquid_escape)
    assert "{{" not in snippet and "{%" not in snippet
    assert dict(parse(snippet).tags)["video"]["aria-label"] == HOSTILE


def test_markdown_embed_is_one_html_block_and_an_escaped_link():
    block, link = embed.to_markdown(hostile_embed()).split("\n\n")
    assert "\n\n" not in block and block == embed.to_html(hostile_embed())
    assert link.startswith("[Download: A \\& B \\<script\\>") and link.endswith("](<k/s.web.mp4>)")
    assert "](" not in link[: link.rindex("](")]


def test_mdx_embed_is_jsx_with_string_literals():
    mdx = embed.to_mdx(hostile_embed())
    assert "playsInline" in mdx and "srcLang=" in mdx and "className=" in mdx
    label = json.dumps(HOSTILE).replace("<", "\\u003c")
    assert f"aria-label={{{label}}}" in mdx and "<script>" not in mdx


def test_hugo_call_quotes_its_parameters():
    call = embed.to_hugo(hostile_embed(), "/v/s/")
    assert call.startswith('{{< mathreel id="s" base="/v/s/" width="640" height="360" title="A & B')
    assert '\\"x\\"' in call and call.endswith('\\\\" >}}')


def test_hugo_shortcode_installs_into_a_site(tmp_path: Path):
    path = embed.install_hugo_shortcode(tmp_path)
    assert path == tmp_path / "layouts" / "shortcodes" / "mathreel.html"
    text = path.read_text()
    assert '.Get "title"' in text and "{{ $base }}{{ $id }}.web.webm" in text
    with pytest.raises(UserError, match="not a folder"):
        embed.install_hugo_shortcode(tmp_path / "missing")


def test_export_needs_exactly_one_of_a_scene_or_all(tmp_path: Path):
    for args in ((), ("exportdemo", "--all")):
        code, output = run_cli("export", *args, "--out", str(tmp_path))
        assert code == 2 and "name one scene or pass --all" in output
    assert not any(tmp_path.iterdir())


def test_dry_run_of_a_scene_never_rendered_says_it_would_render_first(tmp_path: Path):
    code, output = run_cli("export", "--all", "--dry-run", "-t", "poster", "--out", str(tmp_path))
    assert code == 0
    for spec in SCENES:  # every registered scene, none rendered in this empty folder
        assert f"# would render {spec.id} at 1080p first" in output
    assert output.count("ffmpeg -nostdin") == len(SCENES)
    assert not any(tmp_path.iterdir())


def test_verify_embed_and_gallery_without_a_kit_are_one_line_errors(tmp_path: Path):
    for args in (("verify", str(tmp_path)), ("gallery", "--out", str(tmp_path)),
                 ("embed", "exportdemo", "--out", str(tmp_path))):  # fmt: skip
        code, output = run_cli(*args)
        assert code == 2 and "mathreel export" in output and "Traceback" not in output
