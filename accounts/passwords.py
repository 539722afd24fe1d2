"""Password rules (R-SEC-2): at least 8 characters, passphrases and spaces welcome, no composition rules,
common or breached passwords refused, each refusal saying why."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"This password is too short: it has {len(password)} characters and needs at least "
                f"{self.min_length}. A few ordinary words with spaces make a long password that is easy to "
                "remember (R-SEC-2).",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return (f"At least {self.min_length} characters. Long passphrases and spaces are welcome; no mix of "
                "symbols is required.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, or a bigger offline list (one per line, plain or .gz)."""

    def __init__(self, password_list_path=None):
        if password_list_path:
            super().__init__(password_list_path=password_list_path)
        else:
            super().__init__()

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(
                "This password is on a list of common or breached passwords that attackers try first, so it "
                "cannot protect access to criminal-justice information (R-SEC-2). Choose another one.",
                code="password_too_common",
            )

    def get_help_text(self):
        return "Common or breached passwords are refused."
