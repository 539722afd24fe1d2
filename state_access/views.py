"""State systems and accounts (R-AC-1..5): pages for the LEDS Representative, read by the LASO and auditors.

Thin views: the scoped lookup, a form, one service or selector. The R-BG-1 gate lives in
``services.advance_account``; the page shows the service's reason when it refuses.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common import history
from common.forms import error_text
from common.imports import ImportFlow, confirm_view, upload_view
from compliance.selectors import agency_today, person_compliance
from people.models import Person
from people.permissions import MANAGE_PEOPLE, READ_AGENCY, RECORD_FOR_AGENCY, has_role, role_required
from people.scoping import acts_in_agency, get_managed_or_404
from people.services import separation_moment

from . import selectors, services
from .forms import (
    AccountRequestForm,
    AccountStepForm,
    ActivityUploadForm,
    PasswordResetForm,
    StateSystemForm,
    TransferForm,
    VoidReasonForm,
)
from .importers import REQUIRED, apply_activity, plan_activity
from .models import AccessReview, AccessReviewItem, DutyTransfer, PasswordResetAssist, StateAccount

RESET_RECORDERS = RECORD_FOR_AGENCY  # R-AC-5: the LEDS Representative or the LASO helps


def _form_errors(form) -> str:
    return "; ".join(f"{form.fields[f].label if f in form.fields else 'Form'}: {' '.join(e)}"
                     for f, e in form.errors.items())


def _systems(request):
    return selectors.usable_systems(user=request.user, agency=request.agency)


@role_required(READ_AGENCY)
def account_list(request):
    """Every account of the agency with its step and R-AC-2 / R-AC-3 timing, 50 people a page; late ones in red."""
    agency = request.agency
    accounts = StateAccount.objects.for_user(request.user).in_agency(agency)
    show = request.GET.get("show", "")
    if show == "late":
        accounts = selectors.accounts_of_ended_access(agency=agency, accounts=accounts)
    elif show == "unused":
        accounts = selectors.unused_accounts(agency=agency, accounts=accounts, today=agency_today(agency))
    elif show == "enabled":
        accounts = accounts.filter(status__in=[StateAccount.Status.ACTIVE, StateAccount.Status.DISABLE_REQUESTED])
    # EXISTS per person, not "id IN (accounts joined to people)": the planner took 6 s over it at 10,000 (issue 23)
    people = (Person.objects.for_user(request.user).in_agency(agency)
              .filter(Exists(accounts.filter(person=OuterRef("pk")))).order_by("last_name", "first_name", "pk"))
    paginator = Paginator(people, 50)
    # the same people counted from their accounts: COUNT(EXISTS …) over the agency took ~240 ms at 10,000 (issue 23)
    paginator.count = accounts.filter(person__in=Person.objects.for_user(request.user).in_agency(agency)).order_by(
    ).values("person_id").distinct().count()
    page = paginator.get_page(request.GET.get("page"))
    entries = selectors.agency_accounts(agency=agency, accounts=accounts.filter(person__in=list(page.object_list)),
                                        with_actors=False)
    if show == "late":
        entries = [e for e in entries if any(t.is_late for t in e.accounts)]
    return render(request, "state_access/accounts.html", {
        "people": entries, "page": page, "show": show, "can_manage": has_role(request, MANAGE_PEOPLE),
    })


@role_required(READ_AGENCY)
def person_accounts(request, pk):
    """One person's accounts; the LEDS Representative requests, activates and disables them here."""
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("agency"), pk=pk)
    accounts = StateAccount.objects.for_user(request.user)
    rows = selectors.person_accounts(person=person, accounts=accounts)
    can_manage = has_role(request, MANAGE_PEOPLE) and acts_in_agency(request, person)
    timing = {t.account.pk: t for p in selectors.agency_accounts(agency=person.agency,
                                                                  accounts=accounts.filter(person=person))
              for t in p.accounts}
    panels = [(account, timing.get(account.pk),
               AccountStepForm(account=account, agency=person.agency, prefix=f"a{account.pk}")
               if can_manage and not account.is_voided and account.status != StateAccount.Status.DISABLED else None)
              for account in rows]
    transfers = list(person.duty_transfers.filter(voided_at__isnull=True))
    return render(request, "state_access/person_accounts.html", {
        "person": person, "panels": panels, "can_manage": can_manage and not person.is_separated,
        "cleared": services.background_check_cleared(person), "transfers": transfers,
        "request_form": AccountRequestForm(systems=_systems(request), agency=person.agency) if can_manage else None,
        "transfer_form": TransferForm() if can_manage else None,
        "not_cleared": services.NOT_CLEARED,
    })


