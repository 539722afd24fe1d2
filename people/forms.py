from django import forms
from django.utils import timezone

from common.widgets import PersonSearch

from .models import Agency, Person


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
    """Add or edit a person. Separation has its own confirmation form."""

    class Meta:
        model = Person
        fields = [
            "employee_id",
            "last_name",
            "first_name",
            "email",
            "position",
            "supervisor",
            "assigned_on",
            "role_tier",
            "status",
        ]
        widgets = {"assigned_on": DateInput(), "supervisor": PersonSearch(scope="active")}

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency
        supervisors = Person.objects.filter(agency=agency).exclude(status=Person.Status.SEPARATED)
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors.order_by("last_name", "first_name")
        self.fields["status"].choices = [c for c in Person.Status.choices if c[0] != Person.Status.SEPARATED]
        if self.instance.pk and self.instance.is_separated:
            self.fields["status"].choices = Person.Status.choices
        self.fields["employee_id"].help_text = "Unique within the agency, as in the HR system."
        if not self.instance.pk:  # a new hire has no LEDS access yet: pending until access is granted (R-PE-3)
            self.initial.setdefault("status", Person.Status.PENDING)
        self.fields["status"].help_text = ("Pending: not yet granted LEDS access (the page lists what remains before "
                                           "access). Active: has access. Suspended: access suspended.")

    def clean_employee_id(self):
        employee_id = self.cleaned_data["employee_id"].strip()
        clash = Person.objects.filter(agency=self.agency, employee_id=employee_id)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Employee ID {employee_id} is already used in this agency.")
        return employee_id


class SeparationForm(forms.Form):
    separated_on = forms.DateField(label="Separation date", widget=DateInput())
    separated_time = forms.TimeField(
        label="Separation time (agency time)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Leave empty when only the date is known: it then counts from the end of that day.",
    )
    reason = forms.CharField(
        label="Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: resigned, retired, transferred to duties without LEDS access.",
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        if not self.is_bound:
            self.initial.setdefault("separated_on", timezone.localdate(timezone=agency.zone))


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "time_zone", "agency_head"]
        widgets = {"agency_head": PersonSearch(scope="active")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency_head"].queryset = Person.objects.filter(agency=self.instance).exclude(
            status=Person.Status.SEPARATED
        )
