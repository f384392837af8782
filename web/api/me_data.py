"""/api/v1/me/export and /api/v1/me/referral: one's data and one's referrals."""
from __future__ import annotations

from datetime import datetime, timezone

from aiohttp import web

from server.accounts.export import export_account
from server.accounts.referral import ReferralView, referral_overview
from server.keys import CONTEXT
from web.auth import principal_of, requires
from web.problem import json_response
from web.spec import endpoint

routes = web.RouteTableDef()


@routes.get("/api/v1/me/export")
@endpoint("Download all your data as JSON", tags=("me",), response=dict, errors=(401, 404),
          description="An attachment with the account and one section per feature"
                      " (connection log, referees, orders, deliveries, notifications...).")
@requires()
async def export_me(request: web.Request) -> web.Response:
    document = await export_account(request.app[CONTEXT], principal_of(request).user_id)
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    disposition = f'attachment; filename="cesi-eats-data-{day}.json"'
    return json_response(document, headers={"Content-Disposition": disposition,
                                            "Cache-Control": "no-store"})


@routes.get("/api/v1/me/referral")
@endpoint("Your referral code, its share link and your referees", tags=("me",),
          response=ReferralView, errors=(401, 404))
@requires()
async def my_referral(request: web.Request) -> web.Response:
    base = str(request.url.origin())
    view = await referral_overview(request.app[CONTEXT], principal_of(request).user_id, base)
    return json_response(view)
