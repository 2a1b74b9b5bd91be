"""Reading a SPARQL text's keywords without parsing it: comments, string literals and IRIs are
blanked out first, so ``"DROP"`` in a string or ``<http://example.org/insert>`` is not taken
for an operation, while line numbers are kept for messages."""

from __future__ import annotations

import re

_HIDDEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'      # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'               # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'                # IRIs
    r"|#[^\n]*",                          # comments
    re.DOTALL,
)


def visible(sparql: str) -> str:
    """``sparql`` with comments, strings and IRIs replaced by spaces (newlines kept)."""
    return _HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sparql)


def find_keyword(sparql: str, words: tuple[str, ...]) -> tuple[str, int] | None:
    """The first of ``words`` used as a keyword (not a variable, prefixed name or language tag),
    upper-cased, with its line number; None if there is none."""
    text = visible(sparql)
    match = re.search(r"(?<![\w?$:@])(" + "|".join(words) + r")(?![\w:-])", text, re.IGNORECASE)
    if match is None:
        return None
    return match.group(1).upper(), text.count("\n", 0, match.start()) + 1
