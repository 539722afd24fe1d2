"""The obligation providers: how a domain app adds its obligations to the engine (DESIGN.md).

A provider is registered from the app's ``AppConfig.ready()``:

    from compliance.registry import Provider, register

    register(Provider(
        name="certification",
        obligations=("training_guide_issue", "recertification", ...),   # names it emits, in display order
        load=load_certification_records,      # (agency_ids: list[int]) -> {person_pk: plain data}
        evaluate=evaluate_certification,      # pure: (PersonFacts, data | None, rules, today) -> [Obligation]
        order=20,
    ))

``load`` is a selector: it reads the records of whole agencies in a fixed number of queries (never one per
person) and returns plain data keyed by person pk. ``evaluate`` is a pure function in the app's
``rules.py`` — no ORM, no clock. Later domains (background checks and accounts, validations, agreements)
plug in the same way; the engine itself never imports a domain app.
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


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.name] = provider


def providers() -> list[Provider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.name))


def obligation_names() -> list[str]:
    names: list[str] = []
    for provider in providers():
        names.extend(n for n in provider.obligations if n not in names)
    return names
