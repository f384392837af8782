"""A real `npm install` from our registry installs the published order tracker."""
import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest

from tests.support.components import TRACKER, TRACKER_DIR, tracker_tarball
from tests.support.http import call
from tests.support.live import ROOT

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")


def run_server_command(live_env, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=live_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def signed_in(base: str, role: str, live_env) -> dict:
    email = f"{role}-{secrets.token_hex(4)}@example.fr"
    if role == "tech":
        run_server_command(live_env, "create-staff", "--role", "tech", "--email", email,
                           "--password", PASSWORD, "--name", "Tess Tech")
    else:
        assert call("POST", base + "/api/v1/auth/register", {
            "email": email, "password": PASSWORD, "name": "Inès Dev", "role": role})[0] == 201
    status, tokens = call("POST", base + "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200
    return {"email": email, "token": tokens["access_token"]}


def test_npm_install_from_the_registry_installs_the_published_component(live_server, live_env, tmp_path):
    env = {**live_env, "PATH": os.environ["PATH"]}
    out = run_server_command(env, "publish-component", str(TRACKER_DIR))
    assert f"{TRACKER}@" in out
    assert "already published" in run_server_command(env, "publish-component", str(TRACKER_DIR))

    developer = signed_in(live_server, "developer", env)
    status, key = call("POST", live_server + "/api/v1/api-keys",
                       {"name": "npm", "scopes": ["components:read"]}, token=developer["token"])
    assert status == 201
    registry = live_server + "/npm/"
    project = tmp_path / "site"
    project.mkdir()
    (project / "package.json").write_text('{"name": "site", "version": "1.0.0", "private": true}')
    (project / ".npmrc").write_text(f"//{registry.split('://', 1)[1]}:_authToken={key['key']}\n")
    done = subprocess.run(
        ["npm", "install", "--registry", registry, TRACKER, "--no-audit", "--no-fund",
         "--cache", str(tmp_path / "npm-cache"), "--loglevel", "error"],
        cwd=project, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr

    installed = project / "node_modules" / "@cesi-eats" / "order-tracker"
    for name in ("order-tracker.js", "client.js", "package.json"):
        assert (installed / name).read_bytes() == (TRACKER_DIR / name).read_bytes()
    lock = json.loads((project / "package-lock.json").read_text())
    entry = lock["packages"]["node_modules/@cesi-eats/order-tracker"]
    # npm checked the tarball it fetched against the integrity our packument gave
    packed = tracker_tarball()
    assert entry["integrity"] == "sha512-" + base64.b64encode(hashlib.sha512(packed).digest()).decode()

    tech = signed_in(live_server, "tech", env)
    status, log = call("GET", live_server + "/api/v1/admin/component-downloads", token=tech["token"])
    assert status == 200
    assert any(line["name"] == TRACKER and line["via"] == "npm" and line["user_email"] == developer["email"]
               for line in log["items"])
