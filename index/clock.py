"""The one timestamp format the library stores (UTC, seconds, ISO 8601)."""

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
