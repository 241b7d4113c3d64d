"""Services: one verb-named function per use case, one transaction each."""
