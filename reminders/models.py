"""Models of the reminders app (filled in by its issue)."""
