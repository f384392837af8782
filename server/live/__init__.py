"""Live channels, the server side: rooms' messages on Redis, who may watch what, KPIs.

Publishing needs no socket: a use case (on a node or in the worker) calls
`server.events.publish(ctx, events)` after its commit, and every node holding a socket in
the room `<aggregate>:<id>` delivers the event. The socket edge (realtime/) reads what is
declared here: aggregates a principal may subscribe to, and the rooms a socket joins.
"""
