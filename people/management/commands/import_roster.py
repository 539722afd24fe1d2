from pathlib import Path

from django.core.management.base import CommandError

from common.commands import LedsCommand
from common.tabular import TabularError
from people.importers import apply_roster, plan_roster
from people.models import Agency


class Command(LedsCommand):
    help = "Import the agency roster from an HR export (CSV or XLSX): all rows or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file")
        parser.add_argument("--agency", required=True, metavar="ORI")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        super().add_arguments(parser)

    def handle(self, *args, **options):
        agency = Agency.objects.filter(ori=options["agency"].strip().upper()).first()
        if agency is None:
            raise CommandError(f'no agency with ORI "{options["agency"]}"')
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        actor = self.actor(options)
        try:
            plan = plan_roster(agency=agency, data=data, filename=path.name)
        except TabularError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} error{'s' if len(plan.errors) != 1 else ''}; nothing imported")
        if not options["dry_run"]:
            apply_roster(plan=plan, actor=actor, filename=path.name)
        if plan.not_in_file:
            self.stdout.write(f"{len(plan.not_in_file)} people of the agency are not in this file (left untouched)")
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{plan.summary()}")
