"""Fingerprint checks are deliberately absent from the admin: every read of a background record writes a
security-log row (R-BG-4), which the admin would not; they are read on the background pages only. (State systems,
accounts, reviews and reset assists: state_access/admin.py.)
"""
