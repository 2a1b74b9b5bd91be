"""Binding variables of a SPARQL text to RDF terms with ``VALUES`` blocks, never by pasting
values into the query.

The block goes first in the outermost ``WHERE`` group, so the values are in scope everywhere in
the query, filters included. It is also copied into every sub-select that projects the variable
(and has no LIMIT or OFFSET, which a restriction could change): SPARQL evaluates a sub-select
before joining it with the outer group, so without the copy a parameterised query would compute
its sub-selects for every instrument and only then keep the one asked for, a cost that grows with
the whole graph instead of the answer (measured: ``offence-novelty`` went from 132 ms at 100k
triples to 12 s at 1M). The terms are written by Oxigraph's serialiser (or, for rdflib, in the
same syntax), so a value cannot change the query's structure.
"""

from __future__ import annotations

import re

from .lexical import visible


def _block(bindings: dict[str, object]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f" VALUES ({names}) {{ ({terms}) }} "


def _projected(projection: str) -> set[str]:
    """Plain variables of a SELECT clause (not those inside expressions or bound with AS)."""
    depth, names = 0, set()
    for match in re.finditer(r"[()]|[?$](\w+)", projection):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            names.add(match.group(1))
    return names


def _closing_brace(text: str, start: int) -> int:
    """Index of the brace that closes the group opened just before ``start``."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def with_values(sparql: str, bindings: dict[str, object]) -> str:
    """``sparql`` with ``bindings`` (variable name → term whose ``str`` is SPARQL syntax) bound."""
    if not bindings:
        return sparql
    text = visible(sparql)
    outer = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
    if outer is None:
        raise ValueError("query has no WHERE group to bind values in")
    inserts = [(outer.end(), _block(bindings))]
    for select in re.finditer(r"\bSELECT\b(?P<projection>[^{}]*?)\bWHERE\s*\{", text, re.IGNORECASE):
        if select.end() == outer.end():
            continue
        subset = {name: term for name, term in bindings.items() if name in _projected(select.group("projection"))}
        end = _closing_brace(text, select.end())
        modifiers = re.match(r"[^{}]*", text[end + 1:]).group(0)
        if subset and not re.search(r"\b(LIMIT|OFFSET)\b", modifiers, re.IGNORECASE):
            inserts.append((select.end(), _block(subset)))
    for position, block in sorted(inserts, reverse=True):
        sparql = sparql[:position] + block + sparql[position:]
    return sparql
