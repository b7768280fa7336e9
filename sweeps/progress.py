"""A progress line on stderr: samples done of the total, rate and time left.

On a terminal the line is redrawn in place (at most five times a second); in a log file a new
line is written at every tenth of the work and at least every `every` seconds, so that a batch
job's log stays short.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR = 24


def duration(seconds: float) -> str:
    """2h05m, 4m07s or 12s."""
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}h{m:02d}m"
    return f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    """Counts finished samples; the rate counts only those finished in this run."""

    def __init__(
        self,
        total: int,
        done: int = 0,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = 30.0,
    ):
        self.total, self.done, self.resumed = total, done, done
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = clock()
        self.every = every
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown_at = -1e9
        self._shown_tenth = -1
        self._shown_done = -1

    @property
    def rate(self) -> float | None:
        """Samples per minute in this run; None before the first one."""
        elapsed = self.clock() - self.start
        new = self.done - self.resumed
        return new / elapsed * 60.0 if new > 0 and elapsed > 0 else None

    def line(self) -> str:
        """e.g. `samples [██████······] 120/200 · 14.2/min · 5m38s left`."""
        filled = BAR * self.done // self.total if self.total else BAR
        bar = "█" * filled + "·" * (BAR - filled)
        rate = self.rate
        left = self.total - self.done
        if rate:
            pace = f"{rate:.1f}/min · {duration(left / rate * 60.0)} left"
        else:
            pace = "rate — · time left —"
        if left == 0:
            pace = f"{rate:.1f}/min · done" if rate else "done"
        resumed = f" ({self.resumed} kept)" if self.resumed else ""
        return f"samples [{bar}] {self.done}/{self.total}{resumed} · {pace}"

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.show()

    def show(self, force: bool = False) -> None:
        now = self.clock()
        if self.tty:
            if force or now - self._shown_at >= 0.2 or self.done == self.total:
                self.stream.write("\r" + self.line() + "\033[K")
                self.stream.flush()
                self._shown_at, self._shown_done = now, self.done
            return
        tenth = 10 * self.done // self.total if self.total else 10
        if force or tenth > self._shown_tenth or now - self._shown_at >= self.every:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._shown_at, self._shown_tenth, self._shown_done = now, tenth, self.done

    def close(self) -> None:
        """End the line; its last state shows every sample counted (also after Ctrl-C)."""
        if self.done != self._shown_done:
            self.show(force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
