"""R-CE-5: simultaneous additions to a class roster never overbook it (the class row is locked)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from certification import services
from certification.factories import CertificationClassFactory
from certification.models import Enrollment
from people.factories import AgencyFactory, PersonFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_ce_5_twenty_simultaneous_additions_for_five_seats():
    agency = AgencyFactory(ori="OR0240200")
    certification_class = CertificationClassFactory(agency=agency, capacity=5)
    people = [PersonFactory(agency=agency) for _ in range(20)]
    barrier = threading.Barrier(20)
    refused, errors = [], []

    def add(person):
        try:
            barrier.wait()
            services.enroll_people(class_id=certification_class.pk, people=[person], actor=None,
                                   today=certification_class.held_on)
        except ValidationError as error:
            refused.append(error)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Enrollment.objects.filter(certification_class=certification_class).count() == 5
    assert len(refused) == 15
    assert all("0 seats left" in " ".join(error.messages) for error in refused)
