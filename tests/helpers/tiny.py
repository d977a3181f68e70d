"""The size every test render uses: small enough to be quick, large enough to show the layout."""

from render.core.quality import Quality

TINY = Quality("tiny", 256, 144, 5)
