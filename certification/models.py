"""Models of the certification app (filled in by its issue)."""
