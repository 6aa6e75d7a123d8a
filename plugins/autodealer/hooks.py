"""Hook implementations of the autodealer policy plugin (dealership customer-vehicle files)."""

from __future__ import annotations

__version__ = "0.1.0"
