"""The REST toolkit every part's API builds on (the record's `api`, `events`, `ingestion`): token
authentication, the JSON parser and renderer, problem-details errors, keyset pagination, the base
views and strict serializers, and the schema's post-processing. It knows no part's endpoints."""