@require_POST
@role_required(MANAGE_PEOPLE)
def request_account(request, pk):
    person = get_managed_or_404(Person, request, pk=pk)
    form = AccountRequestForm(request.POST, systems=_systems(request), agency=request.agency)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("background:person_accounts", pk=person.pk)
    try:
        services.request_account(person=person, system=form.cleaned_data["system"], actor=request.user,
                                 requested_at=form.moment(), username=form.cleaned_data["username"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"{form.cleaned_data['system']} account requested for {person.full_name}.")
    return redirect("background:person_accounts", pk=person.pk)


@require_POST
@role_required(MANAGE_PEOPLE)
def account_step(request, pk):
    account = get_managed_or_404(StateAccount.objects.select_related("person"), request, pk=pk)
    form = AccountStepForm(request.POST, account=account, agency=request.agency, prefix=f"a{account.pk}")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("background:person_accounts", pk=account.person_id)
    try:
        account = services.advance_account(account=account, to=form.cleaned_data["to"], actor=request.user,
                                           at=form.moment(), username=form.cleaned_data.get("username", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))  # e.g. the R-BG-1 gate: the background check is not cleared
    else:
        messages.success(request, f"{account.system} account: {account.get_status_display().lower()}.")
    return redirect("background:person_accounts", pk=account.person_id)


@require_POST
@role_required(MANAGE_PEOPLE)
def record_transfer(request, pk):
    """R-AC-2: a transfer to duties without LEDS access; every account falls due 24 hours later."""
    person = get_managed_or_404(Person, request, pk=pk)
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("background:person_accounts", pk=person.pk)
    moment = separation_moment(agency=request.agency, separated_on=form.cleaned_data["transferred_on"],
                               at=form.cleaned_data["transferred_time"])
    try:
        services.record_transfer(person=person, transferred_at=moment, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Transfer recorded: every account of {person.full_name} is due for disablement "
                                  "within 24 hours (R-AC-2).")
    return redirect("background:person_accounts", pk=person.pk)


@require_POST
@role_required(MANAGE_PEOPLE)
def void_record(request, kind, pk):
    """Void a mistaken account or transfer record; it stays on file with its history."""
    model = {"accounts": StateAccount, "transfers": DutyTransfer}.get(kind)
    if model is None:
        raise Http404("Nothing of that kind.")
    record = get_managed_or_404(model.objects.select_related("person"), request, pk=pk)
    form = VoidReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            history.void_record(record=record, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Voided: {record}.")
    return redirect("background:person_accounts", pk=record.person_id)


@role_required(READ_AGENCY)
def systems(request):
    return render(request, "state_access/systems.html", {
        "systems": _systems(request), "form": StateSystemForm() if has_role(request, MANAGE_PEOPLE) else None})


@require_POST
@role_required(MANAGE_PEOPLE)
def add_system(request):
    form = StateSystemForm(request.POST)
    if form.is_valid():
        try:
            services.add_state_system(agency=request.agency, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"{form.cleaned_data['name']} added to the agency's systems.")
    else:
        messages.error(request, _form_errors(form))
    return redirect("background:systems")


# --- account-activity import (R-AC-3) ---------------------------------------------------------------------------

ACTIVITY_IMPORT = ImportFlow(  # the monthly account-activity import (R-AC-3) in the one import flow
    kind="account_activity", title="Import account activity", required=REQUIRED, optional=(),
    upload_template="state_access/import_upload.html", preview_template="state_access/import_preview.html",
    file_label="Account-activity file",
    upload_url="background:import_activity", confirm_url="background:import_activity_confirm",
    done_url="background:accounts",
    plan=lambda request, data, filename, options: plan_activity(
        agency=request.agency, system=options["system"], data=data, filename=filename,
        today=agency_today(request.agency)),
    apply=lambda request, plan, filename, options: apply_activity(plan=plan, actor=request.user,
                                                                  filename=filename),
    options_form=lambda request, data: ActivityUploadForm(data, systems=_systems(request)),
)


@role_required(MANAGE_PEOPLE)
def import_activity(request):
    """Upload a system's account-activity file; the preview lists every error or what would change."""
    return upload_view(request, ACTIVITY_IMPORT)


@require_POST
@role_required(MANAGE_PEOPLE)
def import_activity_confirm(request):
    return confirm_view(request, ACTIVITY_IMPORT,
                        success=lambda plan, filename: f"Account activity imported from {filename}: "
                                                       f"{plan.summary()}.")


# --- the annual access review (R-AC-4) -----------------------------------------------------------------------------

@role_required(READ_AGENCY)
def reviews(request):
    listed = AccessReview.objects.for_user(request.user).in_agency(request.agency).select_related(
        "signed_by", "started_by")
    return render(request, "state_access/reviews.html", {
        "reviews": listed, "due": selectors.access_review_summary(agency=request.agency),
        "can_manage": has_role(request, MANAGE_PEOPLE),
        "has_open": any(not r.is_signed for r in listed)})


@require_POST
@role_required(MANAGE_PEOPLE)
def start_review(request):
    try:
        review = services.start_access_review(agency=request.agency, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("background:reviews")
    messages.success(request, f"Access review started with {review.items.count()} active accounts.")
    return redirect("background:review", pk=review.pk)


def _review(request, pk, *, to_change: bool = False) -> AccessReview:
    reviews = AccessReview.objects.select_related("agency")
    if to_change:
        return get_managed_or_404(reviews, request, pk=pk)
    return get_object_or_404(reviews.for_user(request.user), pk=pk)


REVIEW_PAGE_SIZE = 100


@role_required(READ_AGENCY)
def review_detail(request, pk):
    """One page of the review's items (an agency of 10,000 has ~20,000): by name, filtered by decision or person."""
    review = _review(request, pk)
    items = review.items.select_related("account__person", "account__system", "decided_by").order_by(
        "account__person__last_name", "account__person__first_name", "account__system__name", "pk")
    decision = request.GET.get("decision", "")
    if decision in AccessReviewItem.Decision.values:
        items = items.filter(decision=decision)
    query = request.GET.get("q", "").strip()[:60]
    if query:
        items = items.filter(Q(account__person__last_name__istartswith=query)
                             | Q(account__person__employee_id__iexact=query) | Q(account__username__iexact=query))
    counts = dict(review.items.order_by().values_list("decision").annotate(n=Count("pk")))
    page = Paginator(items, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "state_access/review_detail.html", {
        "review": review, "page": page, "items": page.object_list, "decisions": AccessReviewItem.Decision.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in AccessReviewItem.Decision.choices],
        "decision": decision, "query": query,
        "can_decide": has_role(request, MANAGE_PEOPLE) and not review.is_signed})


@require_POST
@role_required(MANAGE_PEOPLE)
def decide_review(request, pk):
    review = _review(request, pk, to_change=True)
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("item-") and key[5:].isdigit():
            decisions[int(key[5:])] = value
    try:
        changed = services.decide_review_items(review=review, decisions=decisions, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"{changed} decision{'s' if changed != 1 else ''} saved.")
    back = request.POST.get("back", "")  # the same page of the list, with its filter
    if back.startswith("?") and "//" not in back:
        return redirect(reverse("background:review", args=[review.pk]) + back)
    return redirect("background:review", pk=review.pk)


@require_POST
@role_required(MANAGE_PEOPLE)
def sign_review(request, pk):
    review = _review(request, pk, to_change=True)
    try:
        services.sign_access_review(review=review, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Access review signed; it is now read-only (R-AC-4).")
    return redirect("background:review", pk=review.pk)


# --- password-reset assists (R-AC-5) -------------------------------------------------------------------------------

def _reset_form(request, data=None):
    people = Person.objects.for_user(request.user).in_agency(request.agency).exclude(status=Person.Status.SEPARATED)
    return PasswordResetForm(data, people=people, systems=_systems(request), agency=request.agency)


@role_required(READ_AGENCY)
def password_resets(request):
    assists = PasswordResetAssist.objects.for_user(request.user).in_agency(request.agency).select_related(
        "person", "system", "reset_by")
    page = Paginator(assists, 50).get_page(request.GET.get("page"))
    return render(request, "state_access/password_resets.html", {
        "page": page, "form": _reset_form(request) if has_role(request, RESET_RECORDERS) else None})


@require_POST
@role_required(RESET_RECORDERS)
def record_password_reset(request):
    form = _reset_form(request, request.POST)
    if form.is_valid():
        try:
            services.record_password_reset(person=form.cleaned_data["person"], system=form.cleaned_data["system"],
                                           reset_at=form.moment(), reset_by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "Password reset logged (R-AC-5).")
    else:
        messages.error(request, _form_errors(form))
    return redirect("background:password_resets")




DISABLEMENT_REQUESTERS = RECORD_FOR_AGENCY  # R-AC-1: the LEDS Representative or the LASO asks


@role_required(DISABLEMENT_REQUESTERS)
def request_disablements(request, pk):
    """R-PE-3, R-AC-1: a person who must be suspended — the confirmation (GET) and the one action (POST) that
    moves each of their active accounts to "disable requested"."""
    person = get_managed_or_404(Person, request, pk=pk)
    verdict = person_compliance(person=person).verdict
    accounts = list(services.accounts_to_disable(person))
    if request.method == "POST":
        try:
            moved = services.request_disablement_of_accounts(person=person, actor=request.user, verdict=verdict)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if moved:
                systems = ", ".join(str(a.system) for a in moved)
                messages.success(request, f"Disablement requested for {person.full_name}'s accounts: {systems}.")
            else:
                messages.info(request, f"{person.full_name} has no active account: nothing to request.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "state_access/request_disablements.html",
                  {"person": person, "verdict": verdict, "accounts": accounts})
