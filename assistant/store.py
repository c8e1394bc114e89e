"""Opening the Chroma store: embedded in ``index/`` by default, or a Chroma server when the settings
name one (``CHROMA_HOST``/``CHROMA_PORT``). Telemetry is off and no collection ever gets an embedding
function, so Chroma never tries to fetch a model of its own.
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings, offline_environment
from assistant.errors import StoreUnavailable


def _chroma_settings():
    import chromadb

    return chromadb.config.Settings(anonymized_telemetry=False, allow_reset=False)


def open_embedded(path: Path):
    """A persistent embedded client on ``path`` (created if missing)."""
    offline_environment()
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def server_address(settings: Settings) -> str:
    return f"http://{settings.chroma_host}:{settings.chroma_port}"


def check_server(settings: Settings) -> None:
    """Fail fast, with one clear line, when the server is down or unreachable."""
    import httpx

    url = f"{server_address(settings)}/api/v2/heartbeat"
    try:
        response = httpx.get(url, timeout=settings.chroma_timeout_s)
        response.raise_for_status()
    except (httpx.HTTPError, OSError) as exc:
        raise StoreUnavailable(
            f"The Chroma server at {server_address(settings)} is not answering ({type(exc).__name__}); "
            "start it (chroma run --path DIR --host HOST --port PORT) or unset CHROMA_HOST to use the "
            "embedded index"
        ) from None


def open_server(settings: Settings):
    """An HTTP client for the Chroma server named in ``settings``, with bounded timeouts."""
    offline_environment()
    check_server(settings)
    import chromadb
    import httpx

    client = chromadb.HttpClient(
        host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
    )
    # chromadb's HTTP session has no timeout at all; a server that stops answering mid-session
    # must still give an error, not a hang.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if session is not None:
        session.timeout = httpx.Timeout(30.0, connect=settings.chroma_timeout_s)
    return client


def server_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the server went away during a call."""
    import httpx

    return (httpx.HTTPError, ConnectionError, OSError)
