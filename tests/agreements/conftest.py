import pytest


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded documents go to a temporary MEDIA_ROOT, never the worktree's var/."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
