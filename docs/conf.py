"""Sphinx configuration for the stackopt documentation (myst-parser Markdown + numpydoc)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "stackopt"
author = "stackopt contributors"
copyright = "2026, stackopt contributors"
try:
    from stackopt import __version__ as release
except Exception:  # pragma: no cover - docs can build without an installed package
    release = "0.1.0"
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "README.md"]

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# numpydoc: do not build per-member tables (autosummary stubs) - pages stay warning-free.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_mock_imports: list[str] = []

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "alabaster"
html_static_path: list[str] = []
html_title = f"stackopt {release}"

nitpicky = False
suppress_warnings = ["myst.header"]
