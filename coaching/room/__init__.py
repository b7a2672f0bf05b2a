"""The live room: protocol, event log, fan-out and the WebSocket consumer.

Read in this order: `protocol` (frames, validation, command registry), `log` (every event that
matters is persisted with the room's next sequence number before it is sent), `hub` (one
subscription per process and room, fanned out to the process's own sockets), `consumer`.
The commands themselves live in `commands/`, one module per feature.
"""
