"""Bots that play the demo city's people through the public REST API and Socket.IO only."""
