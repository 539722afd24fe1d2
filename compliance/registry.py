"""The obligation providers: how a domain app adds its obligations to the engine (DESIGN.md).

A provider is registered from the app's ``AppConfig.ready()`` — compliance never imports a domain app:

    from compliance.registry import Provider, register

    register(Provider(
        name="certification",
        obligations=("training_guide_issue", "recertification", ...),   # names it emits, in display order
        load=load_certification_records,   # selector: (agency_ids, person_ids=None) -> {person_pk: plain data}
        evaluate=evaluate_certification,   # pure: (PersonFacts, data | None, rules, today) -> [Obligation]
        watches=((CertificationResult.history.model, "person_id"),      # history tables whose new rows
                 (SecurityIncident.history.model, None)),               # mean "recompute" (None: whole agency)
        order=20,
    ))

``load`` is a selector: it reads the records of whole agencies in a fixed number of queries (never one per
person) and returns plain data keyed by person pk. ``evaluate`` is a pure function in the app's ``rules.py``
— no ORM, no clock — that turns one person's data into ``engine.Obligation`` objects. What an obligation
carries decides everything downstream:

* ``rule_id`` and ``title`` come from the rule table (compliance.models.RuleSetting), so every flag reads
  "Overdue since 2026-03-01 — R-CE-4: recertification every 24 months" and an edit of the table moves it;
* ``suspends_access=True`` on an overdue obligation makes the person's verdict "access must be suspended"
  with that rule as the reason (R-FP-1, R-CE-3, R-CE-4, R-SA-1 today; R-BG-1 next);
* ``is_sensitive=True`` hides that reason from everyone but the LASO and the LEDS Representative: the others
  see only "access must be suspended" (R-BG-4, background checks);
* ``key`` tells apart several obligations of one name for one person — one ``account_disable`` /
  ``account_inactive`` per state system (``key="system:LEDS"``), one ``security_retraining`` per incident.

``watches`` lets the stored obligations (compliance/obligations.py) notice a write from anywhere — service,
import, admin, shell — through the history rows django-simple-history writes: new rows of a watched table
recompute the people they name, or the whole agency when the person field is None.

Adding a domain later (background checks and accounts, agreements, validations) is one more ``register``
call, nothing else. An agency-level item (e.g. the access review) is a provider whose ``evaluate`` emits it
for the agency's LASO / LEDS Representative person until a later issue gives the engine an agency row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    name: str
    obligations: tuple[str, ...]
    load: Callable
    evaluate: Callable
    order: int = 50
    watches: tuple = ()  # ((historical model, person field name or None), ...)
    # False: the person cannot act on these (an account to disable, a check to adjudicate); the reminder sweep
    # leaves them to the LEDS Representative's and LASO's weekly digest and dashboard
    remind_person: bool = True
    # where a reminder sends the person to act (a URL name without arguments, e.g. their worklist); empty: their
    # own person page
    act_url_name: str = ""
    # agency figures a page of this domain shows, counted when the agency's obligations are stored and kept with
    # them (compliance.AgencyComputation.figures), so no request counts them (issue 23):
    # (("not_eligible_with_accounts", count), ...) with ``count(*, agency_id) -> int``, a selector over the
    # stored obligations just written and this domain's records
    figures: tuple = ()


# who acts on an obligation, so its reminder goes to them (issue 22): the person themself, or the agency's
# LEDS Representative or LASO (Membership roles); the supervisor is copied on the person's overdue items
PERSON = "person"
LEDS_REPRESENTATIVE = "leds_rep"
LASO = "laso"
ACTORS = {PERSON: "you", LEDS_REPRESENTATIVE: "LEDS Representative", LASO: "LASO"}


@dataclass(frozen=True)
class Action:
    actor: str  # PERSON, LEDS_REPRESENTATIVE or LASO
    guidance: str  # what to do and where, the default of the rule table's guidance text


_PROVIDERS: dict[str, Provider] = {}
_LABELS: dict[str, str] = {}
_ACTIONS: dict[str, Action] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.name] = provider


def register_labels(labels: dict[str, str]) -> None:
    """How a domain app names its obligations and rule-table rows on pages ("Class pass recorded in LEDS")."""
    _LABELS.update(labels)


def register_actions(actions: dict[str, tuple[str, str]]) -> None:
    """Who acts on each obligation and the default guidance their reminder carries: ``{obligation: (actor,
    "Take the LEDS recertification test in nexTEST; your LEDS Representative records the pass.")}``. An
    administrator may reword the guidance in the rule table (RuleSetting.guidance)."""
    _ACTIONS.update((name, Action(actor, guidance)) for name, (actor, guidance) in actions.items())


def action(name: str) -> Action | None:
    return _ACTIONS.get(name)


def actor(name: str) -> str | None:
    """Who is reminded of ``name``: its registered actor; else the person when its provider reminds people
    (``remind_person``); None: nobody by e-mail (the weekly digest and the dashboard list it)."""
    if name in _ACTIONS:
        return _ACTIONS[name].actor
    for provider in providers():
        if name in provider.obligations:
            return PERSON if provider.remind_person else None
    return None


def default_guidance(name: str) -> str:
    return _ACTIONS[name].guidance if name in _ACTIONS else ""


def label(name: str) -> str | None:
    return _LABELS.get(name)


def obligation_label(name: str) -> str:
    """How an obligation reads on pages, in e-mails and in the audit packet: its registered label, else its name in
    words. The one place labels live (each domain app registers its own)."""
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.name))


def person_reminder_obligations() -> set[str]:
    """Obligations the person themself is reminded of by e-mail (issue 9; routed by actor since issue 22)."""
    return {name for provider in providers() for name in provider.obligations if actor(name) == PERSON}


def role_reminder_obligations() -> dict[str, str]:
    """Obligation → the role (LEDS Representative, LASO) reminded of it on the person's behalf (issue 22)."""
    return {name: actor(name) for provider in providers() for name in provider.obligations
            if actor(name) in (LEDS_REPRESENTATIVE, LASO)}


def act_url_names() -> dict[str, str]:
    """Obligation name → the URL name a reminder links to, for providers that name one."""
    return {name: provider.act_url_name for provider in providers() if provider.act_url_name
            for name in provider.obligations}


def obligation_names() -> list[str]:
    names: list[str] = []
    for provider in providers():
        names.extend(n for n in provider.obligations if n not in names)
    return names
