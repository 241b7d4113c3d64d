"""An answer of the law in words for the page: the outcome, what is missing, the open
questions, and the timeline's periods as sentences and as a picture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from guardpath.fact_words import value_words
from guardpath.law.dates import add_years, parse_date
from guardpath.law.facts import Facts
from guardpath.law.model import Legislation
from guardpath.law.timeline import EPOCH, Period
from guardpath.web.i18n import current_language, long_date
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages.forms import fact_labels
from guardpath.web.timeline_svg import Band, render_timeline


def outcome_words() -> dict[str, str]:
    return {
        "eligible": _("Eligible"),
        "ineligible": _("Not eligible"),
        "undetermined": _("Undetermined"),
    }


def status_words() -> dict[str, str]:
    return {
        "met": _("met"),
        "not_met": _("not met"),
        "unknown": _("unknown"),
        "not_applicable": _("not applicable"),
        "applies": _("applies"),
        "does_not_apply": _("does not apply"),
    }


def headline(question: str, outcome: str) -> str:
    """The answer in one plain sentence."""
    return {
        ("enlistment", "eligible"): _("Yes: the law allows you to serve on this date."),
        ("enlistment", "ineligible"): _("No: the law does not allow you to serve on this date."),
        ("enlistment", "undetermined"): _(
            "Not yet decided: the answer depends on facts that are still missing."
        ),
        ("citizenship", "eligible"): _(
            "Yes: you may apply for Ukrainian citizenship through service."
        ),
        ("citizenship", "ineligible"): _(
            "No: no route to citizenship through service is open yet."
        ),
        ("citizenship", "undetermined"): _(
            "Not yet decided: the answer depends on facts or law that are still unknown."
        ),
    }[(question, outcome)]


def plain_outcome_words() -> dict[str, str]:
    """The outcomes as the volunteer's pages say them."""
    return {**outcome_words(), "undetermined": _("Not decided yet")}


def verdict_words() -> dict[str, str]:
    return {**plain_outcome_words(), "can_apply": _("You can apply")}


def plain_headline(question: str, verdict: str) -> str:
    """The answer in one plain sentence, for a volunteer: only the checks that follow an
    application left open reads as "you can apply", not as "undetermined"."""
    if verdict == "can_apply":
        return _("You can apply; these checks follow.")
    if verdict == "undetermined":
        return _("Not decided yet: the answer depends on something you did not know.")
    return headline(question, verdict)


@dataclass(frozen=True)
class MissingFact:
    name: str
    label: str
    anchor: str


def missing_facts(missing: list[str], anchors: dict[str, str]) -> list[MissingFact]:
    labels = fact_labels()
    order = list(labels)
    ordered = sorted(missing, key=lambda name: order.index(name) if name in order else len(order))
    return [
        MissingFact(name, labels.get(name, name), anchors.get(name, f"f-{name}"))
        for name in ordered
    ]


def open_questions(ids: list[str], legislation: Legislation) -> list[tuple[str, str]]:
    """(id, question in the page's language)."""
    language = current_language.get()
    return [
        (qid, legislation.open_questions[qid].question.get(language))
        for qid in ids
        if qid in legislation.open_questions
    ]


def parameter_label(legislation: Legislation, name: str) -> str:
    parameter = legislation.parameters.get(name)
    return parameter.label.get(current_language.get()) if parameter else name


def route_label(legislation: Legislation, route: str | None) -> str | None:
    rule = legislation.rules.get(f"citizenship.routes.{route}") if route else None
    return rule.label.get(current_language.get()) if rule else route


def exception_label(legislation: Legislation, rule: str, name: str) -> str:
    found = legislation.rules.get(rule)
    for exception in found.exceptions if found else ():
        if exception.name == name:
            return exception.label.get(current_language.get())
    return name


def long_day(iso: str) -> str:
    return long_date(parse_date(iso))


