from pathlib import Path

from django.core.management.base import CommandError

from certification.importers import apply_records, plan_records
from common.commands import LedsCommand
from common.tabular import TabularError
from people.models import Agency


class Command(LedsCommand):
    help = "Import certification, training and fingerprint records from a spreadsheet (CSV/XLSX): all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
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
            plan = plan_records(agency=agency, data=data, filename=path.name)
        except TabularError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} error{'s' if len(plan.errors) != 1 else ''}; nothing imported")
        if not options["dry_run"]:
            apply_records(plan=plan, actor=actor, filename=path.name)
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{plan.summary()}")
