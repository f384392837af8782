"""The demo city (seed) and the bots that bring it to life (simulate)."""
