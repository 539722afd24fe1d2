"""Models of the validations app (filled in by its issue)."""
