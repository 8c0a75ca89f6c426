"""The access page in a real browser: an admin sees who holds access and ends a
user's sessions; the user's browser is signed out at its next page. Five wrong
passwords lock the account, and the page says for how long."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from ordino.access.services.keys import create_key
from ordino.access.services.users import create_user
from ordino.kernel.domain.roles import Role
from tests.conftest import ADMIN_KEY, Clock
from tests.support.browser import Served, document

PASSWORD = "correct horse battery"


def _sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/console/sign-in")
    page.get_by_label("User name", exact=True).fill(username)
    page.get_by_label("Password, or an API key").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_ends_a_users_sessions_from_the_access_page(
    served: Served, page: Any, browser: Any, clock: Clock
) -> None:
    create_user("ada", PASSWORD, Role.AGENT, served.uow(), clock())
    create_key(Role.CHANNEL, "web shop", served.uow(), clock(), channel="web")
    ada = browser.new_context(locale="en-GB").new_page()
    _sign_in(ada, served.url, "ada", PASSWORD)
    expect(ada.get_by_role("heading", name="Orders")).to_be_visible()

    _sign_in(page, served.url, "", ADMIN_KEY)
    page.get_by_role("link", name="Access").click()
    row = page.get_by_role("row").filter(has_text="ada")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")
    document(page, "console-access")
    row.get_by_role("button", name="End sessions").click()

    expect(page.get_by_role("status")).to_have_text("Done.")
    expect(row.get_by_role("cell").nth(4)).to_have_text("0")
    ada.reload()
    expect(ada.get_by_role("heading", name="Sign in to Ordino")).to_be_visible()
    ada.context.close()


def test_five_wrong_passwords_lock_the_account_and_the_page_says_for_how_long(
    served: Served, page: Any, clock: Clock
) -> None:
    create_user("ada", PASSWORD, Role.AGENT, served.uow(), clock())

    for n in range(5):
        _sign_in(page, served.url, "ada", f"guess number {n}")
        expect(page.get_by_role("alert")).to_contain_text("That did not match")
    _sign_in(page, served.url, "ada", PASSWORD)

    expect(page.get_by_role("alert")).to_have_text(
        "Too many attempts to sign in. Try again in 15 minutes."
    )
    document(page, "console-sign-in-locked")
