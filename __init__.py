"""zhidu (制度): customer-management policies as executable, explainable, tested rules.

Plugin authors write ``from zhidu import hookimpl``. This module stays tiny on purpose:
it is imported by every CLI start, and ``zhidu --help`` must stay fast.
"""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("zhidu")

__all__ = ["hookimpl", "__version__"]
