"""A hybrid logical clock: timestamps that order changes across devices despite clock drift.

A timestamp is ``<wall ms, 12 hex>-<counter, 4 hex>-<device id>``: fixed-width fields, so plain
string comparison is the clock order and the device id breaks ties deterministically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_WALL_WIDTH = 12
_COUNTER_WIDTH = 4
_MAX_COUNTER = 16**_COUNTER_WIDTH - 1


def format_hlc(wall_ms: int, counter: int, device_id: str) -> str:
    return f"{wall_ms:0{_WALL_WIDTH}x}-{counter:0{_COUNTER_WIDTH}x}-{device_id}"


def parse_hlc(stamp: str) -> tuple[int, int, str]:
    wall, counter, device = stamp.split("-", 2)
    if len(wall) != _WALL_WIDTH or len(counter) != _COUNTER_WIDTH or not device:
        raise ValueError(f"not a clock timestamp: {stamp!r}")
    return int(wall, 16), int(counter, 16), device


class HybridLogicalClock:
    def __init__(self, device_id: str, wall_ms: Callable[[], int] | None = None) -> None:
        self.device_id = device_id
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._last_wall = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last_wall:
                self._last_wall, self._counter = wall, 0
            else:
                self._bump()
            return format_hlc(self._last_wall, self._counter, self.device_id)

    def observe(self, stamp: str) -> None:
        """Move past a timestamp seen from another device, so later local stamps sort after it."""
        remote_wall, remote_counter, _ = parse_hlc(stamp)
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last_wall and wall > remote_wall:
                self._last_wall, self._counter = wall, 0
            elif remote_wall > self._last_wall:
                self._last_wall, self._counter = remote_wall, remote_counter
                self._bump()
            elif remote_wall == self._last_wall:
                self._counter = max(self._counter, remote_counter)
                self._bump()

    def _bump(self) -> None:
        if self._counter >= _MAX_COUNTER:
            self._last_wall += 1
            self._counter = 0
        else:
            self._counter += 1
