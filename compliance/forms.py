from django import forms

from common.widgets import PersonSearch
from people.models import Person

from . import engine
from .models import RuleSetting
from .registry import obligation_label


class WorklistFilter(forms.Form):
    verdict = forms.ChoiceField(required=False, label="LEDS access", choices=[
        ("", "Any verdict"), *((code, engine.VERDICT_LABELS[code]) for code in engine.VERDICTS)])
    obligation = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Needs doing"), *list(engine.STATUS_LABELS.items())])
    # a search field over the supervisors (issue 23): an agency of 10,000 has hundreds
    supervisor = forms.ModelChoiceField(required=False, queryset=Person.objects.none(), label="Supervisor",
                                        widget=PersonSearch(scope="supervisors", placeholder="Any supervisor"))
    tier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                  choices=[("", "Any tier"), *list(Person.Tier.choices)])

    def __init__(self, *args, obligations, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = [("", "Every obligation")] + [(o, obligation_label(o)) for o in obligations]
        self.fields["supervisor"].queryset = supervisors

    def clean_supervisor(self):
        supervisor = self.cleaned_data["supervisor"]
        return supervisor.pk if supervisor else None


class RuleSettingForm(forms.ModelForm):
    lead_days = forms.CharField(
        required=False, help_text="Days before the due date, comma-separated, e.g. 90, 60, 30, 7; empty for none.")

    class Meta:
        model = RuleSetting
        fields = ["rule_id", "title", "period_value", "period_unit", "lead_days", "overdue_repeat_days", "is_enabled",
                  "guidance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["lead_days"] = ", ".join(str(d) for d in self.instance.lead_days)

    def clean_lead_days(self):
        raw = self.cleaned_data["lead_days"]
        try:
            days = sorted({int(part) for part in raw.replace(" ", "").split(",") if part}, reverse=True)
        except ValueError as exc:
            raise forms.ValidationError(f'"{raw}" is not a list of whole numbers, e.g. 90, 60, 30, 7.') from exc
        if any(d < 0 for d in days):
            raise forms.ValidationError("Lead days cannot be negative.")
        return days
