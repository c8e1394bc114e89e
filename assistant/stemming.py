"""English stemming (PyStemmer), one stemmer per thread.

PyStemmer's documentation warns that a Stemmer object must not be shared between threads; the
app answers many sessions from one loaded assistant, so each thread gets its own.
"""

from __future__ import annotations

import threading

_local = threading.local()


def stemmer():
    """This thread's English stemmer (``.stemWord``, ``.stemWords``), created on first use."""
    current = getattr(_local, "stemmer", None)
    if current is None:
        import Stemmer  # deferred: C extension, loaded on first use

        current = _local.stemmer = Stemmer.Stemmer("english")
    return current


def stem(word: str) -> str:
    return stemmer().stemWord(word)
