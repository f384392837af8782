"""The third-party platform: API keys, rate limits, idempotent requests."""
