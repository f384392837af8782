"""Accounts use cases: registration, sign-in, sessions."""
