"""Kept for test modules written before zhidu.testing existed: the helpers now ship in the package
(``zhidu.testing``, also a pytest plugin). New tests import from zhidu.testing."""

from zhidu.testing import decide, make_context, run_cli

__all__ = ["decide", "make_context", "run_cli"]
