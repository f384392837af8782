"""`python -m server create-staff` makes the first sales and tech accounts."""
import asyncio
import subprocess
import sys

import pytest

from tests.support.factories import sign_in
from tests.support.stores import ROOT


async def create_staff(settings, *args):
    env = {"CESI_ENV": "test", "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
           "SECRET_KEY": settings.secret_key, "DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin"}
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "server", "create-staff", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("role", ["sales", "tech"])
async def test_the_cli_creates_a_staff_account_that_can_sign_in(client, settings, role):
    done = await create_staff(settings, "--role", role, "--email", "Chef@Cesi-Eats.fr",
                              "--password", "a long staff secret", "--name", "Chef")
    assert done.returncode == 0, done.stderr
    assert f"created {role} account" in done.stdout
    tokens = await sign_in(client, "chef@cesi-eats.fr", "a long staff secret")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert (await me.json())["role"] == role


async def test_the_cli_explains_bad_input_and_taken_addresses(client, settings):
    short = await create_staff(settings, "--role", "sales", "--email", "a@cesi-eats.fr",
                               "--password", "short", "--name", "A")
    ok = await create_staff(settings, "--role", "sales", "--email", "a@cesi-eats.fr",
                            "--password", "long enough secret", "--name", "A")
    taken = await create_staff(settings, "--role", "tech", "--email", "A@cesi-eats.fr",
                               "--password", "long enough secret", "--name", "A")
    assert (short.returncode, ok.returncode, taken.returncode) == (1, 0, 1)
    assert "error:" in short.stderr and "already exists" in taken.stderr
