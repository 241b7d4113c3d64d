"""The English words (gettext message ids) for the codes the console shows; staff.po has them
in Ukrainian. Templates translate them with `_()`."""

from __future__ import annotations

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
