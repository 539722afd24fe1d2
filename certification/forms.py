from django import forms

from people.forms import DateInput
from people.models import Person

from .models import CertificationLevel


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
                                            widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, people_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people_queryset


class VoidForm(forms.Form):
    reason = forms.CharField(label="Why is this record voided?", max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
