"""Privacy: personal identifiers found in free text (names, NHS and NI numbers, postcodes,
phone numbers, emails, dates of birth) and removed before anything is stored. ``screen`` is the API.

May import: the top-level modules only.
"""
