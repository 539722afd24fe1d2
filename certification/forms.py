from django import forms

from common.widgets import PeopleSearch
from people.forms import DateInput
from people.models import Person

from .models import CertificationClass, CertificationLevel


class CertificationResultForm(forms.Form):
    passed_on = forms.DateField(label="Date passed", widget=DateInput())
    level = forms.ModelChoiceField(queryset=CertificationLevel.objects.filter(is_active=True), label="Level")
    score = forms.IntegerField(label="Score (nexTEST)", min_value=0, max_value=100, required=False)


class TrainingGuideIssueForm(forms.Form):
    issued_on = forms.DateField(label="Date issued", widget=DateInput())


class TrainingGuideCompletionForm(forms.Form):
    completed_on = forms.DateField(label="Date completed", widget=DateInput())


class SecurityAwarenessForm(forms.Form):
    completed_on = forms.DateField(label="Date completed", widget=DateInput())
    tier = forms.TypedChoiceField(label="Tier", choices=Person.Tier.choices, coerce=int)


class SecurityIncidentForm(forms.Form):
    occurred_on = forms.DateField(label="Date of the incident", widget=DateInput())
    summary = forms.CharField(label="Summary", max_length=300,
                              help_text="What happened, briefly. No criminal-history text.")
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), label="People involved",
                                            widget=PeopleSearch(scope=""))

    def __init__(self, *args, people_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people_queryset


class VoidForm(forms.Form):
    reason = forms.CharField(label="Why is this record voided?", max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


# In-house certification classes (R-CE-5) ---------------------------------------------------------------------

class CertificationClassForm(forms.ModelForm):
    class Meta:
        model = CertificationClass
        fields = ["held_on", "start_time", "end_time", "location", "instructor", "capacity", "level", "notes"]
        widgets = {
            "held_on": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"start_time": "Local time in the agency's time zone, e.g. 09:00.", "end_time": "e.g. 16:00."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = CertificationLevel.objects.filter(is_active=True)
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("start_time"), cleaned.get("end_time")
        if starts and ends and ends <= starts:
            self.add_error("end_time", "The class must end after it starts.")
        return cleaned


class CancelClassForm(forms.Form):
    reason = forms.CharField(label="Why is the class cancelled?", max_length=300,
                             help_text="Kept with the class and e-mailed to everyone on the roster.",
                             widget=forms.Textarea(attrs={"rows": 2}))


class EnrollForm(forms.Form):
    """People to put on the roster in one action (chosen from the suggestions or a search)."""

    person = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), error_messages={
        "required": "Choose at least one person to enroll."})

    def __init__(self, *args, people_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_queryset


class ClassResultForm(forms.Form):
    """One attendee's row of the attendance and result grid."""

    attendance = forms.ChoiceField(choices=[("", "—"), ("attended", "Attended"), ("absent", "Absent")],
                                   required=False)
    result = forms.ChoiceField(choices=[("", "—"), ("pass", "Pass"), ("fail", "Fail")], required=False)
    score = forms.IntegerField(min_value=0, max_value=100, required=False)
    level = forms.ModelChoiceField(queryset=CertificationLevel.objects.filter(is_active=True), required=False)

    def clean(self):
        cleaned = super().clean()
        attendance, result = cleaned.get("attendance"), cleaned.get("result")
        if result and attendance != "attended":
            self.add_error("result", "Only someone who attended has a result.")
        if result == "pass" and cleaned.get("score") is None:
            self.add_error("score", "A pass needs the score.")
        if attendance != "attended" and cleaned.get("score") is not None:
            self.add_error("score", "Only someone who attended has a score.")
        return cleaned


# the forms that record a result on a person's page (who may use each: people.permissions.RECORD_KIND_ROLES)
RECORD_KINDS = {
    "certification": {"title": "Record a certification pass (nexTEST)", "form": CertificationResultForm},
    "guide_issued": {"title": "Record training guide issued", "form": TrainingGuideIssueForm},
    "guide_completed": {"title": "Record training guide completed", "form": TrainingGuideCompletionForm},
    "awareness": {"title": "Record security awareness completed", "form": SecurityAwarenessForm},
}
