"""axe-core over every page in tests/e2e/pages.py, in English and Ukrainian, on a desktop
(1280x900) and a phone (390x844): no serious or critical violation anywhere. Beside axe, what
it does not check: borders of form fields against the page (3:1), no page wider than the
phone's screen, and the yellow focus style."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from e2e.application_walk import send_application
from e2e.conftest import TIMEOUT_MS, Site, staff_login
from e2e.interview_walk import AMERICAN, BRITISH, TOO_YOUNG, walk
from e2e.pages import LOCALES, PUBLIC_PAGES, SIZES, STAFF_PAGES, Visit
from guardpath.adapters.tables import cases
from guardpath.cases.model import Role, State
from guardpath.services.casework import visible_states

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = frozenset({"serious", "critical"})
COMBINATIONS = [(lang, size) for lang in LOCALES for size in SIZES]


FIELD_BORDERS = """() => [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea")]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.id || e.name, getComputedStyle(e).borderTopColor])"""


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def problems(page: Any, where: str) -> list[str]:
    """The serious and critical violations on the page, one line each, with the elements;
    form fields whose border is under 3:1 on white; a page wider than the screen."""
    found = [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in AXE.run(page).response["violations"]
        if v.get("impact") in BLOCKING
    ]
    found += [
        f"{where}: the border of {name} is {ratio:.2f}:1 against white"
        for name, colour in page.evaluate(FIELD_BORDERS)
        if (ratio := contrast(colour, "rgb(255, 255, 255)")) < 3
    ]
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > page.viewport_size["width"]:
        found.append(f"{where}: {wide}px wide on a {page.viewport_size['width']}px screen")
    return found


WALKERS = {"american": AMERICAN, "too young": TOO_YOUNG, "british": BRITISH}


def visit(page: Any, step: Visit, case_id: str = "") -> None:
    if step.walk == "application":
        send_application(page)
        return
    if step.walk:
        walk(page, step.path, WALKERS[step.walk])
        return
    page.goto(step.path.replace("{case}", case_id))
    for selector in step.clicks:
        with page.expect_navigation():
            page.click(selector)
    for selector, value in step.fill:
        page.fill(selector, value)
    if step.submit:
        with page.expect_navigation():
            page.locator(step.submit).first.evaluate("form => form.submit()")


def new_context(browser: Any, site: Site, lang: str, size: str, state: Any = None) -> Any:
    context = browser.new_context(
        base_url=site.url, locale=LOCALES[lang], viewport=SIZES[size], storage_state=state
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.mark.parametrize(("lang", "size"), COMBINATIONS)
def test_every_public_page_passes_axe(browser: Any, site: Site, lang: str, size: str) -> None:
    context = new_context(browser, site, lang, size)
    page = context.new_page()
    found: list[str] = []
    try:
        for step in PUBLIC_PAGES:
            if step.draft and not _has_draft(page):
                page.goto("/apply")
                with page.expect_navigation():
                    page.locator("form[action='/apply/start']").evaluate("f => f.submit()")
            visit(page, step)
            found += problems(page, f"{step.name} [{lang}, {size}]")
    finally:
        context.close()
    assert found == [], "\n".join(found)


def _has_draft(page: Any) -> bool:
    return any(c["name"].startswith("gp_draft") for c in page.context.cookies())


def case_for(site: Site, role: Role) -> str:
    """A case the role may open, preferring one in its own work."""
    states = [s.value for s in visible_states(role)]
    if role is Role.VETTING_OFFICER:
        states = [State.SPECIAL_CHECK.value, *states]
    with site.ctx.engine.connect() as conn:
        for state in states:
            found = conn.execute(select(cases.c.id).where(cases.c.state == state).limit(1)).scalar()
            if found:
                return str(found)
    return "no-such-case"


@pytest.fixture(scope="module")
def signed_in(browser: Any, site: Site) -> Iterator[dict[Role, Any]]:
    """One login per role, its cookies reused by every language and size."""
    states: dict[Role, Any] = {}
    for role in STAFF_PAGES:
        context = new_context(browser, site, "en", "desktop")
        page = context.new_page()
        staff_login(page, site, role)
        page.wait_for_url(f"{site.url}/staff")
        states[role] = context.storage_state()
        context.close()
    yield states


@pytest.mark.parametrize("role", list(STAFF_PAGES), ids=lambda r: r.value)
def test_every_staff_page_passes_axe(
    browser: Any, site: Site, signed_in: dict[Role, Any], role: Role
) -> None:
    case_id = case_for(site, role)
    found: list[str] = []
    for lang, size in COMBINATIONS:
        context = new_context(browser, site, lang, size, signed_in[role])
        page = context.new_page()
        try:
            for step in STAFF_PAGES[role]:
                visit(page, step, case_id)
                found += problems(page, f"{role.value}: {step.name} [{lang}, {size}]")
        finally:
            context.close()
    assert found == [], "\n".join(found)


def test_the_focus_is_the_yellow_of_gov_uk(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the first link of the header
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.backgroundColor, s.color]; }"
    )
    assert focused[0] == "A"
    assert focused[1] == "rgb(255, 221, 0)"
    assert contrast(focused[1], focused[2]) >= 4.5
    page.goto("/staff/login")
    page.focus("#username")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert outline == "rgb(255, 221, 0)"
