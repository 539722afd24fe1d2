"""What every management command of ours shares: the acting user and errors without tracebacks."""

from django.core.management.base import BaseCommand, CommandError


class LedsCommand(BaseCommand):
    """A thin command: parse options, call a service, print a summary. Adds ``--user``."""

    writes = True

    def create_parser(self, prog_name, subcommand, **kwargs):
        self._command_name = subcommand
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        if self.writes:
            parser.add_argument(
                "--user",
                metavar="USERNAME",
                help="Who the change is recorded as in history (default: a system user named for the command).",
            )

    def actor(self, options):
        from accounts.services import resolve_actor

        try:
            return resolve_actor(username=options.get("user"), command=getattr(self, "_command_name", "command"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
