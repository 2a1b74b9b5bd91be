"""Synthetic submissions for the benchmarks: fictional instruments of 50 articles each (the size of
a real convention; the largest we model has 68), every article a valid record (number, order,
heading, instrument, source, concept), every instrument complete (all its articles, counted): about
7 triples per article. Fictional data only: it is never shipped.

    python benchmarks/generate.py 10000 > /tmp/sub.ttl     # about 10k triples
"""

from __future__ import annotations

import sys

ARTICLES_PER_INSTRUMENT = 50
CODES = ["illegal-access", "illegal-interception", "data-interference", "system-interference", "misuse-of-devices"]

PREFIXES = """@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix offence: <https://w3id.org/cybertreaty-kg/id/concept/offence/> .
@prefix synthetic: <https://w3id.org/cybertreaty-kg/id/instrument/synthetic-> .
"""


def _instrument(i: int, articles: int) -> str:
    return f"""synthetic:{i}
    a ctkg:Convention ;
    ctkg:allArticlesModelled true ;
    ctkg:articleCount {articles} ;
    ctkg:identifier "synthetic-{i}" ;
    ctkg:membershipScope <https://w3id.org/cybertreaty-kg/id/concept/scope/global> ;
    ctkg:organisation <https://w3id.org/cybertreaty-kg/id/org/un> ;
    dcterms:source <https://example.org/synthetic> ;
    dcterms:title "Synthetic benchmark instrument {i}"@en .
"""


def _article(i: int, n: int) -> str:
    return f"""<https://w3id.org/cybertreaty-kg/id/instrument/synthetic-{i}/art/{n}>
    a ctkg:Article ;
    ctkg:addresses offence:{CODES[n % len(CODES)]} ;
    ctkg:heading "Synthetic article {n}"@en ;
    ctkg:inInstrument synthetic:{i} ;
    ctkg:number "{n}" ;
    ctkg:order {n} ;
    dcterms:source <https://example.org/synthetic> .
"""


def submission(triples: int) -> str:
    """A Turtle submission of about ``triples`` triples."""
    articles = max(1, triples * ARTICLES_PER_INSTRUMENT // (7 * ARTICLES_PER_INSTRUMENT + 9))
    blocks = [PREFIXES]
    for index in range(articles):
        i, n = divmod(index, ARTICLES_PER_INSTRUMENT)
        if n == 0:
            blocks.append(_instrument(i + 1, min(ARTICLES_PER_INSTRUMENT, articles - index)))
        blocks.append(_article(i + 1, n + 1))
    return "\n".join(blocks)


if __name__ == "__main__":
    sys.stdout.write(submission(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
