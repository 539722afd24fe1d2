"""Models of the agreements app (filled in by its issue)."""
