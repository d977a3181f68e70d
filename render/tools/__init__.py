"""The one place for external programs and file-system primitives.

:mod:`render.tools.media` is the only importer of ffmpeg-python; :mod:`render.tools.probe` reads
ffprobe and MP4 boxes; :mod:`render.tools.proc` runs every program; atomic writes, the output lock
and file hashing live beside them.
"""
