"""Defaults ensured by common.reference_data: the MKE table and the validations' rows of the rule table (RULES.md)."""

# MKE, record type, person record (revalidated every 12 months, R-VA-2), contact required (R-VA-4)
RECORD_TYPES = [
    ("EW", "Wanted person", True, True),
    ("EM", "Missing person", True, True),
    ("EPO", "Protection order", True, True),
    ("EV", "Vehicle", False, True),
    ("EG", "Gun", False, False),
    ("EA", "Article", False, False),
    ("EB", "Boat", False, False),
    ("ELP", "License plate", False, False),
    ("ES", "Securities", False, False),
]

# obligation, rule ID, title, period, unit, lead days (compliance.RuleSetting rows)
VALIDATION_RULES = [
    ("validation_certification", "R-VA-3", "validation list certified within 30 days of receipt", 30, "days", [14, 7]),
    ("validation_window_opens", "R-VA-2", "first validation no earlier than 60 days after entry", 60, "days", []),
    ("validation_first", "R-VA-2", "first validation within 90 days of entry", 90, "days", [30]),
    ("validation_repeat", "R-VA-2", "person records revalidated every 12 months", 12, "months", [30]),
    # a validator's assigned entries of a list all have an outcome by the list's due date (the cycle's due_on,
    # received + validation_certification's days); reminders 14, 7 and 2 days before, inside a 30-day cycle
    ("validation_worklist", "R-VA-3", "assigned validation entries given an outcome by the list's due date",
     30, "days", [14, 7, 2]),
]
