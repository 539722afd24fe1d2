"""Views and template tags reach an object they act on through people.scoping (get_managed_or_404, managed_by,
acts_in_agency), never by comparing agency ids by hand: one forgotten comparison is a cross-agency leak (issue 16)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# an object's agency compared with the request's (entering an agency, people/views.agency_select, is no scoping)
HAND_COMPARISON = re.compile(r"(agency_id|request\.agency(\.pk|\.id)?)\s*[!=]="
                             r"|[!=]=\s*(request\.agency|[\w.]*agency_id)\b")


def view_modules():
    return sorted([*ROOT.glob("*/views*.py"), *ROOT.glob("*/class_views.py"), *ROOT.glob("*/views/*.py"),
                   *ROOT.glob("*/templatetags/*.py")])


def test_there_are_view_modules_to_check():
    assert len(view_modules()) >= 10


def test_no_view_module_compares_agency_ids_by_hand():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in view_modules()
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if HAND_COMPARISON.search(line.split("#")[0])]
    assert found == [], "use people.scoping.get_managed_or_404 / acts_in_agency instead:\n" + "\n".join(found)
