"""Reusable components: what makes a package name and a version acceptable, npm's way."""
from __future__ import annotations

import re

from domain.errors import Invalid

# npm's rules for new packages: lower case, URL-safe, optionally under an @scope
_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                      r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")
MAX_NAME = 214
MAX_VERSION = 64


def check_name(name: object, field: str = "name") -> str:
    if not isinstance(name, str) or len(name) > MAX_NAME or not _NAME.match(name):
        raise Invalid("the component's name is not a valid npm package name",
                      errors=[{"field": field, "message": "lower-case npm name, e.g. @scope/widget"}])
    return name


def check_version(version: object, field: str = "version") -> str:
    if not isinstance(version, str) or len(version) > MAX_VERSION or not _VERSION.match(version):
        raise Invalid("the component's version is not a semantic version",
                      errors=[{"field": field, "message": "a semantic version such as 1.2.0"}])
    return version


def tarball_name(name: str, version: str) -> str:
    """npm's file name for a version: the name without its scope, dash, version."""
    return f"{name.rsplit('/', 1)[-1]}-{version}.tgz"


def version_key(version: str) -> tuple:
    """Sort key: numbers compared as numbers, a pre-release before its release."""
    core, _, pre = version.split("+", 1)[0].partition("-")
    numbers = tuple(int(part) for part in core.split("."))
    return numbers + ((1,) if not pre else (0, *[(0, int(p)) if p.isdigit() else (1, p)
                                               for p in pre.split(".")]))
