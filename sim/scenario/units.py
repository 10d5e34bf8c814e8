"""Units of time shared by the model and its analysis (DESIGN §4: a year is 365 days, a month
365/12 days; working days are 5/7 of calendar days)."""

from __future__ import annotations

DAYS_PER_YEAR = 365.0
"""Days in the model's year."""
MONTHS_PER_YEAR = 12
"""Months in a year (a unit conversion)."""
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR
"""Days in the model's month (365/12)."""
WORKING_DAYS_PER_CALENDAR_DAY = 5.0 / 7.0
"""Working days per calendar day."""
