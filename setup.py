"""Package layout that pyproject.toml cannot express: the top-level ``assets/`` folder ships
inside the ``render`` package as ``render.assets``, so a regular (non-editable) install carries the
brand and the LaTeX template and every module finds them with ``importlib.resources``."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["render", "render.*", "scenes", "scenes.*"]),
        "render.assets",
    ],
    package_dir={"render.assets": "assets"},
    package_data={"render.assets": ["*.json", "*.tex"]},
)
