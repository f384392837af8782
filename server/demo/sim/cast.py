"""Who the bots play: demo accounts chosen with the run's seed, signed in through the API."""
from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import aiohttp
import msgspec

from domain.geo import Position, fast_distance_m
from domain.hours import WeeklyHours, is_open
from server.demo import city
from server.demo.people import Account, people
from server.demo.places import restaurants
from server.demo.sim.api import Api, ApiError
from server.demo.sim.courier import Courier
from server.demo.sim.customer import Customer
from server.demo.sim.kitchen import Kitchen
from server.demo.sim.options import SimOptions
from server.demo.sim.stats import Stats
from server.demo.sim.world import World

SIGN_INS_AT_ONCE = 4


class Cast:
    def __init__(self, session: aiohttp.ClientSession, options: SimOptions, stats: Stats, world: World) -> None:
        self.session, self.options, self.stats, self.world = session, options, stats, world
        self.rng = random.Random(options.seed)
        self.gate = asyncio.Semaphore(SIGN_INS_AT_ONCE)

    def api(self, account: Account) -> Api:
        return Api(self.session, self.options.base_url, self.stats, account.email, self.options.password)

    def bot_rng(self, account: Account) -> random.Random:
        return random.Random(f"{self.options.seed}:{account.email}")

    async def kitchens(self) -> tuple[list[Kitchen], list[dict]]:
        """Owners whose restaurants the demo data says are open now come first; the API decides."""
        open_now = {spec.owner_email for spec in restaurants() if spec.is_open and is_open(
            msgspec.convert({"days": spec.hours}, WeeklyHours), [], datetime.now(UTC), city.TIMEZONE)}
        owners = _showcase_first(people().owners, self.rng)
        owners.sort(key=lambda owner: owner.email not in open_now)  # stable: the showcase stays first
        kitchens, opened = [], []
        for owner in owners:
            if len(opened) >= self.options.restaurants:
                break
            kitchen = Kitchen(self.api(owner), self.world, self.options, self.bot_rng(owner))
            try:
                taken = await kitchen.open(self.options.restaurants - len(opened))
            except ApiError:
                continue
            if taken:
                kitchens.append(kitchen)
                opened += taken
        await self._start(kitchens)
        return kitchens, opened

    async def customers(self, opened: list[dict]) -> list[Customer]:
        """Customers with an address some open restaurant of ours delivers to."""
        trip = (self.options.max_trip_km or 1e9) * 1000

        def served(account: Account) -> bool:
            return any(fast_distance_m(_at(a), _at(r["position"])) <= min(trip, r["delivery_radius_m"])
                       for a in account.profile["addresses"] for r in opened)

        chosen = [a for a in _showcase_first(people().customers, self.rng) if served(a)]
        chosen = chosen[:self.options.customers]
        return await self._start([Customer(self.api(a), self.world, self.options, self.bot_rng(a)) for a in chosen])

    async def couriers(self, opened: list[dict]) -> list[Courier]:
        """Couriers waiting around the restaurants, a short ride from one of them."""
        spread = min(1500.0, (self.options.max_trip_km or 3) * 500)
        found = []
        for account in _showcase_first(people().couriers, self.rng)[:self.options.couriers]:
            near = _at(self.rng.choice(opened)["position"]) if opened else Position(*city.CENTRE)
            lat, lng = city.jitter(self.rng, near.lat, near.lng, spread)
            found.append(Courier(self.api(account), self.world, self.options, self.bot_rng(account),
                                 Position(lat=lat, lng=lng)))
        return await self._start(found)

    async def _start(self, bots: list) -> list:
        """Start every bot, a few sign-ins at a time; a bot that cannot start is left out (counted)."""
        async def one(bot) -> bool:
            async with self.gate:
                try:
                    await bot.start()
                    return True
                except ApiError:
                    return False
                except Exception as exc:  # a socket that would not connect, for one
                    self.stats.error(f"{type(bot).__name__.lower()} could not start: {type(exc).__name__}")
                    return False
        started = await asyncio.gather(*(one(bot) for bot in bots))
        return [bot for bot, ok in zip(bots, started) if ok]


def _showcase_first(accounts: list[Account], rng: random.Random) -> list[Account]:
    """The rest shuffled, after the account the seed prints: whoever signs in with it sees it live."""
    rest = list(accounts[1:])
    rng.shuffle(rest)
    return [accounts[0], *rest]


def _at(place: dict) -> Position:
    return Position(lat=place["lat"], lng=place["lng"])
