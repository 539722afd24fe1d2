"""Demo validations (R-VA-1..5): last month's list certified, this month's in progress, the register and the
written procedure, for the first demo agency."""

from __future__ import annotations

import datetime

from certification.models import CertificationLevel
from certification.services import record_certification_result
from people.models import Person
from validations import selectors, services
from validations.importers import apply_validation_list, plan_validation_list
from validations.models import ValidationCycle

SUBJECTS = {
    "EW": ["HARLAN, DEREK J", "MORALES, ANA", "TRAN, KEVIN"], "EM": ["BELL, SOPHIE (JUVENILE)", "OKAFOR, JAMES"],
    "EPO": ["NGUYEN, LINDA / NGUYEN, PAUL", "STONE, ERIC"], "EV": ["2019 HONDA CIVIC OR 123ABC", "2008 FORD F150"],
    "EG": ["GLOCK 19 SN BXR221", "REMINGTON 870"], "EA": ["DEWALT DRILL SET"], "EB": ["2002 BAYLINER 175"],
    "ELP": ["OR PLATE 456DEF"], "ES": ["US TREASURY BOND 1000"],
}


def _list_csv(agency, month_index: int, count: int, received_on: datetime.date) -> bytes:
    lines = ["NIC,ORI,OCA,MKE,DTE,SUBJECT,OPERATOR"]
    mkes = list(SUBJECTS)
    for i in range(count):
        mke = mkes[i % len(mkes)]
        dte = received_on - datetime.timedelta(days=70 + (i * 13) % 300)
        subject = SUBJECTS[mke][i % len(SUBJECTS[mke])]
        lines.append(f'{mke[0]}{month_index:02d}{i:07d},{agency.ori},{dte:%y}-{i:05d},{mke},{dte:%Y-%m-%d},'
                     f'"{subject}",OPR{i % 7}')
    return ("\n".join(lines) + "\n").encode()


def _validators(world, agency) -> list[Person]:
    """The demo employee and supervisor validate; make sure they hold a current LEDS certification (R-CE-4)."""
    level = CertificationLevel.objects.order_by("-sort_order").first()
    people = list(Person.objects.filter(agency=agency, user__username__in=["employee", "supervisor"]))
    for person in people:
        if not selectors.may_validate(person=person, today=world.today) and level is not None:
            record_certification_result(person=person, passed_on=world.today - datetime.timedelta(days=200),
                                        level=level, score=88, actor=world.actor)
    return people


def _work(world, cycle, validators, *, share: float) -> None:
    """Assign the list's entries and record outcomes (with contacts where required) for ``share`` of them."""
    entries = list(cycle.entries.select_related("record_type").order_by("line"))
    half = len(entries) // 2
    for validator, chunk in zip(validators, (entries[:half], entries[half:]), strict=False):
        services.assign_entries(cycle_id=cycle.pk, entry_ids=[e.pk for e in chunk], validator=validator,
                                actor=world.actor, today=world.today)
    done_on = min(world.today, cycle.due_on - datetime.timedelta(days=3))
    for index, entry in enumerate(entries[: int(len(entries) * share)]):
        if entry.record_type.is_contact_required:
            services.add_contact(entry_id=entry.pk, contacted_on=done_on, who="Complainant (case officer's notes)",
                                 method="phone", result="Confirmed the record is still valid", actor=world.actor)
        outcome, detail = "validated", ""
        if index % 9 == 4:
            outcome, detail = "modified", "Added the subject's alias from the case file"
        elif index % 11 == 6:
            outcome, detail = "cancelled", ""
        services.record_validation(entry_id=entry.pk, is_reviewed=True, outcome=outcome, outcome_detail=detail,
                                   outcome_on=done_on, actor=world.actor)


def _procedure_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Salem Police Department — LEDS/NCIC validation procedure</h1>"
                       "<p>Monthly lists are assigned by the LEDS Representative to LEDS-certified records staff, "
                       "reviewed against the case file, and for wanted and missing persons, protection orders and "
                       "vehicles confirmed with the complainant, victim, prosecutor or court.</p>").write_pdf()


def seed_validations(world) -> None:
    if not world.agencies:
        return
    agency = world.agencies[0]
    if ValidationCycle.objects.filter(agency=agency).exists():
        return  # seeded before
    validators = _validators(world, agency)
    previous_on = world.today - datetime.timedelta(days=40)
    current_on = world.today - datetime.timedelta(days=12)
    for month_index, received_on, count in ((1, previous_on, 18), (2, current_on, 30)):
        plan = plan_validation_list(agency=agency, received_on=received_on, filename="demo-list.csv",
                                    data=_list_csv(agency, month_index, count, received_on))
        cycle = apply_validation_list(plan=plan, actor=world.actor, filename=f"validation-list-{received_on}.csv")
        _work(world, cycle, validators, share=1.0 if month_index == 1 else 0.4)
        if month_index == 1:
            rep = world.users.get("rep")
            services.certify_cycle(cycle_id=cycle.pk, name=rep.get_full_name() if rep else "LEDS Representative",
                                   title="LEDS Representative", signed_on=cycle.due_on - datetime.timedelta(days=2),
                                   actor=rep)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.upload_procedure(agency=agency, title="Validation procedure", version="2025.1",
                              effective_on=world.today - datetime.timedelta(days=300), actor=world.users.get("rep"),
                              upload=SimpleUploadedFile("validation-procedure.pdf", _procedure_pdf()))
