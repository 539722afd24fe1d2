"""Models of the background app (filled in by its issue)."""
