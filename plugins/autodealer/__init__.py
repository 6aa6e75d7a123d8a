"""The autodealer policy plugin (see README.md)."""
