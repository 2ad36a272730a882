"""The fast query-string decoder gives exactly what Werkzeug's request.args gives."""

from __future__ import annotations

import random
import urllib.parse

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pillars.server.querystring import parse_args


def werkzeug_args(query_string: str) -> list[tuple[str, str]]:
    environ = EnvironBuilder(path="/sparql").get_environ()
    environ["QUERY_STRING"] = query_string
    return list(Request(environ).args.items(multi=True))


def ours(query_string: str) -> list[tuple[str, str]]:
    """As the view holds them: in a MultiDict, which groups values by name."""
    return list(MultiDict(parse_args(query_string)).items(multi=True))


SPARQL = 'PREFIX ex: <http://example.org/#>\nSELECT ?s WHERE { ?s ex:p "a+b = 100 % € ☃" }'
CASES = [
    urllib.parse.urlencode({"query": SPARQL, "format": "json"}),
    urllib.parse.quote(SPARQL, safe=""),
    "query=" + urllib.parse.quote(SPARQL),  # spaces as %20, '=' left bare by quote()
    "query=SELECT+*+WHERE+{+?s+?p+?o+FILTER(?o+=+1)+}",  # typed in a browser: a bare '='
    "query=%E2%82%AC&query=%e2%82%ac&&timeout=5&default-graph-uri=",
    "a=%zz&b=%4&c=%",  # broken escapes stay as they are
    "a=%FF%FE&b=ok",  # not UTF-8: stays percent-encoded
    "flag&x=1;y=2",
    "q=line%0Abreak%0D%0A%09tab",
    "",
]


@pytest.mark.parametrize("query_string", CASES)
def test_same_as_werkzeug(query_string: str) -> None:
    assert ours(query_string) == werkzeug_args(query_string)


def test_same_as_werkzeug_on_random_strings() -> None:
    rng = random.Random(7)
    alphabet = ["%", "+", "=", "&", ";", "a", "Z", "0", "9", "f", "F", "é", " ", "\t", "%2", "%3D"]
    alphabet += ["%C3%A9", "%E2%82", "%AC", "%0a", "#", "?", "\u00ff"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        raw = text.encode("utf-8").decode("latin-1")  # as a WSGI server hands it over
        assert ours(raw) == werkzeug_args(raw), repr(raw)


def test_negotiation_kept_per_header_and_errors_every_time() -> None:
    # negotiate() keeps its answers (pillars/server/negotiation.py): the same header gives the
    # same formats, a different one its own, and an unknown format= is refused every time.
    from pillars.server.negotiation import NegotiationError, negotiate

    assert negotiate("text/csv", None)[0].key == "csv"  # type: ignore[union-attr]
    assert negotiate("text/csv", None)[0].key == "csv"  # type: ignore[union-attr]
    assert negotiate("application/sparql-results+xml", None)[0].key == "xml"  # type: ignore[union-attr]
    for _ in range(2):
        with pytest.raises(NegotiationError):
            negotiate(None, "no-such-format")
