"""Pages of restaurants: the customer's list and restaurant page, the owner's settings and menu."""
from __future__ import annotations

import functools

import aiohttp_jinja2
from aiohttp import web

from domain.catalogue import ArticleCategory
from web.i18n import LANGUAGES, current_language, translate

routes = web.RouteTableDef()
_ID = "{id:[0-9a-fA-F-]{36}}"
CATEGORY_LABELS = {
    ArticleCategory.starter: "Starters", ArticleCategory.dish: "Dishes", ArticleCategory.side: "Sides",
    ArticleCategory.sauce: "Sauces", ArticleCategory.drink: "Drinks", ArticleCategory.dessert: "Desserts",
    ArticleCategory.other: "Other",
}
DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TEXTS = {
    "failed": "Something went wrong. Please try again.",
    "signIn": "Sign in with a restaurant owner account to manage your restaurants.",
    "noPosition": "Give a position: latitude and longitude, or use your position.",
    "noGeolocation": "Your browser could not give your position.",
    "noneNearby": "No restaurant delivers to this position yet.",
    "openNow": "Open now", "closed": "Closed", "opensAt": "Opens {when}",
    "minutes": "{n} min", "away": "{km} km away", "more": "Show more",
    "saved": "Saved", "created": "Restaurant created", "deleted": "Deleted",
    "soldOut": "Sold out", "available": "Available", "edit": "Edit", "delete": "Delete",
    "settings": "Settings", "menu": "Menu", "stats": "Statistics", "page": "Customer page",
    "noRestaurants": "You have no restaurant yet.", "noArticles": "No articles yet.", "noMenus": "No menus yet.",
    "confirmDelete": "Delete for good?", "addRange": "Add a range", "remove": "Remove",
    "photoSaved": "Photo saved", "photo": "Photo",
    "group": "Option group", "option": "Option", "addOption": "Add an option", "slot": "Slot",
    "name": "Name", "min": "Min", "max": "Max", "priceDelta": "Extra (€)",
    "choose": "Choose {min} to {max}", "choices": "Choices",
    "orders": "Orders", "revenue": "Revenue", "basket": "Average basket", "refused": "Refused orders",
    "prep": "Preparation (minutes)", "median": "median", "noSales": "No sales over this period.",
}


def messages() -> dict:
    """Texts the pages' scripts show, translated here, with category and day names."""
    return _messages_in(current_language())


@functools.cache  # one per language (LANGUAGES); shared, so never changed by a page
def _messages_in(language: str) -> dict:
    assert language in LANGUAGES
    texts = {key: translate(text, language) for key, text in _TEXTS.items()}
    texts["categories"] = {str(c): translate(label, language) for c, label in CATEGORY_LABELS.items()}
    texts["days"] = [translate(day, language) for day in DAY_LABELS]
    return texts


def _page(template: str, with_id: bool = False):
    async def handler(request: web.Request) -> web.Response:
        context = {"messages": messages(), "categories": CATEGORY_LABELS, "days": DAY_LABELS}
        if with_id:
            context["restaurant_id"] = request.match_info["id"]
        return aiohttp_jinja2.render_template(template, request, context)
    return handler


routes.get("/restaurants")(_page("restaurants/list.html"))
routes.get(f"/restaurants/{_ID}")(_page("restaurants/page.html", with_id=True))
routes.get("/kitchen/restaurants")(_page("kitchen/restaurants.html"))
routes.get(f"/kitchen/restaurants/{_ID}")(_page("kitchen/settings.html", with_id=True))
routes.get(f"/kitchen/restaurants/{_ID}/menu")(_page("kitchen/menu.html", with_id=True))
routes.get(f"/kitchen/restaurants/{_ID}/stats")(_page("kitchen/stats.html", with_id=True))
