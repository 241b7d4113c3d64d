"""What a draft keeps of each step: what was typed and, once complete, the facts it gives,
validated when saved; page views use them as saved, and drafts saved before still open."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.services import drafts as drafts_service
from guardpath.web.pages import apply_forms

from .test_public_apply import fill_in, start, submit
from .test_public_pages import ABOUT

Csrf = Callable[[str], str]
STAY = {"stay_basis": "visa", "stay_valid_until": "2027-12-31", "previously_convicted": "no"}


def opened(client: TestClient, ctx: Context) -> drafts_service.Draft:
    draft = drafts_service.open_draft(ctx, client.cookies["gp_draft"])
    assert draft is not None
    return draft


def test_a_complete_step_is_kept_as_its_validated_facts(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    client.post("/apply/about", data={"csrf": token, **ABOUT, "birth_date": " 1990-05-10 "})
    client.post("/apply/stay", data={"csrf": token, **STAY, "stay_valid_until": "2027-02-30"})

    about, stay = opened(client, ctx).data["about"], opened(client, ctx).data["stay"]
    assert about["data"]["birth_date"] == "1990-05-10"
    assert about["data"]["citizenships"] == ["US"]
    assert about["values"]["birth_date"] == "1990-05-10"  # as typed, trimmed
    assert stay["data"] is None  # 30 February: typed, kept, not complete
    assert stay["values"]["stay_valid_until"] == "2027-02-30"


def test_a_page_view_reads_the_saved_steps_without_validating_them_again(
    client: TestClient, csrf: Csrf, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = start(client, csrf)
    fill_in(client, token)

    def never(*_: object) -> apply_forms.Step:
        raise AssertionError("a saved step was validated again")

    for step, (form, _check) in list(apply_forms.STEP_FORMS.items()):
        monkeypatch.setitem(apply_forms.STEP_FORMS, step, (form, never))
    review = client.get("/apply/review")

    assert review.status_code == 200
    assert "Wexford-Smythe" in review.text and "This step is not complete yet" not in review.text


def test_a_draft_saved_with_the_steps_as_typed_only_still_opens_and_submits(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    draft = opened(client, ctx)
    # The format drafts had before: each step's values as typed, nothing validated.
    typed_only = {
        "about": {**ABOUT, "native_name": "", "phone": "", "stateless": "", "sex": "male"},
        "stay": {**STAY, "prior_military_service": ""},
        "formation": {"formation": "ngu", "rank_group": ""},
    }
    drafts_service.save_draft(ctx, draft, typed_only, "review")

    review = client.get("/apply/review")
    assert "Wexford-Smythe" in review.text and "This step is not complete yet" not in review.text
    assert client.get("/apply/about").text.count('value="1990-05-10"') == 1

    reference, _code = submit(client, token)
    assert reference.startswith("GP-")


def test_a_step_typed_wrong_in_the_old_format_is_shown_incomplete(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    start(client, csrf)
    old = {"about": {**ABOUT, "birth_date": "1990-13-01"}}
    drafts_service.save_draft(ctx, opened(client, ctx), old, "review")

    steps = apply_forms.saved_steps(opened(client, ctx).data)

    assert not steps["about"].valid and not steps["stay"].valid
    assert steps["about"].values["birth_date"] == "1990-13-01"
    assert "This step is not complete yet" in client.get("/apply/review").text
