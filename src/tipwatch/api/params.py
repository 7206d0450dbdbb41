"""Query and path parameters shared by the API routers: their types, patterns and help."""

from __future__ import annotations

from typing import Literal

from tipwatch.tiers import TIERS

TierParam = Literal[TIERS]  # the tier codes of tiers.py, in their order
RegionParam = Literal["AF", "EAP", "EUR", "NEA", "SCA", "WHA"]
FormatParam = Literal["json", "csv"]

YEAR_DOC = ("report year (4 digits), 'latest' (the latest complete report) or 'newest' "
            "(the last year with any placement)")
YEAR_PATTERN = r"^(\d{4}|latest|newest)$"
COUNTRY_DOC = "ISO3 code or any country name the identity table knows"
