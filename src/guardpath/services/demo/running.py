"""Demo cases: the stories run together on a fake clock, in time order, through the services."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from guardpath.cases.model import Actor, Case, CitizenshipState, Role, State
from guardpath.cases.transitions import LawSaysNo
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.services.demo.stories import (
    APPLICANT,
    CITIZENSHIP_REFUSALS,
    WAITS,
    Plan,
    _office_hours,
)
from guardpath.services.ports import Ports


# -- running the stories on a fake clock ---------------------------------------------------------
class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


Step = tuple[datetime, Callable[[], Case]]


class Story:
    """One case going through the services as its plan says, one step at a time."""

    def __init__(self, ctx: Ports, plan: Plan, stream: str) -> None:
        self.ctx, self.plan = ctx, plan
        self.rng = random.Random(stream)
        self.case: Case | None = None
        self.citizenship_due: datetime | None = None
        self.awarded = False

    def first(self) -> Step:
        return self.plan.applies_at, self._submit

    def act(self, step: Step) -> Step | None:
        self.case = step[1]()
        return self._next()

    # -- the steps ---------------------------------------------------------------------------
    def _submit(self) -> Case:
        person, plan = self.plan.person, self.plan
        application = ApplicationIn.model_validate(
            {
                "person": {
                    "given_names": person.given_names,
                    "surname": person.surname,
                    "native_name": person.native_name,
                    "birth_date": person.birth_date,
                    "sex": person.sex,
                    "citizenships": list(person.citizenships),
                    "passport_number": person.passport_number,
                    "email": person.email,
                    "phone": person.phone,
                },
                "facts": {"prior_military_service": plan.prior_service},
                "formation": plan.formation,
                "consents": {"data_processing": True, "verification": True},
            }
        )
        return services.submit_application(self.ctx, APPLICANT, application).case

    def _staff(self, role: Role) -> Actor:
        return self.plan.staff[role]

    def _day_after(self, days: int) -> datetime:
        now = self.ctx.clock()
        moment = _office_hours(self.rng, now.date() + timedelta(days=max(days, 1)))
        return max(moment, now + timedelta(minutes=5))

    def _next(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None
        state = case.state
        if state in (State.REJECTED, State.WITHDRAWN) or state is plan.stop_at:
            return None
        if state is plan.withdraw_at:
            return self._day_after(self.rng.randint(1, 10)), self._withdraw
        if state in WAITS:
            return self._day_after(plan.waits[state]), self._applying_step(state)
        return self._serving_step()

    def _withdraw(self) -> Case:
        assert self.case is not None
        actor = APPLICANT if self.rng.random() < 0.7 else self._staff(Role.RECRUITER)
        return services.withdraw(self.ctx, actor, self.case.id, self.plan.withdraw_reason)

    def _applying_step(self, state: State) -> Callable[[], Case]:
        assert self.case is not None
        case_id, plan, ctx = self.case.id, self.plan, self.ctx
        if state is plan.fail_at and state is not State.SUBMITTED:
            return lambda: self._fail(state)
        steps: dict[State, Callable[[], Case]] = {
            State.SUBMITTED: lambda: services.start_document_review(
                ctx, self._staff(Role.RECRUITER), case_id
            ),
            State.DOCUMENT_REVIEW: self._document_check,
            State.SPECIAL_CHECK: lambda: services.record_special_check(
                ctx, self._staff(Role.VETTING_OFFICER), case_id, "passed"
            ),
            State.MEDICAL: lambda: services.record_medical_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "fit"
            ),
            State.PSYCHOLOGICAL: lambda: services.record_psychological_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "passed"
            ),
            State.PHYSICAL: lambda: services.record_physical_result(
                ctx, self._staff(Role.RECRUITER), case_id, "passed"
            ),
            State.INTERVIEW: self._approve,
            State.APPROVED: lambda: services.sign_contract(
                ctx, self._staff(Role.COMMANDER), case_id, years=plan.years
            ),
            State.CONTRACT_SIGNED: lambda: services.start_service(
                ctx, self._staff(Role.COMMANDER), case_id
            ),
        }
        return steps[state]

    def _document_check(self, passed: bool = True, reason: str | None = None) -> Case:
        assert self.case is not None
        basis, valid_days = self.plan.stay
        today = self.ctx.clock().date()
        return services.record_document_check(
            self.ctx,
            self._staff(Role.RECRUITER),
            self.case.id,
            passed=passed,
            previously_convicted=self.plan.convicted,
            stay_basis=basis,
            stay_valid_until=None if valid_days == 0 else today + timedelta(days=valid_days),
            reason=reason or "passport, stay and criminal record checked",
        )

    def _fail(self, state: State) -> Case:
        assert self.case is not None
        ctx, case_id, reason = self.ctx, self.case.id, self.plan.fail_reason
        if state is State.DOCUMENT_REVIEW:
            return self._document_check(passed=False, reason=reason)
        results: dict[State, Callable[[], Case]] = {
            State.SPECIAL_CHECK: lambda: services.record_special_check(
                ctx, self._staff(Role.VETTING_OFFICER), case_id, "failed", reason
            ),
            State.MEDICAL: lambda: services.record_medical_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "unfit", reason
            ),
            State.PSYCHOLOGICAL: lambda: services.record_psychological_result(
                ctx, self._staff(Role.MEDICAL_OFFICER), case_id, "failed", reason
            ),
            State.PHYSICAL: lambda: services.record_physical_result(
                ctx, self._staff(Role.RECRUITER), case_id, "failed", reason
            ),
        }
        if state in results:
            return results[state]()
        return services.reject(ctx, self._staff(Role.COMMANDER), case_id, reason or "refused")

    def _approve(self) -> Case:
        """Approve what the law allows; what it refuses is rejected with the law's reason."""
        assert self.case is not None
        commander, plan = self._staff(Role.COMMANDER), self.plan
        vacant = plan.female_post_vacant if plan.person.sex == "female" else None
        try:
            return services.approve(
                self.ctx,
                commander,
                self.case.id,
                rank_group=plan.rank_group,
                female_post_vacant=vacant,
            )
        except LawSaysNo as refusal:
            return services.reject(self.ctx, commander, self.case.id, str(refusal))

    # -- in service and after --------------------------------------------------------------------
    def _serving_step(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None and case.service_periods
        started = datetime.combine(case.service_periods[0].start, clock_time(9), UTC)
        options: list[Step] = []
        serving = case.state in (State.PROBATION, State.IN_SERVICE)
        if case.state is State.PROBATION and case.contract is not None:
            ends = case.contract.probation_ends_on + timedelta(days=self.rng.randint(0, 7))
            options.append((_office_hours(self.rng, ends), self._complete_probation))
        if serving and plan.award_after is not None and not self.awarded:
            options.append((started + timedelta(days=plan.award_after), self._award))
        if serving and plan.discharge_after is not None:
            options.append((started + timedelta(days=plan.discharge_after), self._discharge))
        citizenship = self._citizenship_step()
        if citizenship is not None:
            options.append(citizenship)
        if not options:
            return None
        when, action = min(options, key=lambda option: option[0])
        return max(when, self.ctx.clock() + timedelta(minutes=5)), action

    def _complete_probation(self) -> Case:
        assert self.case is not None
        return services.complete_probation(self.ctx, self._staff(Role.COMMANDER), self.case.id)

    def _award(self) -> Case:
        assert self.case is not None
        self.awarded, self.citizenship_due = True, None
        commander = self._staff(Role.COMMANDER)
        return services.record_award(self.ctx, commander, self.case.id, self.plan.award)

    def _discharge(self) -> Case:
        assert self.case is not None
        self.citizenship_due = None
        commander = self._staff(Role.COMMANDER)
        return services.discharge(self.ctx, commander, self.case.id, self.plan.discharge_reason)

    def _citizenship_step(self) -> Step | None:
        case, plan = self.case, self.plan
        assert case is not None
        goal = plan.citizenship
        to_prepare, to_submit, to_decide = plan.citizenship_waits
        if goal == "none":
            return None
        if case.citizenship is None:
            due = self._eligible_from()
            return None if due is None else (due + timedelta(days=to_prepare), self._prepare)
        current = case.citizenship.state
        if current is CitizenshipState.PREPARED and goal != "prepared":
            return self._day_after(to_submit), self._decide(CitizenshipState.SUBMITTED)
        if current is CitizenshipState.SUBMITTED and goal in ("granted", "refused"):
            decision = CitizenshipState(goal)
            return self._day_after(to_decide), self._decide(decision)
        return None

    def _eligible_from(self) -> datetime | None:
        """When the law, as it stands, first says yes (asked again after an award or discharge)."""
        if self.citizenship_due is None:
            assert self.case is not None
            today = self.ctx.clock().date()
            answer = services.ask_the_law(self.ctx, "citizenship", self.case, today)
            if answer.earliest_date is None:
                return None
            self.citizenship_due = _office_hours(self.rng, max(answer.earliest_date, today))
        return self.citizenship_due

    def _prepare(self) -> Case:
        assert self.case is not None
        migration = self._staff(Role.MIGRATION_OFFICER)
        try:
            return services.prepare_citizenship_application(self.ctx, migration, self.case.id)
        except LawSaysNo:
            self.plan.citizenship = "none"  # the law moved on; nobody applies
            return self.case

    def _decide(self, to: CitizenshipState) -> Callable[[], Case]:
        assert self.case is not None
        case_id, migration = self.case.id, self._staff(Role.MIGRATION_OFFICER)
        reason = CITIZENSHIP_REFUSALS[0] if to is CitizenshipState.REFUSED else None
        return lambda: services.decide_citizenship_application(
            self.ctx, migration, case_id, to, reason
        )
