"""The use cases of a volunteer's case, one transaction each: `applying` (from submission to
approval, rejection or withdrawal) and `serving` (contract, service, citizenship, reading).

Every step checks its guard (the role may take it, the case is in a state that allows it and,
where the law decides, the engine as of that day says yes), then records who, when, why, the
answer and the law version, appends to the audit chain, and commits once.
"""

from __future__ import annotations

from guardpath.services.cases.applying import (
    RESULTS,
    SPECIAL_CHECK_RULE,
    Result,
    Submitted,
    approve,
    ask_the_law,
    record_document_check,
    record_medical_result,
    record_physical_result,
    record_psychological_result,
    record_special_check,
    reject,
    special_check_applies,
    start_document_review,
    submit_application,
    withdraw,
)
from guardpath.services.cases.serving import (
    CITIZENSHIP_NEXT,
    complete_probation,
    contract_terms,
    decide_citizenship_application,
    discharge,
    prepare_citizenship_application,
    record_award,
    record_state_award,
    sign_contract,
    start_service,
    view_case,
)

__all__ = [
    "CITIZENSHIP_NEXT",
    "RESULTS",
    "SPECIAL_CHECK_RULE",
    "Result",
    "Submitted",
    "approve",
    "ask_the_law",
    "complete_probation",
    "contract_terms",
    "decide_citizenship_application",
    "discharge",
    "prepare_citizenship_application",
    "record_award",
    "record_document_check",
    "record_medical_result",
    "record_physical_result",
    "record_psychological_result",
    "record_special_check",
    "record_state_award",
    "reject",
    "sign_contract",
    "special_check_applies",
    "start_document_review",
    "start_service",
    "submit_application",
    "view_case",
    "withdraw",
]
