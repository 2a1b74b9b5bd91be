"""Reading a SPARQL text without running it: codepoint escapes decoded, comments, string literals
and IRIs told apart from the rest, bracket depth measured; each in one pass over the text (linear
time whatever the input, so a hostile query costs no more to read than its length).

SPARQL 1.1 (section 19.2) replaces the codepoint escapes ``\\uXXXX`` and ``\\UXXXXXXXX`` before the
query is parsed, anywhere in the text: ``\\u0053ERVICE`` *is* the keyword SERVICE. Whatever
looks at a query's words must therefore look at the decoded text, as :func:`decode_escapes`
gives it. :func:`visible` then blanks out what is not syntax (``"DROP"`` in a string,
``<http://example.org/insert>``, a comment), keeping line numbers for messages.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(sparql: str) -> str:
    """``sparql`` with its codepoint escapes replaced by the characters they stand for, once, as a
    SPARQL parser does before parsing (an escape of no character, e.g. a surrogate, is kept)."""
    def character(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(character, sparql)


_SPECIAL = re.compile(r"[#\"'<]")
_IN_SHORT = {q: re.compile(r"[\\\n" + q + "]") for q in "\"'"}
_IN_LONG = {q: re.compile(r"\\|" + q * 3) for q in "\"'"}
_IRI_END = re.compile(r"[<>\"{}|^`\\\s]")


def visible(sparql: str) -> str:
    """``sparql`` with comments, strings and IRIs replaced by spaces (newlines kept), in one pass.

    A short string that is not closed on its line, or an ``<`` that does not start an IRI, is
    left as it is (the parser will refuse it); a long string that is not closed hides the rest."""
    out: list[str] = []
    n = len(sparql)
    unclosed: dict[str, int] = {}  # quote -> end of a line known to hold no closing quote after it
    done = 0  # sparql[:done] is in out

    def hide(start: int, end: int) -> None:
        nonlocal done
        out.append(sparql[done:start])
        out.append(re.sub(r"[^\n]", " ", sparql[start:end]))
        done = end

    i = 0
    while True:
        found = _SPECIAL.search(sparql, i)
        if found is None:
            break
        i = found.start()
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
            hide(i, end)
            i = end
        elif c in "\"'" and sparql.startswith(c * 3, i):
            k, end = i + 3, n
            while (step := _IN_LONG[c].search(sparql, k)) is not None:
                if step.group(0) == "\\":
                    k = step.end() + 1
                else:
                    end = step.end()
                    break
            hide(i, end)
            i = end
        elif c in "\"'":
            if unclosed.get(c, -1) >= i:  # a scan from an earlier quote on this line found no end
                i += 1
                continue
            k, end = i + 1, None
            while (step := _IN_SHORT[c].search(sparql, k)) is not None:
                if step.group(0) == "\\":
                    k = step.end() + 1
                elif step.group(0) == "\n":
                    break
                else:
                    end = step.end()
                    break
            if end is None:
                eol = sparql.find("\n", i)
                unclosed[c] = n if eol < 0 else eol
                i += 1
            else:
                hide(i, end)
                i = end
        else:  # "<": an IRI, or a comparison (the scan stops at the next '<' or space: nothing is read twice over)
            stop = _IRI_END.search(sparql, i + 1)
            if stop is not None and stop.group(0) == ">":
                hide(i, stop.end())
                i = stop.end()
            else:
                i += 1
    out.append(sparql[done:])
    return "".join(out)


def find_keyword(sparql: str, words: tuple[str, ...]) -> tuple[str, int] | None:
    """The first of ``words`` used as a keyword (not a variable, prefixed name or language tag),
    upper-cased, with its line number; None if there is none. Escapes are decoded first."""
    text = visible(decode_escapes(sparql))
    match = re.search(r"(?<![\w?$:@])(" + "|".join(words) + r")(?![\w:-])", text, re.IGNORECASE)
    if match is None:
        return None
    return match.group(1).upper(), text.count("\n", 0, match.start()) + 1


def nesting(sparql: str) -> tuple[int, int]:
    """The deepest nesting of brackets ``( [ {`` in the query's syntax, and the line where it is."""
    text = visible(decode_escapes(sparql))
    depth = deepest = 0
    line = where = 1
    for c in text:
        if c in "([{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif c in ")]}":
            depth = max(depth - 1, 0)
        elif c == "\n":
            line += 1
    return deepest, where
