"""The zhidu core: hook specifications, plugin loading, profiles, records, storage and the decision log."""
