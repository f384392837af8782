"""Payments through a provider interface; the sandbox provider stands in for a card network."""
