"""Couriers: availability, live positions, GPS tracks, dispatch and offers, codes, earnings.

Importing the package declares what couriers add elsewhere: dispatch on an order's
acceptance, who may follow a delivery live, where delivery events go, notification
texts, the GPS buffer's flush on shutdown, and the erasure of a courier's tracks.
"""
from server.couriers import registrations  # noqa: F401  (registrations)
