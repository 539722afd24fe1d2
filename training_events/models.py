"""Models of the training_events app (filled in by its issue)."""
