"""The one exception type the CLI turns into a single line and exit status 2.

Anything raised as :class:`UserError` is the user's to fix (a typo in a scene id, a parameter out of
range, a missing program); every other exception is a bug and keeps its traceback.
"""


class UserError(Exception):
    """Bad input or a missing prerequisite, described in one line for the person at the terminal."""
