from pathlib import Path

import pytest

from server.settings import SettingsError, load_settings

SECRET = "s" * 40


def test_defaults_serve_on_localhost_8080_in_development(tmp_path):
    settings = load_settings({"DATA_DIR": str(tmp_path)})
    assert (settings.host, settings.port, settings.env) == ("127.0.0.1", 8080, "development")
    assert settings.database_url is None and settings.redis_url is None


def test_values_are_parsed_into_their_types():
    settings = load_settings({
        "PORT": "9000", "SECRET_KEY": SECRET, "MIGRATE_ON_START": "no",
        "DATABASE_URL": "postgresql://u@h/db", "REDIS_URL": "redis://h:6379/0", "DATA_DIR": "/srv/x",
    })
    assert settings.port == 9000
    assert settings.migrate_on_start is False
    assert settings.data_dir == Path("/srv/x")


@pytest.mark.parametrize("name, value, fragment", [
    ("PORT", "http", "PORT must be a whole number"),
    ("PORT", "70000", "PORT must be between 1 and 65535"),
    ("DATABASE_URL", "mysql://x", "DATABASE_URL must be a URL starting with postgres://"),
    ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL"),
    ("CESI_ENV", "staging", "CESI_ENV must be one of development, production, test"),
    ("SECRET_KEY", "short", "SECRET_KEY must be at least 32 characters"),
    ("MIGRATE_ON_START", "maybe", "MIGRATE_ON_START must be true or false"),
])
def test_a_bad_value_is_named_with_what_is_expected(name, value, fragment):
    with pytest.raises(SettingsError, match=fragment):
        load_settings({"SECRET_KEY": SECRET, name: value})


def test_every_bad_value_is_reported_at_once():
    with pytest.raises(SettingsError) as caught:
        load_settings({"PORT": "x", "LOG_LEVEL": "LOUD", "SECRET_KEY": SECRET})
    assert "PORT" in str(caught.value) and "LOG_LEVEL" in str(caught.value)


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="SECRET_KEY is required in production"):
        load_settings({"CESI_ENV": "production"})


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = load_settings({"DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings({"DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
