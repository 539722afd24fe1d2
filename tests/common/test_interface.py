"""The interface's shared parts (issue 19): the one form renderer, the date format, the frame's menu, the home
page per role, the event page's two registration forms and the outbox's "no worker" notice."""

import datetime
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
FIELD_TAG = re.compile(r"<(input|select|textarea)\b[^>]*>", re.IGNORECASE)
# Templates that may write a control by hand: the renderer's own templates, and the few controls that are not a
# form's field (per-row controls bound to a row's form by id, GET search boxes in usa-search markup).
ALLOWED = {
    "forms/widgets/date_list.html",  # the renderer's date-list widget
    "django/forms/widgets/multiple_input.html",  # the renderer's radio/checkbox widget
    "django/forms/widgets/clearable_file_input.html",  # the renderer's file widget
    "allauth/elements/field.html",  # allauth's element API (a field allauth builds itself)
    "components/_person_search.html",  # the person picker's widget template (common.widgets.PersonSearch)
    # GET search boxes in USWDS usa-search markup (label, input and button in one row)
    "people/roster.html", "accounts/users.html", "validations/register.html", "certification/class_roster_add.html",
    "notifications/outbox.html", "statewide/dashboard.html", "paperwork/verify.html",
    # a grid of per-row controls, each bound by form="…" to its row's form
    "certification/_roster_row.html", "training_events/attendance.html", "state_access/review_detail.html",
    "validations/_cycle_entries.html", "statewide/audits.html", "paperwork/osp_requests.html",
    # a GET filter that submits itself (data-autosubmit)
    "state_access/accounts.html",
}


def _hand_written_fields():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(("pdf/", "email/", "forms/")) or name in ALLOWED:
            continue
        for match in FIELD_TAG.finditer(path.read_text()):
            tag = match.group(0)
            if re.search(r'type="hidden"', tag):
                continue
            found.append(f"{name}: {tag[:80]}")
    return found


def test_no_template_writes_a_form_field_outside_the_renderer():
    assert _hand_written_fields() == []


def test_the_allow_list_stays_short_and_true():
    """Every allowed template still exists (a stale entry would hide a new hand-written field)."""
    assert len(ALLOWED) <= 30
    assert [name for name in ALLOWED if not (TEMPLATES / name).exists()] == []


