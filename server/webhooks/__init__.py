"""Webhooks: endpoints, the outbox relay, signed deliveries with retries and their log."""
