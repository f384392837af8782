"""Postgres: connection pool, migrations and one query module per aggregate."""
