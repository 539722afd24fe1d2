import threading

import pytest
from django.db import connection

from people.factories import AgencyFactory, PersonFactory
from training_events import services
from training_events.factories import TrainingEventFactory
from training_events.models import Registration


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_ev_2_fifty_simultaneous_signups_for_fourteen_seats():
    agency = AgencyFactory(ori="OR0230000")
    event = TrainingEventFactory(seat_cap=14)
    people = [PersonFactory(agency=agency) for _ in range(50)]
    barrier = threading.Barrier(50)
    errors = []

    def sign_up(person):
        try:
            barrier.wait()
            services.register_for_event(event_id=event.pk, person=person)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).order_by("arrival").values_list("status", flat=True))
    assert statuses.count("confirmed") == 14
    assert statuses.count("waitlisted") == 36
    # arrival order: the first 14 arrivals hold the seats, the waitlist is positions 1..36 in order
    assert statuses == ["confirmed"] * 14 + ["waitlisted"] * 36
    arrivals = list(Registration.objects.filter(event=event, status="waitlisted").order_by("arrival")
                    .values_list("arrival", flat=True))
    assert arrivals == list(range(15, 51))
