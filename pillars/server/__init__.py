"""The Flask web app: SPARQL protocol, Linked Data pages, query UI, validation API."""
