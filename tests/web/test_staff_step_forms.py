"""The staff's step forms: each field read once, and what a step cannot use named."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.datastructures import FormData

from guardpath.web.staff.step_forms import (
    BadForm,
    DocumentCheck,
    Rejection,
    Signing,
    StateAward,
    Versioned,
    read,
)


def test_a_document_check_reads_its_fields_once() -> None:
    form = FormData(
        {
            "passed": "yes",
            "previously_convicted": "no",
            "stay_basis": "visa",
            "stay_valid_until": " 2027-12-31 ",
            "reason": "all in order\r\n",
            "csrf": "not a field of the step",
        }
    )

    check = read(DocumentCheck, form)

    assert (check.passed, check.previously_convicted, check.stay_basis) == (True, False, "visa")
    assert check.stay_valid_until == date(2027, 12, 31) and check.reason == "all in order"


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        (StateAward, {}, "awarded: expected one of yes, no"),
        (StateAward, {"awarded": "maybe"}, "awarded: expected one of yes, no"),
        (DocumentCheck, {"passed": "yes", "stay_basis": "tourist"}, "stay_basis: expected one of"),
        (DocumentCheck, {"passed": "yes", "stay_valid_until": "2027-02-30"}, "stay_valid_until:"),
        (DocumentCheck, {"passed": "yes", "stay_valid_until": "20271231"}, "YYYY-MM-DD"),
        (DocumentCheck, {"passed": "yes", "reason": "x" * 2001}, "reason: 2,001 characters"),
        (DocumentCheck, {"passed": "yes", "reason": "a\u202eb"}, "(line breaks are fine)"),
        (Rejection, {"reason": "  "}, "reason: a rejection needs its reason"),
        (Signing, {"years": "three"}, "years: expected a whole number of years"),
        (Versioned, {"version": "-1"}, "version: the form lost the case's version"),
        (Versioned, {}, "version: the form lost the case's version"),
    ],
)
def test_a_field_the_step_cannot_use_is_named(
    model: type, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(BadForm, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(model, FormData(fields))


def test_empty_optional_fields_are_unknown() -> None:
    assert read(Signing, FormData({"years": ""})).years is None
    assert read(DocumentCheck, FormData({"passed": "no"})).stay_valid_until is None