def show_value(value: Any, name: str | None = None) -> str:
    """A fact's or a law value's value in words: a country by its name, a formation by its
    name, a stay basis in words; never an internal code."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return _("unknown")
    return value_words(value, current_language.get(), name)


# -- the timeline ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodView:
    start: date
    end: date | None
    outcome: str
    sentence: str
    why: str
    current: bool


def describe_periods(
    periods: list[Period], facts: Facts, legislation: Legislation, today: date, plain: bool = False
) -> list[PeriodView]:
    """Each period as a sentence ("Eligible from 21 February 2024 until you turn 61 on ...")
    and why it began, in the page's language."""
    views = []
    for index, period in enumerate(periods):
        following = periods[index + 1] if index + 1 < len(periods) else None
        views.append(
            PeriodView(
                start=period.start,
                end=period.end,
                outcome=period.outcome,
                sentence=_sentence(period, following, facts, plain),
                why=_why(period.because, legislation, plain),
                current=period.start <= today and (period.end is None or today <= period.end),
            )
        )
    return views


def _sentence(period: Period, following: Period | None, facts: Facts, plain: bool) -> str:
    outcome = (plain_outcome_words() if plain else outcome_words())[period.outcome]
    start = long_date(period.start)
    if period.start == EPOCH and period.end is not None:
        return _("%(outcome)s until %(end)s") % {"outcome": outcome, "end": long_date(period.end)}
    if following is None or period.end is None:
        return _("%(outcome)s from %(start)s onwards") % {"outcome": outcome, "start": start}
    age = _birthday_age(following.start, facts.get("birth_date"))
    if age is not None:
        return _("%(outcome)s from %(start)s until you turn %(age)s on %(day)s") % {
            "outcome": outcome,
            "start": start,
            "age": age,
            "day": long_date(following.start),
        }
    stay_end = facts.get("stay_valid_until")
    if stay_end is not None and stay_end == period.end:
        return _("%(outcome)s from %(start)s until your stay ends on %(end)s") % {
            "outcome": outcome,
            "start": start,
            "end": long_date(stay_end),
        }
    return _("%(outcome)s from %(start)s until %(end)s") % {
        "outcome": outcome,
        "start": start,
        "end": long_date(period.end),
    }


def _birthday_age(day: date, born: date | None) -> int | None:
    if born is None:
        return None
    age = day.year - born.year
    return age if age > 0 and add_years(born, age) == day else None


def _why(because: str, legislation: Legislation, plain: bool = False) -> str:
    """The engine's `because` ("label: before → after; ...") in the page's language; `plain`
    says it without the arrows, for a volunteer."""
    if because.startswith("the law as guardpath holds it"):
        return _("The law as guardpath holds it from 2014.")
    language = current_language.get()
    labels = {rule.label.en: rule.label.get(language) for rule in legislation.rules.values()}
    words = status_words()
    changes = []
    for part in because.split("; "):
        label, colon, change = part.rpartition(": ")
        before, arrow, after = change.partition(" → ")
        if not colon or not arrow or label not in labels:
            return (
                because if language == "en" else _("A change in the law or in your circumstances.")
            )
        if plain:
            changes.append(_plain_change(labels[label], after.replace(" ", "_")))
            continue
        changes.append(
            _("%(rule)s: %(before)s → %(after)s")
            % {
                "rule": labels[label],
                "before": words.get(before.replace(" ", "_"), before),
                "after": words.get(after.replace(" ", "_"), after),
            }
        )
    return "; ".join(changes)


def _plain_change(rule: str, after: str) -> str:
    sentences = {
        "met": _("from here, %(rule)s: yes"),
        "not_met": _("from here, %(rule)s: no"),
        "unknown": _("from here, %(rule)s: not known without more facts"),
        "not_applicable": _("from here, %(rule)s no longer matters"),
    }
    return (sentences.get(after) or _("a change in %(rule)s")) % {"rule": rule}


def timeline_picture(views: list[PeriodView], today: date, plain: bool = False) -> Markup:
    bands = [Band(v.start, v.end, v.outcome, v.sentence) for v in views]
    words = {**(plain_outcome_words() if plain else outcome_words()), "today": _("today")}
    description = " ".join(f"{v.sentence}." for v in views)
    return render_timeline(bands, today, words, _("Your answer over time, since 2014"), description)


def reasons_context(legislation: Legislation) -> dict[str, Any]:
    """What the explanation of an answer (public/_reasons.html: the rules, their status, the
    facts and values they used, their sources) needs, for every answer page."""
    return {
        "status_words": status_words(),
        "parameter_label": lambda name: parameter_label(legislation, name),
        "show_value": show_value,
        "long_day": long_day,
        "exception_label": lambda rule, name: exception_label(legislation, rule, name),
    }