class _Sample(forms.Form):
    title = forms.CharField(help_text="A short title.")
    held_on = forms.DateField(label="Held on", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(required=False, widget=forms.Textarea)
    file = forms.FileField(required=False)
    agree = forms.BooleanField(required=False, label="I agree")
    days = forms.MultipleChoiceField(required=False, choices=[("1", "Mon"), ("2", "Tue")],
                                     widget=forms.CheckboxSelectMultiple)


def test_the_renderer_gives_every_field_uswds_markup():
    html = str(_Sample(data={"title": "", "held_on": "2026-01-05", "kind": "a"}))
    assert '<label class="usa-label usa-label--error" for="id_title">Title <abbr title="required"' in html
    assert 'class="usa-hint" id="id_title_helptext">A short title.' in html
    assert 'class="usa-error-message" id="id_title_error" role="alert">This field is required.' in html
    assert 'class="usa-input usa-input--error"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert '<div class="usa-date-picker" data-default-value="2026-01-05">' in html
    held_on = re.search(r'<input[^>]*name="held_on"[^>]*>', html).group(0)
    assert 'type="text"' in held_on and 'class="usa-input"' in held_on and 'type="date"' not in held_on
    assert 'class="usa-select"' in html and 'class="usa-textarea"' in html and 'class="usa-file-input"' in html
    assert '<div class="usa-checkbox"><input type="checkbox" name="agree"' in html.replace("\n    ", "")
    assert '<legend class="usa-legend">Days</legend>' in html
    assert 'class="usa-checkbox__label" for="id_days_0">Mon' in html
    assert 'id="error-summary"' in html  # the summary, focusable, announced


def test_a_date_picker_takes_what_it_posts():
    """The USWDS date picker posts MM/DD/YYYY; scripts post ISO: both are read."""
    for value in ("01/05/2026", "2026-01-05"):
        form = _Sample(data={"title": "t", "held_on": value, "kind": "a"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["held_on"] == datetime.date(2026, 1, 5)


def test_event_days_are_date_pickers_that_post_one_value_each():
    from training_events.forms import EventForm

    form = EventForm()
    html = str(form["dates"].as_field_group())
    assert html.count('class="usa-date-picker"') == 1 and "data-date-list-add" in html and "Day 1" in html
    widget = form.fields["dates"].widget
    from django.http import QueryDict

    data = QueryDict("dates=01/05/2027&dates=2027-01-06&dates=")
    assert widget.value_from_datadict(data, {}, "dates") == "01/05/2027\n2027-01-06"
    bound = EventForm(data={"dates": "01/05/2027\n01/06/2027"})
    assert str(bound["dates"].as_field_group()).count('class="usa-date-picker"') == 2


def test_one_date_format_in_text():
    html = Template("{{ d|day }} · {{ t|moment }} · {{ none|day|default:'—' }}").render(Context({
        "d": datetime.date(2026, 1, 5),
        "t": datetime.datetime(2026, 1, 5, 14, 5, tzinfo=datetime.UTC),
        "none": None,
    }))
    assert '<time datetime="2026-01-05">Jan 5, 2026</time>' in html
    assert ">Jan 5, 2026, 06:05</time>" in html  # the current time zone (America/Los_Angeles)
    assert html.endswith("—")


def test_the_menu_groups_pages_in_dropdowns(world, login):
    body = login(world.users["leds_rep"]).get(reverse("home")).content.decode()
    for group in ("People", "Compliance", "Training", "Validations", "Agreements &amp; audits", "Administration"):
        assert f"<span>{group}</span>" in body, group
    assert 'aria-controls="nav-people"' in body and 'class="leds-agency"' in body and "ORI OR0240200" in body
    assert "Sign-in security" in body and "Sign out" in body
    employee = login(world.users["employee"]).get(reverse("home")).content.decode()
    assert "<span>Administration</span>" not in employee and "My record and deadlines" in employee


@pytest.mark.parametrize(("key", "section", "absent"), [
    ("employee", 'id="home-own"', 'id="home-today"'),
    ("supervisor", 'id="home-team"', 'id="home-today"'),
    ("leds_rep", 'id="home-today"', 'id="home-auditor"'),
    ("laso", 'id="home-today"', 'id="home-team"'),
    ("training_unit", 'id="home-training-unit"', 'id="home-today"'),
    ("agency_auditor", 'id="home-auditor"', 'id="home-today"'),
    ("state_auditor", 'id="home-auditor"', 'id="home-today"'),
])
def test_home_page_per_role(world, login, key, section, absent):
    body = login(world.users[key]).get(reverse("home")).content.decode()
    assert section in body and absent not in body


def test_employee_home_shows_their_own_verdict_and_deadlines_first(world, login):
    body = login(world.users["employee"]).get(reverse("home")).content.decode()
    assert "Your LEDS access" in body and "Your deadlines" in body and "Your training registrations" in body
    assert body.index("<main") < body.index("Your LEDS access") < body.rindex("Agency and role holders")
    assert "active</p>" not in body  # no agency counts


def test_event_page_register_me_and_someone_from_my_agency(world, login):
    from training_events.factories import TrainingEventFactory
    from training_events.models import Registration

    event = TrainingEventFactory(title="Regional", seat_cap=10)
    client = login(world.users["leds_rep"])
    body = client.get(reverse("training_events:detail", args=[event.pk])).content.decode()
    assert body.count(">Register me<") == 1
    assert "Register someone from my agency" in body
    # nobody preselected: the person picker (common.widgets.PersonSearch) starts empty
    assert 'id="someone-person"' in body and 'name="person" value=""' in body
    # sent without a choice, it registers nobody (never the representative themself)
    response = client.post(reverse("training_events:register", args=[event.pk]), {"person": ""})
    assert response.status_code == 302 and not Registration.objects.filter(event=event).exists()
    client.post(reverse("training_events:register", args=[event.pk]), {"person": world.target.pk})
    assert Registration.objects.get(event=event).person == world.target


def test_outbox_says_no_worker_has_delivered_for_n_minutes(world, login):
    from notifications import services
    from notifications.models import OutboxMessage

    msg, _ = services.queue_email(to=["a@example.gov"], subject="Hello", template="email/message",
                                  context={"body": "Hi"}, agency=world.agency)
    client = login(world.users["leds_rep"])
    assert "No worker has delivered" not in client.get(reverse("notifications:outbox")).content.decode()
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.QUEUED,
                                                   created_at=timezone.now() - timedelta(minutes=12))
    body = client.get(reverse("notifications:outbox")).content.decode()
    assert "No worker has delivered e-mail for 12 minutes" in body
