"""One vocabulary: every code a person reads, as an English gettext message id.

The web pages, the command line and the printed papers all say a code through these tables;
the catalogues (`web/locales/uk/LC_MESSAGES/*.po`) hold the Ukrainian. Templates translate the
console's words with `_()`; the papers translate through their `Wording`; the command line's
words carry the context `cli` (`said`).
"""

from __future__ import annotations

from collections.abc import Mapping

from guardpath.catalogues import translations

STATES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "document_review": "Document review",
    "special_check": "Special check",
    "medical": "Medical commission",
    "psychological": "Psychological assessment",
    "physical": "Physical fitness test",
    "interview": "Interview",
    "approved": "Approved",
    "contract_signed": "Contract signed",
    "probation": "Probation",
    "in_service": "In service",
    "discharged": "Discharged",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}
QUEUES = {**STATES, "citizenship": "Citizenship applications"}
ROLES = {
    "applicant": "Applicant",
    "recruiter": "Recruiter",
    "vetting_officer": "Vetting officer",
    "medical_officer": "Medical officer",
    "commander": "Commander",
    "migration_officer": "Migration officer",
    "analyst": "Analyst",
    "admin": "Administrator",
}
ACTIONS = {
    "submit_application": "Submit the application",
    "create_case": "Case created",
    "start_document_review": "Start the document review",
    "record_document_check": "Record the document check",
    "record_special_check": "Record the special check",
    "record_medical_result": "Record the medical commission's result",
    "record_psychological_result": "Record the psychological assessment",
    "record_physical_result": "Record the physical fitness test",
    "approve": "Approve",
    "reject": "Reject",
    "withdraw": "Withdraw",
    "sign_contract": "Sign the contract",
    "start_service": "Start service",
    "complete_probation": "Complete probation",
    "record_award": "Record a state award",
    "discharge": "Discharge",
    "record_state_award": "Record whether a state award is held",
    "prepare_citizenship_application": "Prepare the citizenship application",
    "decide_citizenship_application": "Move the citizenship application",
    "citizenship_submitted": "Citizenship application submitted",
    "citizenship_granted": "Citizenship granted",
    "citizenship_refused": "Citizenship refused",
}
# What a step did, in words, for its confirmation.
DONE = {
    "start_document_review": "Document review started",
    "record_document_check": "Document check recorded",
    "record_special_check": "Special check recorded",
    "record_medical_result": "Medical commission's result recorded",
    "record_psychological_result": "Psychological assessment recorded",
    "record_physical_result": "Physical fitness test recorded",
    "approve": "Approved",
    "reject": "Rejected",
    "withdraw": "Withdrawn",
    "sign_contract": "Contract signed",
    "start_service": "Service started",
    "complete_probation": "Probation completed",
    "record_award": "State award recorded",
    "discharge": "Discharged",
    "record_state_award": "State award fact recorded",
    "prepare_citizenship_application": "Citizenship application prepared",
    "decide_citizenship_application": "Citizenship application moved",
}
FORMATIONS = {
    "ngu": "National Guard",
    "afu": "Armed Forces",
    "dsst": "State Special Transport Service",
}
OUTCOMES = {
    "eligible": "Eligible",
    "ineligible": "Not eligible",
    "undetermined": "Undetermined",
}
QUESTIONS = {
    "enlistment": "May this person enlist today?",
    "citizenship": "May this serviceman become a citizen today?",
}
STATUSES = {
    "met": "met",
    "not_met": "not met",
    "unknown": "unknown",
    "not_applicable": "does not apply",
}
MARKS = {"met": "✓", "not_met": "✗", "unknown": "?", "not_applicable": "–"}
CITIZENSHIP_STATES = {
    "prepared": "Prepared",
    "submitted": "Submitted",
    "granted": "Granted",
    "refused": "Refused",
}
SEXES = {"male": "Male", "female": "Female"}
RANK_GROUPS = {"private": "Private", "sergeant": "Sergeant", "officer": "Officer"}
RESULTS = {
    "passed": "Passed",
    "failed": "Failed",
    "fit": "Fit",
    "unfit": "Unfit",
}
STAY_BASES = {
    "permanent_residence_permit": "Permanent residence permit",
    "temporary_residence_permit": "Temporary residence permit",
    "visa": "Visa",
    "visa_free": "Visa-free stay",
    "extended_stay": "Extended stay",
    "military_registration_document": "Military registration document",
    "refugee": "Refugee",
    "complementary_protection": "Complementary protection",
    "none": "No lawful basis",
}
FACTS = {
    "birth_date": "Date of birth",
    "sex": "Sex",
    "citizenships": "Citizenship",
    "stay_basis": "Basis of stay",
    "stay_valid_until": "Stay valid until",
    "previously_convicted": "Previously convicted",
    "medical": "Medical commission",
    "psychological": "Psychological assessment",
    "physical": "Physical fitness test",
    "special_check": "Special check",
    "formation": "Formation",
    "basis": "Basis of service",
    "rank_group": "Rank group",
    "female_post_vacant": "A post open to servicewomen is vacant",
    "prior_military_service": "Prior military service",
    "service_periods": "Periods of service",
    "state_award": "State award",
}
DOCUMENT_KINDS = {
    "passport": "Passport",
    "stay_document": "Residence document",
    "criminal_record": "Criminal record certificate",
    "military_experience": "Military experience",
    "other": "Other document",
}
BASES = {"contract": "Contract", "mobilization": "Mobilisation"}
# Which table says a fact's value in words.
VALUES = {
    "formation": FORMATIONS,
    "stay_basis": STAY_BASES,
    "medical": RESULTS,
    "psychological": RESULTS,
    "physical": RESULTS,
    "special_check": RESULTS,
    "rank_group": RANK_GROUPS,
    "sex": SEXES,
    "basis": BASES,
}

