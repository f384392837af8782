"""Representative response bodies for the bare peer: a restaurant's menu, a nearby list."""
from __future__ import annotations


def menu_payload(articles: int = 24) -> dict:
    """About 6 KB of JSON: a restaurant with its articles, option groups and prices."""
    return {
        "restaurant": {"id": "5b0f3c1e-8a43-4d1e-9a0b-0d6b1c2f7a11", "name": "Chez Bench",
                       "open_now": True, "prep_minutes": 15},
        "articles": [
            {"id": f"00000000-0000-4000-8000-{i:012d}", "name": f"Article {i}",
             "description": "Une description courte mais réaliste du plat.",
             "price_cents": 850 + 50 * i, "available": i % 7 != 0,
             "option_groups": [{"name": "Taille", "min": 1, "max": 1,
                                "options": [{"name": "Normal", "price_cents": 0},
                                            {"name": "Grand", "price_cents": 200}]}]}
            for i in range(articles)
        ],
    }
