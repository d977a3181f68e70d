"""mathreel's library: the pipeline from a registered scene to published files.

The stages are subpackages, each importing only from those listed before it:

* :mod:`render.core`: what a scene is (spec, parameters, qualities, the catalog), settings, the
  error hierarchy, where every file under ``out/`` and the cache lives, and the typed records
  passed between stages;
* :mod:`render.tools`: external programs (ffmpeg, ffprobe, MP4 boxes, the argv runner) and the
  file-system primitives (atomic writes, the output lock, hashing);
* :mod:`render.engine`: rendering (worker, executors, cache, shards, batch, progress);
* :mod:`render.publish`: export targets, captions, press kit, verification, embeds, gallery;
* :mod:`render.cli`: the thin ``mathreel`` command line over all of it.
"""
