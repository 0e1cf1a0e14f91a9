"""Open data: the public record as a Frictionless Data Package (CSV tables with their Table
Schemas in datapackage.json), exported and imported by the one declaration in `schema.py`."""
