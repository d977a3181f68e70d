"""Turning a rendered scene into what a creator uploads or embeds.

:mod:`render.publish.targets` describes every target as data (its files, how ffmpeg makes them and
what :mod:`render.publish.verify` expects of them); :mod:`render.publish.export` finds or renders
the source, encodes only what changed, and writes captions and chapters
(:mod:`~render.publish.captions`) and the press kit (:mod:`~render.publish.presskit`). Embeds, the
gallery and the model's data export read what export wrote.
"""
