"""The ontology's documentation is built once per process, however many first requests come
at once (fuzzing saw 10-12 s for /ontology when each thread ran pyLODE itself; issue 17)."""

from __future__ import annotations

import threading

import pyoxigraph as ox

from pillars.corpus import default_root
from pillars.server import pages_ontology


def test_concurrent_first_requests_build_the_documentation_once() -> None:
    ontology = default_root() / "ontology" / "pillars.ttl"
    triples = ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert ntriples
    pages_ontology._cache.clear()
    before = pages_ontology.builds
    pages: list[str] = []
    threads = [
        threading.Thread(target=lambda: pages.append(pages_ontology.documentation(ntriples)))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert pages_ontology.builds - before == 1
    assert len(pages) == 6 and len(set(pages)) == 1
    assert 'id="Threat"' in pages[0] or ">Threat<" in pages[0]
