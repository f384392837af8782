"""Words for full-text search: case and accents ignored, every query word a prefix."""
from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+")
MAX_QUERY_WORDS = 8
# Ligatures have no decomposition, yet French writes "bœuf" and types "boeuf".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lower-case words without accents or punctuation: "Crêpes & Café" -> "crepes cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).replace("_", " ").split())


def document(*texts: str) -> str:
    """The text a search vector is built from."""
    return " ".join(fold(t) for t in texts if t)


def prefix_query(query: str) -> str | None:
    """A to_tsquery string matching every word as a prefix, or None when no word is left.

    Only letters and digits survive `fold`, so nothing in the result is tsquery syntax.
    """
    words = fold(query).split()[:MAX_QUERY_WORDS]
    return " & ".join(f"{w}:*" for w in words) or None
