"""JSON log lines: one per record, written once per loop turn on the loop, at once elsewhere."""
import asyncio
import json
import logging

from server.logs import JsonFormatter, LoopTurnHandler


class Recorder:
    """A stream that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> None:
        self.writes.append(text)

    def flush(self) -> None:
        pass


def logger_to(stream: Recorder) -> logging.Logger:
    handler = LoopTurnHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.Logger("test.logs")
    logger.addHandler(handler)
    return logger


def lines(stream: Recorder) -> list[dict]:
    return [json.loads(line) for text in stream.writes for line in text.splitlines()]


def test_a_line_logged_off_the_loop_is_written_at_once_with_its_fields():
    stream = Recorder()
    logger_to(stream).info("request", extra={"status": 200})
    assert len(stream.writes) == 1
    [line] = lines(stream)
    assert line["msg"] == "request" and line["status"] == 200 and line["level"] == "info"
    assert line["ts"].endswith("Z") and len(line["ts"]) == len("2025-01-10T12:00:00.000Z")


async def test_lines_logged_in_one_loop_turn_go_out_in_one_write_in_order():
    stream = Recorder()
    logger = logger_to(stream)
    for n in range(3):
        logger.info("line", extra={"n": n})
    assert stream.writes == []
    await asyncio.sleep(0)  # the turn ends
    assert len(stream.writes) == 1 and [line["n"] for line in lines(stream)] == [0, 1, 2]
    logger.info("line", extra={"n": 3})
    await asyncio.sleep(0)
    assert len(stream.writes) == 2 and lines(stream)[-1]["n"] == 3


async def test_a_line_from_a_thread_takes_the_pending_ones_with_it():
    stream = Recorder()
    logger = logger_to(stream)
    logger.info("on the loop")
    await asyncio.to_thread(logger.info, "in a thread")
    assert [line["msg"] for line in lines(stream)] == ["on the loop", "in a thread"]
