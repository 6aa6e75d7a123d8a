"""The retail policy plugin (see README.md)."""
