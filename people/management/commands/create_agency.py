from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from common.commands import LedsCommand
from people.services import create_agency


class Command(LedsCommand):
    help = "Create an agency, or rename the agency with that ORI (its people stay). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("ori", help="The agency's ORI: 2 letters and 7 letters or digits, e.g. OR0340400")
        parser.add_argument("name", help="The agency's name")
        parser.add_argument("--time-zone", help="e.g. America/Boise for agencies on Mountain time")
        super().add_arguments(parser)

    def handle(self, *args, **options):
        try:
            agency, created = create_agency(
                ori=options["ori"], name=options["name"], actor=self.actor(options), time_zone=options["time_zone"]
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
            raise CommandError(f"agency not saved — {messages}") from error
        verb = "created" if created else "kept (name updated if it changed)"
        self.stdout.write(f"{agency.ori} {agency.name}: {verb}")
