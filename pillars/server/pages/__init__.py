"""The Linked Data pages and the query UI: one blueprint, `bp`, one module per page family.

Importing a family module adds its routes to `bp` (pillars/server/pages/base.py), so this
package imports them all and the app registers `bp` once.
"""

from pillars.server.pages import (
    argmap,
    article,
    compare,
    graphs,
    home,
    ontology,
    query,
    resource,
)
from pillars.server.pages.base import bp

__all__ = ["argmap", "article", "bp", "compare", "graphs", "home", "ontology", "query", "resource"]
