"""Socket edge: Socket.IO server, rooms, live fan-out across nodes."""
