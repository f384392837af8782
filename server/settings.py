"""Settings read once from the environment into one typed, immutable object."""
from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path
from typing import Literal, Mapping

import msgspec

Env = Literal["development", "production", "test"]


class SettingsError(ValueError):
    """One or more environment variables have unusable values."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a node or worker needs to know about its surroundings."""

    env: Env = "development"
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str | None = None
    redis_url: str | None = None
    secret_key: str
    data_dir: Path = Path(".data")
    redis_prefix: str = "ce:"
    node_id: str = ""
    migrate_on_start: bool = True
    log_level: str = "INFO"
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 30 * 24 * 3600
    order_accept_timeout_s: int = 300
    courier_offer_timeout_s: int = 30
    max_body_bytes: int = 1024 * 1024
    drain_grace_s: int = 2
    metrics_token: str = ""
    geocoder: str = ""
    tile_url: str = ""
    gps_retention_s: int = 7 * 24 * 3600
    # None: allowed in development and test only (see server.webhooks.addresses)
    webhooks_allow_private: bool | None = None
    webhook_timeout_s: int = 10

    @property
    def is_production(self) -> bool:
        return self.env == "production"


# variable name -> (field, parser); parsers raise ValueError with a readable message
def _int(low: int, high: int):
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"must be a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}, got {value}")
        return value
    return parse


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"must be true or false, got {raw!r}")


def _choice(*allowed: str):
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}, got {raw!r}")
        return raw
    return parse


def _url(*schemes: str):
    def parse(raw: str) -> str:
        scheme = raw.split("://", 1)[0] if "://" in raw else ""
        if scheme not in schemes:
            raise ValueError(f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}")
        return raw
    return parse


def _geocoder(raw: str) -> str:
    from geopy.geocoders import SERVICE_TO_GEOCODER  # imported only when one is asked for

    return _choice(*sorted(SERVICE_TO_GEOCODER))(raw)


def _secret(raw: str) -> str:
    if len(raw) < 32:
        raise ValueError("must be at least 32 characters long")
    return raw


_VARIABLES = {
    "CESI_ENV": ("env", _choice("development", "production", "test")),
    "HOST": ("host", str),
    "PORT": ("port", _int(1, 65535)),
    "DATABASE_URL": ("database_url", _url("postgres", "postgresql")),
    "REDIS_URL": ("redis_url", _url("redis", "rediss", "unix")),
    "SECRET_KEY": ("secret_key", _secret),
    "DATA_DIR": ("data_dir", Path),
    "REDIS_PREFIX": ("redis_prefix", str),
    "NODE_ID": ("node_id", str),
    "MIGRATE_ON_START": ("migrate_on_start", _bool),
    "LOG_LEVEL": ("log_level", _choice("DEBUG", "INFO", "WARNING", "ERROR")),
    "ACCESS_TOKEN_TTL": ("access_token_ttl_s", _int(60, 3600)),
    "REFRESH_TOKEN_TTL": ("refresh_token_ttl_s", _int(3600, 90 * 24 * 3600)),
    "ORDER_ACCEPT_TIMEOUT": ("order_accept_timeout_s", _int(10, 3600)),
    "COURIER_OFFER_TIMEOUT": ("courier_offer_timeout_s", _int(5, 600)),
    "MAX_BODY_BYTES": ("max_body_bytes", _int(1024, 64 * 1024 * 1024)),
    "DRAIN_GRACE": ("drain_grace_s", _int(0, 300)),
    "METRICS_TOKEN": ("metrics_token", _secret),
    "GEOCODER": ("geocoder", _geocoder),
    "TILE_URL": ("tile_url", _url("https", "http")),
    "GPS_RETENTION": ("gps_retention_s", _int(3600, 366 * 24 * 3600)),
    "WEBHOOKS_ALLOW_PRIVATE": ("webhooks_allow_private", _bool),
    "WEBHOOK_TIMEOUT": ("webhook_timeout_s", _int(1, 60)),
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the environment; every bad value is reported at once."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    problems: list[str] = []
    for name, (field, parse) in _VARIABLES.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        try:
            values[field] = parse(raw)
        except ValueError as exc:
            problems.append(f"{name} {exc}")
    if problems:
        raise SettingsError("invalid configuration: " + "; ".join(problems))
    values.setdefault("node_id", f"{socket.gethostname()}-{os.getpid()}")
    if "secret_key" not in values:
        if values.get("env") == "production":
            raise SettingsError("invalid configuration: SECRET_KEY is required in production")
        values["secret_key"] = _development_secret(Path(values.get("data_dir", Path(".data"))))
    return Settings(**values)


def _development_secret(data_dir: Path) -> str:
    """A random key kept in the data folder, so sessions survive a restart."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key
