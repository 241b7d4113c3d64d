"""Mutations of the web layer (src/guardpath/web/)."""

from __future__ import annotations

from mutations.model import (
    CSRF,
    FUZZ,
    LOCKOUT,
    LOGIN,
    NEW_SESSION,
    NO_PERSONAL_DATA_IN_LOGS,
    Mutation,
)

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "require-admits-every-role",
        "role-scoped access",
        "src/guardpath/web/staff/session.py",
        (("        if staff.role not in roles:\n", "        if False:\n"),),
        (
            "tests/web/test_roles.py::test_it_admits_exactly_the_declared_roles_on_every_route",
            "tests/web/test_staff_analyst.py::test_it_refuses_an_analyst_a_case_page",
            "tests/web/test_staff_analyst.py::test_it_refuses_an_analyst_the_search",
        ),
    ),
    Mutation(
        "csrf-any-token",
        "CSRF token on every staff form",
        "src/guardpath/web/staff/csrf.py",
        (
            (
                "    if not same_secret(staff.csrf, given if isinstance(given, str) else None):\n",
                "    if False:\n",
            ),
        ),
        (
            f"{CSRF}::test_it_refuses_a_step_without_the_sessions_token",
            f"{CSRF}::test_it_refuses_another_sessions_token",
            f"{CSRF}::test_it_refuses_a_logout_without_the_token",
            f"{CSRF}::test_it_refuses_a_search_without_the_token",
        ),
    ),
    Mutation(
        "login-form-token-unchecked",
        "CSRF token on the login form",
        "src/guardpath/web/staff/auth.py",
        (
            (
                '    if not same_secret(request.cookies.get(LOGIN_COOKIE, ""), csrf)'
                " or not csrf:\n",
                "    if False:\n",
            ),
        ),
        (f"{LOGIN}::test_it_refuses_a_login_form_without_its_token",),
    ),
    Mutation(
        "login-keeps-the-old-session",
        "session renewed at login",
        "src/guardpath/web/staff/auth.py",
        (("replacing=session_token(request)", "replacing=None"),),
        (NEW_SESSION,),
    ),
    Mutation(
        "login-throttle-off",
        "throttling of failed logins per address",
        "src/guardpath/web/staff/auth.py",
        (
            (
                "            (LOGINS_PER_CLIENT, client),\n"
                "            (LOGINS_PER_USERNAME, subject(username.strip().lower(), client)),\n",
                "",
            ),
        ),
        (
            f"{LOCKOUT}::test_it_slows_an_address_after_five_failures_on_one_username",
            f"{LOCKOUT}::test_it_slows_down_one_address_that_keeps_failing_across_usernames",
        ),
    ),
    Mutation(
        "login-username-throttle-off",
        "failed logins on one username throttled per address",
        "src/guardpath/web/staff/auth.py",
        (
            (
                "            (LOGINS_PER_USERNAME, subject(username.strip().lower(), client)),\n",
                "",
            ),
        ),
        (
            f"{LOCKOUT}::test_it_slows_an_address_after_five_failures_on_one_username",
            f"{LOCKOUT}::test_it_lets_the_address_try_again_after_fifteen_minutes",
        ),
    ),
    Mutation(
        "failures-lock-the-account",
        "failures lock no account: its owner logs in while another address fails",
        "src/guardpath/web/staff/auth.py",
        (
            (
                "            (LOGINS_PER_USERNAME, subject(username.strip().lower(), client)),\n",
                "            (LOGINS_PER_USERNAME, username.strip().lower()),\n",
            ),
        ),
        (f"{LOCKOUT}::test_it_keeps_the_account_open_to_its_owner_while_another_address_fails",),
    ),
    Mutation(
        "request-log-path-and-query",
        "no personal data in logs",
        "src/guardpath/web/requests.py",
        (
            (
                '        return str(getattr(route, "path", "unmatched"))\n',
                '        return scope["path"] + "?" + scope["query_string"].decode()\n',
            ),
        ),
        NO_PERSONAL_DATA_IN_LOGS,
    ),
    Mutation(
        "check-fails-after-2030",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/checks.py",
        (
            (
                "    answer = checks.answer_json(",
                "    if body.on.year > 2030:\n"
                '        raise RuntimeError("no law known after 2030")\n'
                "    answer = checks.answer_json(",
            ),
        ),
        FUZZ,
    ),
    Mutation(
        "check-fails-on-29-february",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/checks.py",
        (
            (
                "    answer = checks.answer_json(",
                "    if (body.on.month, body.on.day) == (2, 29):\n"
                '        raise RuntimeError("a leap day")\n'
                "    answer = checks.answer_json(",
            ),
        ),
        FUZZ,
    ),
    Mutation(
        "application-fails-for-a-russian",
        "API fuzzing finds a server error",
        "src/guardpath/web/api/applications.py",
        (
            (
                "    limited = (submissions_limit(ctx), client_of(request))\n",
                '    if "RU" in body.person.citizenships:\n'
                '        raise RuntimeError("a Russian citizen")\n'
                "    limited = (submissions_limit(ctx), client_of(request))\n",
            ),
        ),
        FUZZ,
    ),
)
