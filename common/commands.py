"""What every management command of ours shares: the acting user and errors without tracebacks."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .tabular import TabularError, remap

# What commands need from the base apps (the acting user, an agency by ORI, a saved column mapping), handed in at
# start-up by people (people/apps.py), so this module imports no app.
_hooks: dict = {}


def set_command_hooks(*, resolve_actor, agency_by_ori, column_mapping) -> None:
    _hooks.update(resolve_actor=resolve_actor, agency_by_ori=agency_by_ori, column_mapping=column_mapping)


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
        try:
            return _hooks["resolve_actor"](username=options.get("user"),
                                           command=getattr(self, "_command_name", "command"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc


class ImportCommand(LedsCommand):
    """An importer on common/tabular.py from the command line: ``--agency ORI FILE [--dry-run] [--user]``.

    Subclasses give ``plan(agency=, data=, filename=, options=)`` (returns an object with ``ok``, ``errors``
    and ``summary()``) and ``apply(plan=, actor=, filename=)``. Every bad row is printed as
    ``line N, column NAME: reason``; nothing is written unless every row is clean; no traceback.
    """

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file")
        parser.add_argument("--agency", required=True, metavar="ORI")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        if self.import_kind:
            parser.add_argument("--mapping", metavar="NAME",
                                help="rename the file's columns with the agency's saved column mapping of that name "
                                     '(saved from the web preview; usually "default")')
        super().add_arguments(parser)

    import_kind = ""  # the import's name for saved column mappings (people.ColumnMapping.kind)

    def plan(self, *, agency, data: bytes, filename: str, options: dict):
        raise NotImplementedError

    def apply(self, *, plan, actor, filename: str):
        raise NotImplementedError

    def _remapped(self, agency, data: bytes, filename: str, name: str) -> tuple[bytes, str]:
        mapping = _hooks["column_mapping"](agency=agency, kind=self.import_kind, name=name)
        if mapping is None:
            raise CommandError(f'{agency.ori} has no saved column mapping "{name}" for the {self.import_kind} import')
        return remap(data, filename, mapping.columns, mapping.constants)

    def report(self, plan) -> None:
        """Extra lines before the summary (e.g. people not in the file)."""

    def handle(self, *args, **options):
        agency = _hooks["agency_by_ori"](options["agency"].strip().upper())
        if agency is None:
            raise CommandError(f'no agency with ORI "{options["agency"]}"')
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        actor = self.actor(options)
        try:
            if options.get("mapping"):
                data, filename = self._remapped(agency, data, path.name, options["mapping"])
            else:
                filename = path.name
            plan = self.plan(agency=agency, data=data, filename=filename, options=options)
        except TabularError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} error{'s' if len(plan.errors) != 1 else ''}; nothing imported")
        if not options["dry_run"]:
            self.apply(plan=plan, actor=actor, filename=path.name)
        self.report(plan)
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{plan.summary()}")
