"""Opening the Chroma store: embedded in ``index/`` by default, or a Chroma server when the settings
name one (``CHROMA_HOST``/``CHROMA_PORT``). Telemetry is off and no collection ever gets an embedding
function, so Chroma never tries to fetch a model of its own.

A server that is down, unreachable or silent must give one clear line within
``settings.chroma_timeout_s``, never a hang or a traceback: the heartbeat runs in a helper thread
with a hard deadline (httpx timeouts bound each phase, not DNS look-ups or their sum), and the
client's HTTP session, which chromadb creates with no timeout at all, gets bounded ones.
"""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.config import Settings, offline_environment
from assistant.errors import StoreUnavailable
from assistant.errors import REBUILD_HINT, IndexStale

# Once the heartbeat has answered, a build's request may legitimately take a while (a large add on a
# busy server), but never for ever. Queries take milliseconds, so they get the settings' budget.
BUILD_REQUEST_TIMEOUT_S = 60.0


def _chroma_settings():
    import chromadb  # deferred: heavy: loaded only to open an index

    return chromadb.config.Settings(anonymized_telemetry=False, allow_reset=False)


def open_embedded(path: Path):
    """A persistent embedded client on ``path`` (created if missing)."""
    offline_environment()
    import chromadb  # deferred: heavy: loaded only to open an index

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def server_address(settings: Settings) -> str:
    return f"http://{settings.chroma_host}:{settings.chroma_port}"


def unavailable(settings: Settings, why: str) -> StoreUnavailable:
    return StoreUnavailable(
        f"The Chroma server at {server_address(settings)} {why}; start it (chroma run --path DIR "
        "--host HOST --port PORT) or unset CHROMA_HOST to use the embedded index"
    )


def _heartbeat(url: str, timeout: float) -> str | None:
    """None when a Chroma server answered at ``url``, else why not (a few words)."""
    import httpx  # deferred: loaded only in server mode

    try:
        response = httpx.get(url, timeout=httpx.Timeout(timeout))
    except httpx.TimeoutException:
        return f"did not answer within {timeout:g} s"
    except httpx.ConnectError:
        return "cannot be reached (connection refused or unknown host)"
    except (httpx.HTTPError, OSError) as exc:
        return f"cannot be reached ({type(exc).__name__})"
    if response.status_code != 200:
        return f"answered HTTP {response.status_code} to a heartbeat (is it a Chroma server?)"
    try:
        response.json()["nanosecond heartbeat"]
    except (ValueError, KeyError, TypeError):
        return "answered, but not like a Chroma server"
    return None


def check_server(settings: Settings) -> None:
    """Fail fast, with one clear line, when the server is down, unreachable or not answering."""
    budget = float(settings.chroma_timeout_s)
    url = f"{server_address(settings)}/api/v2/heartbeat"
    outcome: list[str | None] = []
    # Each phase (connect, read) gets part of the budget; the thread's deadline bounds the rest
    # (a slow DNS look-up, a server that trickles bytes).
    worker = threading.Thread(target=lambda: outcome.append(_heartbeat(url, budget * 0.45)), daemon=True)
    worker.start()
    worker.join(budget * 0.95)
    if not outcome:
        raise unavailable(settings, f"did not answer within {budget:g} s")
    if outcome[0] is not None:
        raise unavailable(settings, outcome[0])


def open_server(settings: Settings, *, for_build: bool = False):
    """An HTTP client for the Chroma server named in ``settings``, with bounded timeouts: a server
    that stops answering mid-session is an error within the settings' budget (a build allows
    ``BUILD_REQUEST_TIMEOUT_S`` per request)."""
    offline_environment()
    check_server(settings)
    import chromadb  # deferred: heavy: loaded only to open an index
    import httpx  # deferred: loaded only in server mode

    try:
        client = chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
        )
    except server_errors() as exc:
        raise unavailable(settings, f"stopped answering ({type(exc).__name__})") from None
    # chromadb's HTTP session has no timeout at all; a server that stops answering mid-session
    # must still give an error, not a hang.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if session is not None:
        budget = settings.chroma_timeout_s
        per_request = BUILD_REQUEST_TIMEOUT_S if for_build else budget * 0.9
        session.timeout = httpx.Timeout(per_request, connect=budget * 0.45)
    return client


def server_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the server went away during a call."""
    import httpx  # deferred: loaded only in server mode

    return (httpx.HTTPError, ConnectionError, OSError)


class ServerCollection:
    """A collection on a Chroma server whose failures come out as one-line errors: the server went
    away -> ``StoreUnavailable``; the collection is gone (other builds replaced it) -> ``IndexStale``.
    Everything else is passed through to the chromadb collection."""

    def __init__(self, inner, settings: Settings) -> None:
        self._inner = inner
        self._settings = settings

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def _call(self, method: str, *args, **kwargs):
        from chromadb.errors import NotFoundError  # deferred: heavy: loaded only to open an index

        try:
            return getattr(self._inner, method)(*args, **kwargs)
        except NotFoundError:

            raise IndexStale(
                f"The index on the Chroma server at {server_address(self._settings)} was replaced by newer "
                f"builds; restart the app or command to load the current one (or {REBUILD_HINT})"
            ) from None
        except server_errors() as exc:
            raise unavailable(self._settings, f"stopped answering ({type(exc).__name__})") from None

    def query(self, *args, **kwargs):
        return self._call("query", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def count(self):
        return self._call("count")

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)
