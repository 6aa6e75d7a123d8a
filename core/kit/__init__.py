"""The plugin authors' kit: the rule listing, the scaffold (`zhidu plugin new`), the conformance
check (`zhidu plugin check`), and what `zhidu.testing` builds on (throwaway companies, golden cases,
rule coverage)."""
