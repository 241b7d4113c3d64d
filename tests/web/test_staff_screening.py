"""The screening review page: a pair `decide` sent to a person, side by side in both scripts,
and the vetting officer's decision, remembered."""

from __future__ import annotations

import copy

from guardpath.cases.model import Role
from web.staff_fixtures import (  # noqa: F401
    RUSSIAN,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)


def test_the_vetting_officer_sees_the_pair_in_both_scripts_and_decides_it(
    console: Console, seeded: Seeded
) -> None:
    first = seeded.submit()
    typo = copy.deepcopy(RUSSIAN)
    typo["person"].update(
        given_names="Maxim",
        surname="Zhuravlov",
        birth_date="1981-07-23",
        passport_number="CD7654321",
    )
    second = seeded.submit(typo)
    assert (
        console.as_role(Role.RECRUITER).get(f"/staff/cases/{second}/screening").status_code == 403
    )

    page = console.as_role(Role.VETTING_OFFICER).get(f"/staff/cases/{second}/screening")
    assert page.status_code == 200
    assert "Maksym Zhuravlov" in page.text and "Maxim Zhuravlov" in page.text
    assert "Максим Журавльов" in page.text
    assert "1981-07-23" in page.text and "1991-07-23" in page.text
    assert "the birth dates differ" in page.text
    in_ukrainian = console.get(f"/staff/cases/{second}/screening?lang=uk")
    assert "дати народження різняться" in in_ukrainian.text

    answer = console.post(f"/staff/cases/{second}/screening/{first}", {"same_person": "no"})
    assert answer.status_code == 303
    after = console.get(f"/staff/cases/{second}/screening")
    assert "Maksym Zhuravlov" not in after.text
    refused = console.post(
        f"/staff/cases/{second}/screening/{first}", {"same_person": "no"}, csrf=False
    )
    assert refused.status_code == 403
