import redis.asyncio as aioredis

from server.ratelimit import RateLimiter


async def test_requests_beyond_the_limit_are_refused_with_a_retry_delay(redis_url, redis_prefix):
    client = aioredis.from_url(redis_url)
    limiter = RateLimiter(client)
    decisions = [await limiter.hit(redis_prefix + "k", limit=3, period_s=60) for _ in range(4)]
    await client.aclose()
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    refused = decisions[3]
    assert 1 <= refused.retry_after_s <= 20
    assert refused.headers()["Retry-After"] == str(refused.retry_after_s)
    assert refused.headers()["RateLimit-Limit"] == "3"


async def test_two_nodes_share_one_budget(redis_url, redis_prefix):
    node_a, node_b = aioredis.from_url(redis_url), aioredis.from_url(redis_url)
    a, b = RateLimiter(node_a), RateLimiter(node_b)
    first = await a.hit(redis_prefix + "shared", limit=2, period_s=60)
    second = await b.hit(redis_prefix + "shared", limit=2, period_s=60)
    third = await a.hit(redis_prefix + "shared", limit=2, period_s=60)
    await node_a.aclose()
    await node_b.aclose()
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)


async def test_keys_have_separate_budgets(redis_url, redis_prefix):
    client = aioredis.from_url(redis_url)
    limiter = RateLimiter(client)
    await limiter.hit(redis_prefix + "one", limit=1, period_s=60)
    other = await limiter.hit(redis_prefix + "two", limit=1, period_s=60)
    await client.aclose()
    assert other.allowed
