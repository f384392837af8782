"""Restaurants, their articles and menus, photos, discovery and statistics."""