# -- the public forms (their Ukrainian in public.po) ------------------------------------------
# Each fact as the self-checks and the application ask for it, and each choice they offer.
FORM_FACTS = {
    "birth_date": "Date of birth",
    "sex": "Sex",
    "citizenships": "Citizenship",
    "stay_basis": "Basis of your stay in Ukraine",
    "stay_valid_until": "Your stay is lawful until",
    "previously_convicted": "Previous criminal conviction",
    "prior_military_service": "Prior military service",
    "formation": "Formation",
    "basis": "Basis of service",
    "rank_group": "Rank group",
    "female_post_vacant": "A post that servicewomen may fill is vacant",
    "medical": "Military medical commission (VLK)",
    "psychological": "Professional-psychological selection",
    "physical": "Physical fitness test",
    "special_check": "Special check by the Foreigner Recruitment Centre",
    "service_periods": "Periods of service",
    "state_award": "State award of Ukraine",
}
PASSED_OR_NOT = {"passed": "Passed", "failed": "Not passed"}
FORM_CHOICES: dict[str, dict[str, str]] = {
    "sex": {
        "male": "Male",
        "female": "Female",
    },
    "stay_basis": {
        "permanent_residence_permit": "Permanent residence permit",
        "temporary_residence_permit": "Temporary residence permit",
        "visa": "Visa",
        "visa_free": "Visa-free stay",
        "extended_stay": "Extended stay",
        "military_registration_document": "Military registration document",
        "refugee": "Refugee status",
        "complementary_protection": "Complementary protection",
        "none": "None of these",
    },
    "medical": {
        "fit": "Found fit",
        "unfit": "Found unfit",
    },
    "psychological": PASSED_OR_NOT,
    "physical": PASSED_OR_NOT,
    "special_check": PASSED_OR_NOT,
    "formation": {
        "ngu": "National Guard of Ukraine (NGU)",
        "afu": "Armed Forces of Ukraine (AFU)",
        "dsst": "State Special Transport Service (DSST)",
    },
    "basis": {
        "contract": "Contract (voluntary service)",
        "mobilization": "Mobilisation (Ukrainian citizens only)",
    },
    "rank_group": {
        "private": "Private",
        "sergeant": "Sergeant or petty officer",
        "officer": "Officer",
    },
    "yes_no": {
        "yes": "Yes",
        "no": "No",
    },
    "formation_short": {
        "ngu": "NGU",
        "afu": "AFU",
        "dsst": "DSST",
    },
    "basis_short": {
        "contract": "Contract",
        "mobilization": "Mobilisation",
    },
}

