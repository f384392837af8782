"""What each kind of notification says, in French and in English, filled from its params."""
from __future__ import annotations

import string

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
Texts = tuple[str, str]  # (title, body) with {name} placeholders

_MESSAGES: dict[str, dict[str, Texts]] = {}


def register_kind(kind: str, *, fr: Texts, en: Texts) -> None:
    """Declare a kind's texts; a feature calls this once per kind it notifies."""
    _MESSAGES[kind] = {"fr": fr, "en": en}


def is_known(kind: str) -> bool:
    return kind in _MESSAGES


class _Params(dict):
    """A missing parameter shows as its placeholder rather than failing the transaction."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(kind: str, language: str, params: dict) -> Texts:
    """(title, body) in the language asked for, French when that one is missing."""
    texts = _MESSAGES[kind]
    title, body = texts.get(language) or texts[DEFAULT_LANGUAGE]
    values = _Params({k: str(v) for k, v in params.items()})
    formatter = string.Formatter()
    return formatter.vformat(title, (), values), formatter.vformat(body, (), values)


# The order's journey, as each party hears of it; "ref" is the order's short reference.
register_kind("order.placed", fr=("Nouvelle commande", "Commande {ref} : {total} à préparer."),
              en=("New order", "Order {ref}: {total} to prepare."))
register_kind("order.accepted", fr=("Commande acceptée", "{restaurant} prépare votre commande, prête vers {ready_at}."),
              en=("Order accepted", "{restaurant} is preparing your order, ready around {ready_at}."))
register_kind("order.refused", fr=("Commande refusée", "{restaurant} ne peut pas servir votre commande : {reason}. Vous êtes remboursé."),
              en=("Order refused", "{restaurant} cannot serve your order: {reason}. You are refunded."))
register_kind("order.cancelled", fr=("Commande annulée", "La commande {ref} est annulée."),
              en=("Order cancelled", "Order {ref} is cancelled."))
register_kind("order.ready", fr=("Commande prête", "La commande {ref} attend son livreur."),
              en=("Order ready", "Order {ref} is waiting for its courier."))
register_kind("order.picked_up", fr=("En route", "{courier} apporte votre commande."),
              en=("On its way", "{courier} is bringing your order."))
register_kind("order.delivered", fr=("Commande livrée", "Bon appétit ! Notez votre commande {ref}."),
              en=("Order delivered", "Enjoy your meal! Rate your order {ref}."))
register_kind("delivery.offer", fr=("Nouvelle course", "{restaurant}, {distance_km} km, {pay}."),
              en=("New delivery", "{restaurant}, {distance_km} km, {pay}."))
register_kind("account.message", fr=("Message de CESI EATS", "{text}"),
              en=("Message from CESI EATS", "{text}"))
