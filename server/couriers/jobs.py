"""The couriers' worker jobs: offers that expire or must be made again, and old tracks pruned."""
from server.couriers.offers import offer_timers
from server.couriers.tracks import prune_tracks

__all__ = ["offer_timers", "prune_tracks"]
