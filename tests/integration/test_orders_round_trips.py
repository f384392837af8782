"""Placing an order costs few trips to Postgres: every statement is a wait on the network
and on the database, and the node serves many customers from one core."""
from server.keys import CONTEXT
from tests.support.catalogue_factories import make_shop, menu_line, burger_line, place
from tests.support.factories import make_person

# One POST /api/v1/orders with an Idempotency-Key, auth and rate limit included.
MAX_STATEMENTS = 10
MAX_TRANSACTIONS = 1  # explicit BEGIN..COMMIT blocks; single statements commit on their own
# commits that write, each a flush of Postgres's log to disk: the idempotency claim, the
# card's hold (the provider's own books) and the order's transaction with its payment
# record and the idempotent answer
MAX_COMMITS = 3


# what asyncpg sends once per connection to learn a type's codec, and the staff's KPI
# snapshot, which runs beside requests, one for a burst of orders: not this request's own
_NOT_PER_REQUEST = ("WITH RECURSIVE typeinfo_tree", "SELECT current_setting('jit')",
                    "SELECT set_config('jit'", "WITH day AS")


class StatementLog:
    """Every statement any pool connection sends, BEGIN and COMMIT included."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, record) -> None:
        statement = " ".join(record.query.split())
        if not statement.startswith(_NOT_PER_REQUEST):
            self.statements.append(statement)

    async def attach(self, pool, connections: int = 4) -> None:
        """Listen on the connections the pool hands out next.

        The pool gives back the connection released last first, so a request that holds
        fewer than `connections` at once (one, beside the KPI snapshot's) uses only these.
        """
        connections = [await pool.acquire() for _ in range(connections)]
        for conn in connections:
            conn.add_query_logger(self)
        for conn in connections:
            await pool.release(conn)
        self.statements.clear()

    def commits(self) -> int:
        """COMMITs, and writes sent outside BEGIN..COMMIT, which commit on their own."""
        commits, inside = 0, False
        for statement in self.statements:
            verb = statement.upper().rstrip(";")
            if verb == "BEGIN":
                inside = True
            elif verb in ("COMMIT", "ROLLBACK"):
                commits, inside = commits + (verb == "COMMIT"), False
            elif not inside and not verb.startswith("SELECT"):
                commits += 1
        return commits

    def count(self, prefix: str) -> int:
        return sum(1 for s in self.statements if s.upper().startswith(prefix))


async def test_placing_an_order_takes_few_statements_one_transaction_and_few_commits(client):
    shop, customer = await make_shop(client), await make_person(client)
    lines = [burger_line(shop, 2, cheese=True), menu_line(shop), burger_line(shop, 1)]
    warm = await place(client, customer, shop, key="warm-up", lines=lines)  # statements prepared once
    assert warm.status == 201, await warm.text()
    log = StatementLog()
    await log.attach(client.app[CONTEXT].db)
    response = await place(client, customer, shop, key="measured", lines=lines)
    assert response.status == 201, await response.text()
    assert len((await response.json())["lines"]) == 3
    summary = "\n".join(log.statements)
    assert len(log.statements) <= MAX_STATEMENTS, summary
    assert log.count("BEGIN") <= MAX_TRANSACTIONS, summary
    assert log.commits() <= MAX_COMMITS, summary
