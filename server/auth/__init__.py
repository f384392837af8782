"""Passwords, tokens and the principal behind a request."""
