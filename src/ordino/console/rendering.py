"""Pages rendered with Jinja2, in the reader's language (English or German, from
the browser's Accept-Language), with dates and money formatted for their locale
(Babel). Messages are gettext catalogues (`locales/<lang>/LC_MESSAGES/messages.po`),
read with Babel at start: no compile step."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ordino.console import words
from ordino.console.menu import MENU

HERE = Path(__file__).parent
STATIC = HERE / "static"  # the pages' style sheet and script, served at /static
LANGUAGES = ("en", "de")  # the first is the default

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.install_null_translations()  # type: ignore[attr-defined]
_env.globals["MENU"] = MENU
_env.globals["words"] = words


@cache
def translations(language: str) -> gettext.NullTranslations:
    po = HERE / "locales" / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def language_of(request: Request, spoken: str | None = None) -> str:
    """`?lang=` if given (kept for the visit), else the one chosen earlier in the
    visit, else the one the page's reader is known to speak (`spoken`: a customer's
    order's, `de-CH`) when we have it, else the best of the browser's languages we
    have."""
    asked = request.query_params.get("lang")
    session = request.session if "session" in request.scope else {}  # "/" has none
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if (kept := session.get("lang")) in LANGUAGES:
        return str(kept)
    header = request.headers.get("accept-language", "")
    preferred = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",")]
    if spoken:
        preferred.insert(0, spoken.replace("-", "_"))
    found = Locale.negotiate([p for p in preferred if p], list(LANGUAGES), sep="_")
    return str(found) if found is not None else LANGUAGES[0]


@dataclass(frozen=True)
class Formats:
    """Dates, times and money as the reader's locale writes them."""

    language: str
    time_zone: ZoneInfo

    def money(self, amount: Decimal | str, currency: str) -> str:
        return numbers.format_currency(Decimal(amount), currency, locale=self.language)

    def percent(self, rate: Decimal | str) -> str:
        """A rate (0.055) as a percentage (5.5 %)."""
        return numbers.format_percent(Decimal(rate), "#,##0.###%", locale=self.language)

    def day(self, value: date | str | None) -> str:
        if value is None:
            return ""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return dates.format_date(day, "medium", locale=self.language)

    @property
    def zone_name(self) -> str:
        """The time zone's name in the reader's words ("Central European Time")."""
        return dates.get_timezone_name(self.time_zone, "long", locale=self.language)

    def moment(self, value: datetime | str | None) -> str:
        if value is None:
            return ""
        at = datetime.fromisoformat(value) if isinstance(value, str) else value
        return dates.format_datetime(at, "medium", tzinfo=self.time_zone, locale=self.language)


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    time_zone: str | None = None,
    spoken: str | None = None,
) -> HTMLResponse:
    """`time_zone`: the page's (a customer's order's), else ORDINO_TIME_ZONE;
    `spoken`: the reader's language when known (a customer's order's)."""
    language = language_of(request, spoken)
    words = translations(language)
    zone = ZoneInfo(time_zone or request.app.state.settings.time_zone)
    page = _env.get_template(template).render(
        request=request,
        lang=language,
        fmt=Formats(language, zone),
        _=words.gettext,
        gettext=words.gettext,
        ngettext=words.ngettext,
        **context,
    )
    return HTMLResponse(page, status_code=status_code)
