"""Built-in policy plugins. Each registers through the ``zhidu.plugins`` entry-point group."""
