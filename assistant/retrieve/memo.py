"""A small, thread-safe, bounded memo of recent results (least recently used dropped first).

One answer asks the retriever the same search more than once (the opening line, then the quotes
under a decision). The index does not change while it is loaded, so a repeated search gives the
same passages: ``Retriever.search`` keeps its last few results here rather than asking Chroma again.
Kept few on purpose (``retriever.SEARCHES_KEPT``): enough for one answer's own repeats, too few to
answer a benchmark's repeated questions from memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a memo holds at least one result")
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The result kept for ``key``, or ``make()``'s, kept (two threads may both make it: same result)."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = make()
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._kept)
