"""Models of the audit app (filled in by its issue)."""
