#!/usr/bin/env python
"""Django's command-line utility for LEDS Admin."""

import os
import sys

# Commands that read only the code (the models against their migrations): they need no secret and no deployment
# settings, so a bare checkout runs them (with the test settings). Every other command needs DEBUG=1 or a
# SECRET_KEY, as the server does (ledsadmin/settings.py).
CODE_ONLY_COMMANDS = {"makemigrations"}


def main():
    if (len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS and "DJANGO_SETTINGS_MODULE" not in os.environ
            and not os.environ.get("SECRET_KEY") and not os.environ.get("DEBUG")):
        os.environ["DJANGO_SETTINGS_MODULE"] = "ledsadmin.settings_test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledsadmin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
