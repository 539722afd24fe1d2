import pytest
from django.core.exceptions import ValidationError

from people.models import Agency


@pytest.mark.parametrize(
    ("ori", "valid"),
    [
        ("OR0340400", True),
        ("OROSP0000", True),
        ("WA0123456", True),
        ("or0340400", False),  # lower case
        ("OR034040", False),  # 8 characters
        ("OR03404000", False),  # 10 characters
        ("0R0340400", False),  # digit where the state letters go
        ("OR034040-", False),
        ("", False),
    ],
)
def test_r_ag_1_ori_is_two_letters_and_seven_alphanumerics(db, ori, valid):
    agency = Agency(ori=ori, name="Test agency")
    if valid:
        agency.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            agency.full_clean()
        assert "ori" in error.value.message_dict


def test_r_ag_1_database_refuses_a_bad_ori_even_without_validation(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(ori="bad", name="Bypassing validation")
