"""The resolve stage: actors, places and dates in the text to canonical ids, coordinates and ISO dates.

- states: "Britain", "Dutch", "Tehran" → ISO 3166 alpha-3 ("GBR", "NLD", "IRN"); "EU" for the Union.
- agencies: "MOIS", "Iran's intelligence ministry" → one id with its state (``data/agencies.json``).
- places: "The Hague", "Surrey, B.C." → gazetteer entries with coordinates (``data/gazetteer.tsv``).
- dates: "last Tuesday", "late September" → "YYYY-MM-DD" / "YYYY-MM" / "YYYY", anchored on publication.

All language data lives in ``resolve/data/`` as plain files, loaded once and cached.
"""

from __future__ import annotations

from plotwatch.resolve.agencies import find_agencies, match_agency
from plotwatch.resolve.dates import find_date_expressions, resolve_date
from plotwatch.resolve.places import lookup_place
from plotwatch.resolve.states import state_code, state_name

__all__ = [
    "find_agencies",
    "find_date_expressions",
    "lookup_place",
    "match_agency",
    "resolve_date",
    "state_code",
    "state_name",
]
