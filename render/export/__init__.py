"""Turning a rendered scene into what a creator uploads or embeds.

:mod:`render.export.targets` describes every target as data (its files, how ffmpeg makes them and
what :mod:`render.verify` expects of them); :mod:`render.export.run` finds or renders the source,
encodes only what changed, and writes captions, the description and the press kit's ``meta.json``.
"""
