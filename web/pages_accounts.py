"""Account pages: sign up, sign in, profile, referral, and the sales staff's accounts page."""
from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from domain.eta import Vehicle
from domain.profiles import MAX_ADDRESSES
from domain.roles import SELF_REGISTER, Role
from web.i18n import gettext as _

routes = web.RouteTableDef()
ROLE_LABELS = {Role.customer: "Customer", Role.restaurateur: "Restaurant owner",
               Role.courier: "Courier", Role.developer: "Developer",
               Role.sales: "Sales staff", Role.tech: "Technical staff"}
VEHICLE_LABELS = {Vehicle.bike: "Bike", Vehicle.scooter: "Scooter", Vehicle.car: "Car",
                  Vehicle.foot: "On foot"}


def _messages(**extra: str) -> dict[str, str]:
    """Texts the page's script shows, translated here so the browser needs no catalogue.

    `extra` comes already translated.
    """
    common = {
        "failed": "Something went wrong. Please try again.",
        "checkField": "Please check this field.",
        "checkFields": "Some fields need attention.",
        "suspendedUntil": "Your account is suspended until {date}.",
        "suspendedIndefinitely": "Your account is suspended indefinitely.",
        "reason": "Reason: {reason}",
        "tooManyAttempts": "Too many attempts. Please wait a moment and try again.",
        "emailTaken": "An account with this e-mail address already exists.",
        "badCredentials": "Wrong e-mail address or password.",
        "sessionEnded": "Your session has ended. Please sign in again.",
        "signInFirst": "Please sign in first.",
        "notAllowed": "Your account may not do this.",
    }
    return {**{key: _(text) for key, text in common.items()}, **extra}


def _safe_next(raw: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    return raw if raw and raw.startswith("/") and not raw.startswith("//") else ""


@routes.get("/signup")
@aiohttp_jinja2.template("accounts/signup.html")
async def signup(request: web.Request) -> dict:
    roles = [(role, ROLE_LABELS[role]) for role in Role if role in SELF_REGISTER]
    return {"roles": roles, "ref": request.query.get("ref", "")[:32],
            "messages": _messages()}


@routes.get("/login")
@aiohttp_jinja2.template("accounts/login.html")
async def login(request: web.Request) -> dict:
    notices = {"registered": _("Your account is ready. Sign in to start."),
               "password": _("Your password has changed. Sign in again with the new one."),
               "deleted": _("Your account has been erased. Goodbye!")}
    return {"next": _safe_next(request.query.get("next")),
            "notice": notices.get(request.query.get("notice", ""), ""), "messages": _messages()}


@routes.get("/profile")
@aiohttp_jinja2.template("accounts/profile.html")
async def profile(request: web.Request) -> dict:
    return {"vehicles": list(VEHICLE_LABELS.items()), "max_addresses": MAX_ADDRESSES,
            "messages": _messages(saved=_("Your profile is saved."),
                                  exported=_("Your data is downloading."), **_role_messages())}


@routes.get("/referral")
@aiohttp_jinja2.template("accounts/referral.html")
async def referral(request: web.Request) -> dict:
    return {"messages": _messages(copied=_("Link copied."), rewarded=_("Rewarded"),
                                  rewardEach=_("You each earn {amount}."),
                                  waiting=_("Not yet"),
                                  erased=_("Erased account"),
                                  noReward=_("This kind of account earns no reward, but you can still invite."))}


@routes.get("/staff/accounts")
@aiohttp_jinja2.template("accounts/staff_accounts.html")
async def staff_accounts(request: web.Request) -> dict:
    return {"roles": [(role, ROLE_LABELS[role]) for role in Role], "messages": _messages(
        saved=_("The account is saved."), suspended=_("The account is suspended."),
        reactivated=_("The account is active again."), deleted=_("The account has been erased."),
        active=_("Active"), suspendedBadge=_("Suspended"), indefinitely=_("indefinitely"),
        until=_("until {date}"), noResults=_("No account matches."),
        salesOnly=_("This page is for the sales staff."),
        selfChange=_("You cannot suspend or erase your own account here."),
        pickDate=_("Choose the end date, or suspend indefinitely."), **_role_messages())}


def _role_messages() -> dict[str, str]:
    return {f"role_{role}": _(label) for role, label in ROLE_LABELS.items()}
