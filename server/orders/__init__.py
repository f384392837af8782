"""Orders: placing, the state machine's use cases, history, ratings, timers.

Importing the package declares what orders add elsewhere: who may watch an order live,
the kitchen screens' room, the data export section and the erasure step.
"""
from server.orders import access, live, personal  # noqa: F401  (registrations)