# -- the printed papers: names in full ---------------------------------------------------------
FORMATIONS_IN_FULL = {
    "ngu": "National Guard of Ukraine",
    "afu": "Armed Forces of Ukraine",
    "dsst": "State Special Transport Service",
}
RANK_GROUPS_IN_FULL = {
    "private": "Privates",
    "sergeant": "Sergeants and petty officers",
    "officer": "Officers",
}
STATES_IN_FULL = {
    "draft": "Draft application",
    "submitted": "Application submitted",
    "document_review": "Document review",
    "special_check": "Special check",
    "medical": "Medical commission",
    "psychological": "Psychological assessment",
    "physical": "Physical fitness test",
    "interview": "Interview",
    "approved": "Approved for service",
    "contract_signed": "Contract signed",
    "probation": "In service, on probation",
    "in_service": "In service",
    "discharged": "Discharged",
    "rejected": "Application rejected",
    "withdrawn": "Application withdrawn",
}

# -- the command line (context "cli": its own Ukrainian, in cli.po) ---------------------------
# The headings and marks of `check` and `timeline`.
ANSWER_WORDS = {
    "enlistment": "Enlistment",
    "citizenship": "Citizenship",
    "eligible": "eligible",
    "ineligible": "ineligible",
    "undetermined": "undetermined",
    "on": "on",
    "why": "Why",
    "legend": "✓ met   ✗ not met   ? unknown   – not applicable",
    "missing": "Missing facts",
    "missing_hint": "add them to the facts to decide",
    "pending": "Checks that follow an application",
    "pending_hint": "these checks follow an application; recruitment establishes them",
    "open_questions": "Open questions of the law",
    "route": "Route",
    "no_route": "none succeeds on this date",
    "earliest": "Earliest date",
    "no_earliest": "none under the law as it stands",
    "obligations": "Obligations",
    "unverified": "unverified",
    "unless": "unless",
    "facts": "facts",
    "parameters": "law",
    "since": "since",
    "sources": "Sources",
    "not_considered": "({} rules below not considered)",
    "law_version": "law version",
    "applies": "applies",
    "does_not_apply": "does not apply",
    "unknown": "unknown",
    "not_applicable": "not applicable",
    "met": "met",
    "not_met": "not met",
    "over_time": "{} over time",
    "from": "from",
    "to": "to",
    "outcome": "outcome",
    "because": "because",
    "because_start": "the law as guardpath holds it from 2015",
    "because_other": "a change in the law or in the person's circumstances",
}
# `guardpath law`: the listing of rules, parameters and open questions, and one in full.
LAW_WORDS = {
    "verified": "✓ verified",
    "unverified": "unverified",
    "always": "always (within its parent)",
    "from": "from {}",
    "to": " to {}",
    "unknown": "unknown",
    "rules": "Rules ({})",
    "parameters": "Parameters ({}), values on {}",
    "not_in_force": "not yet in force",
    "dated_values": "({} dated values)",
    "obligations": "Obligations ({})",
    "affects": "affects",
    "open_questions": "Open questions ({})",
    "footer": "law version {}; `guardpath law NAME` shows one in full",
    "label": "label",
    "in_force": "in force",
    "file": "file",
    "description": "description",
    "applies_when": "applies when",
    "condition": "condition",
    "all": "all of",
    "any": "any of",
    "unless": "unless",
    "exception_when": "  when {}, the rule is {}; {}",
    "met": "met",
    "not_met": "not met",
    "unsettled": "unknown (the law is not settled)",
    "open_question": "open question",
    "note": "note",
    "citations": "citations",
    "history": "History",
    "value": "value",
    "sources": "sources",
    "unit": "unit",
    "source": "source",
    "rule": "Rule",
    "parameter": "Parameter",
    "obligation": "Obligation",
    "question": "Open question",
}
# `guardpath law --changes`.
CHANGE_WORDS = {
    "starts": "starts",
    "ends": "ends",
    "title": "What changed and when",
    "since": "since",
}

# A parameter's unit: its name (`guardpath law NAME`), and after a number in Ukrainian ("3 р.";
# the English plural is made in cli/lawview.py), with the context "cli unit".
UNIT_NAMES = {
    "year": "year",
    "month": "month",
    "boolean": "boolean",
    "list": "list",
    "code": "code",
}
UNITS = {"year": "year", "month": "month"}
CLI_UNIT = "cli unit"

CLI = "cli"
"""The context of the command line's words in the catalogues."""


def said(table: Mapping[str, str], language: str, context: str | None = None) -> dict[str, str]:
    """A table's words in the language (English for a language without a catalogue)."""
    found = translations(language)
    if context is None:
        return {key: found.gettext(message) for key, message in table.items()}
    return {key: str(found.pgettext(context, message)) for key, message in table.items()}
