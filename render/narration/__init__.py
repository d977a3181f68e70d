"""Narration: every scene speaks its captions.

A caption's words (``say()`` in a scene) become speech from a recorded take or the bundled voice
(:mod:`.voice`, :mod:`.takes`), the speech files are placed at their cues' start times and mixed
into one track mastered for the platforms (:mod:`.master`), and the result is measured rather than
trusted (:mod:`.loudness`). Speech is made and stored by content, so a scene's timing depends only
on its words, the voice and the takes.
"""
