"""Brand colours and font (``brand.json``) and the LaTeX template, installed as ``render.assets``.

Read them through :mod:`render.core.assets`, never by a path relative to a source file.
"""
