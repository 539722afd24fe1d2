"""manage.py audit_packet --agency ORI [--since YYYY-MM-DD] [--until YYYY-MM-DD] --out FILE.pdf [--user USERNAME]"""

import datetime
import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from audit import rules, selectors, services
from audit.packet import RENDER_WORKERS
from common.commands import LedsCommand
from common.dates import in_words
from compliance.selectors import agency_today
from people.models import Agency


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f'"{text}" is not a date (expected YYYY-MM-DD)') from error


class Command(LedsCommand):
    help = "Build the audit packet of an agency (as the page does), write it to --out and print its SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="ORI")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="period start (default: the last audit, at most "
                                                                   "3 years back)")
        parser.add_argument("--until", metavar="YYYY-MM-DD", help="period end (default: today in the agency)")
        parser.add_argument("--out", required=True, metavar="FILE.pdf")
        super().add_arguments(parser)

    def handle(self, *args, **options):
        agency = Agency.objects.filter(ori=options["agency"].upper()).first()
        if agency is None:
            raise CommandError(f"No agency with ORI {options['agency']}.")
        today = agency_today(agency)
        end = _date(options["until"]) if options["until"] else today
        default_start, _ = rules.default_packet_period(last_audited_on=selectors.last_audit_on(agency=agency),
                                                       today=end)
        start = _date(options["since"]) if options["since"] else default_start
        try:
            packet = services.request_packet(agency=agency, actor=self.actor(options), period_start_on=start,
                                             period_end_on=end, today=today, queue=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        packet = services.build_packet(packet_id=packet.pk, report=self.report if options["verbosity"] > 1 else None)
        if packet.status != packet.Status.DONE:
            raise CommandError(f"The packet failed: {packet.error or packet.get_status_display()}")
        with packet.file.open("rb") as source, open(options["out"], "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"{packet.pages} pages, period {in_words(start)} to {in_words(end)}, "
                          f"written to {options['out']}")
        self.stdout.write(f"SHA-256 {packet.sha256}")

    def report(self, built) -> None:
        """With -v 2: pages and seconds per section, and what the assembly cost (measured, bench/audit_packet.py)."""
        for section in built.sections:
            self.stdout.write(f"  section {section['number']} {section['key']}: {section['pages']} pages in "
                              f"{section['parts']} part(s), {section['seconds']:.1f} s")
        for step, seconds in built.timings.items():
            self.stdout.write(f"  {step}: {seconds:.1f} s")
        import resource

        from django.conf import settings

        builder = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest render worker
        workers = getattr(settings, "AUDIT_PACKET_RENDER_WORKERS", RENDER_WORKERS) if worker else 0
        self.stdout.write(f"  memory: builder {builder:.0f} MB, {workers} render worker(s) up to {worker:.0f} MB each; "
                          f"peak at most {builder + workers * worker:.0f} MB")
