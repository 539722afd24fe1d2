"""Certification's reference data, ensured by common.reference_data: the levels (R-CE-1) and R-CE-5's rule row."""

DEFAULT_LEVELS = ["Inquiry", "Less Than Full Access", "Full Access"]  # R-CE-1 (assumed defaults), in sort order

CERTIFICATION_RULES = [
    # obligation, rule ID, title, period, unit, lead days — as in compliance/defaults.py
    ("class_pass_recorded_in_leds", "R-CE-5", "class passes recorded in LEDS within 5 days of the class",
     5, "days", []),
]
