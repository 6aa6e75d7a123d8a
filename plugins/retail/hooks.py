"""Hook implementations of the retail policy plugin (store staff conduct, VIP classes, complaints)."""

from __future__ import annotations

__version__ = "0.1.0"
