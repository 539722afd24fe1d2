"""Forms of training events; they keep what the user typed and say what is wrong in plain words."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from common.renderer import DateListWidget
from common.widgets import PersonSearch

from .models import HostRequest, TrainingEvent


class EventForm(forms.ModelForm):
    dates = forms.CharField(
        label="Days", widget=DateListWidget(),
        help_text="mm/dd/yyyy, one day per row; a statewide event may have several (Add a day).",
    )
    starts = forms.TimeField(label="Starts (venue local time)", help_text="e.g. 09:00",
                             widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="Ends (venue local time)", help_text="e.g. 16:00",
                           widget=forms.TimeInput(attrs={"type": "time"}))

    field_order = ["title", "kind", "audience", "description", "venue_name", "venue_address", "time_zone", "dates",
                   "starts", "ends"]

    class Meta:
        model = TrainingEvent
        fields = ["title", "kind", "audience", "description", "details_pending", "venue_name", "venue_address",
                  "time_zone", "seat_cap", "attendees_choose_days", "registration_deadline_on", "certifies",
                  "contact_name", "contact_email", "contact_phone"]
        widgets = {"registration_deadline_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"details_pending": "Save the date: venue and seats are not known yet (registration opens later)"}

    def clean_dates(self):
        found, errors = [], []
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
                try:
                    found.append(datetime.datetime.strptime(text, fmt).date())
                    break
                except ValueError:
                    continue
            else:
                errors.append(f'line {number}: "{text}" is not a date (expected MM/DD/YYYY)')
        if errors:
            raise ValidationError(errors)
        if not found:
            raise ValidationError("Enter at least one date.")
        return sorted(set(found))

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "The event must end after it starts.")
        dates, deadline = cleaned.get("dates"), cleaned.get("registration_deadline_on")
        if dates and deadline and deadline > dates[0]:
            self.add_error("registration_deadline_on", "The registration deadline must be on or before the first day.")
        return cleaned

    def days(self, zone):
        """Aware (start, end) pairs in the venue's zone."""
        starts, ends = self.cleaned_data["starts"], self.cleaned_data["ends"]
        return [(datetime.datetime.combine(day, starts, tzinfo=zone), datetime.datetime.combine(day, ends, tzinfo=zone))
                for day in self.cleaned_data["dates"]]


class EventEditForm(forms.ModelForm):
    """An event's details after publishing. Its days, time zone and day-choosing stay as published: people
    registered for those (cancel the event and publish another to change them)."""

    class Meta:
        model = TrainingEvent
        fields = ["title", "kind", "audience", "description", "venue_name", "venue_address", "seat_cap",
                  "registration_deadline_on", "certifies", "contact_name", "contact_email", "contact_phone"]
        widgets = {"registration_deadline_on": forms.DateInput(attrs={"type": "date"})}


class EventCompleteForm(forms.ModelForm):
    """A save-the-date's missing details; saving them opens registration and e-mails the "notify me" list."""

    class Meta:
        model = TrainingEvent
        fields = ["venue_name", "venue_address", "seat_cap", "registration_deadline_on", "description"]
        widgets = {"registration_deadline_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("venue_name", "seat_cap", "registration_deadline_on"):
            self.fields[name].required = True

    def _post_clean(self):
        pass  # the service checks the event (it holds the event's lock while it does)


class HostRequestForm(forms.ModelForm):
    class Meta:
        model = HostRequest
        fields = ["venue_name", "venue_address", "capacity", "proposed_dates", "notes"]


class DecisionForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note to the agency")


class CancelEventForm(forms.Form):
    reason = forms.CharField(label="Why is the event cancelled?", max_length=300,
                             help_text="Kept with the event and e-mailed to everyone registered or waitlisted.",
                             widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200, label="Reason (optional)")


def _day_choices(days, zone, with_seats):
    return [(day.pk, f"{day.starts_at.astimezone(zone):%a %b %-d}" + (f" — {day.seats_phrase}" if with_seats else ""))
            for day in days]


class RegisterMeForm(forms.Form):
    """The signed-in person's own registration: only the days, when attendees choose them."""

    day = forms.MultipleChoiceField(label="Days you will attend", required=False,
                                    widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event, days, **kwargs):
        kwargs.setdefault("auto_id", "me-%s")
        super().__init__(*args, **kwargs)
        if event.attendees_choose_days:
            self.fields["day"].choices = _day_choices(days, event.zone, with_seats=True)
        else:
            del self.fields["day"]


class RegisterSomeoneForm(forms.Form):
    """A LEDS Representative registers a member of the agency: no one is chosen until they choose."""

    person = forms.ModelChoiceField(queryset=None, label="Person", widget=PersonSearch(scope="active"))
    day = forms.MultipleChoiceField(label="Days they will attend", required=False,
                                    widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event, days, staff, **kwargs):
        kwargs.setdefault("auto_id", "someone-%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff
        self.fields["person"].label_from_instance = lambda p: f"{p.last_name}, {p.first_name} ({p.employee_id})"
        if event.attendees_choose_days:
            self.fields["day"].choices = _day_choices(days, event.zone, with_seats=False)
        else:
            del self.fields["day"]
