"""Helpers shared by the test suites: stores, live servers, proxies."""
