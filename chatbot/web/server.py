"""``chatbot serve``: check the options, make sure there is an index, start the chat.

The chat binds 127.0.0.1 unless ``--host`` says otherwise. Exposed on a network
address it should have a password (``--auth USER:PASSWORD`` or ``$CHATBOT_AUTH``),
which guards the page and the API alike; without one it warns loudly, and it
refuses uploads outright. Without ``--allow-upload`` Gradio's own upload route is
closed too (:class:`UploadRouteClosed`).
"""

import argparse
import ipaddress
import os
import sys

from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from chatbot.articles.reader import MAX_FILE_BYTES
from chatbot.cli import load_embedder, run_index
from chatbot.config import Paths
from chatbot.index.snapshot import current_snapshot_name
from chatbot.retrieval import Retriever
from chatbot.web.app import build_app
from chatbot.web.indexing import BackgroundIndexer
from chatbot.web.style import CSS, HEAD, THEME
from chatbot.web.watch import ArticleWatcher


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``USER:PASSWORD`` (the password may contain colons) as a pair; None if unset."""
    if not value:
        return None
    user, colon, password = value.partition(":")
    if not colon or not user or not password:
        raise ValueError("--auth and CHATBOT_AUTH take USER:PASSWORD, both non-empty")
    return user, password


def is_loopback(host: str) -> bool:
    """True for addresses reachable only from this machine; a host name other than
    ``localhost`` counts as exposed, since it may resolve to anything."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str:
    rule = "!" * 78
    return (
        f"{rule}\n"
        f"WARNING: the chat will listen on {host}:{port} WITHOUT A PASSWORD.\n"
        "Anyone who can reach this machine on the network can use it and read the articles.\n"
        "Set one with --auth USER:PASSWORD or CHATBOT_AUTH=USER:PASSWORD, or leave out\n"
        "--host to listen on 127.0.0.1 only.\n"
        f"{rule}"
    )


class UploadRouteClosed:
    """Refuses ``POST /gradio_api/upload``. Gradio keeps that route open on every app,
    with or without a file component, and saves what it gets in its temporary folder:
    without a password anyone who reaches the port could fill that disk. Used when
    ``--allow-upload`` is off, so no part of the chat needs the route."""

    ROUTE = "/gradio_api/upload"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "").removeprefix(scope.get("root_path", "")).rstrip("/")
        if scope["type"] == "http" and path == self.ROUTE:
            refusal = PlainTextResponse(
                "uploads are off on this server; start it with --allow-upload", status_code=403
            )
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def serve(args: argparse.Namespace, paths: Paths) -> int:
    auth = parse_auth(args.auth or os.environ.get("CHATBOT_AUTH"))
    if not is_loopback(args.host) and auth is None:
        if args.allow_upload:
            raise ValueError(
                f"--allow-upload on {args.host} needs a password: add --auth USER:PASSWORD "
                "(or set CHATBOT_AUTH), or leave out --host"
            )
        print(exposure_warning(args.host, args.port), file=sys.stderr, flush=True)

    # After every event Gradio rebuilds a pandas table of up to 10,000 past events for a
    # monitoring page this app leaves off, a cost that grows with the server's uptime.
    # Refresh it only every 1,000 events.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    embedder = load_embedder(paths.embedder)
    if current_snapshot_name(paths.index) is None:
        print(
            f"No index in {paths.index} yet: building it from {paths.articles} …",
            file=sys.stderr,
            flush=True,
        )
        run_index(paths, embedder, rebuild=False)
    retriever = Retriever(paths.index, embedder)

    indexer = None
    if args.watch or args.allow_upload:
        indexer = BackgroundIndexer(paths.articles, paths.index, embedder, retriever)
    watcher = None
    if args.watch and indexer is not None:
        watcher = ArticleWatcher(paths.articles, indexer.request)
        watcher.start()

    app = build_app(retriever, indexer, allow_upload=args.allow_upload)
    try:
        app.launch(
            server_name=args.host,
            server_port=args.port,
            auth=auth,
            theme=THEME,
            css=CSS,
            head=HEAD,
            max_file_size=MAX_FILE_BYTES,
            footer_links=["api"],
            ssr_mode=False,
            app_kwargs={} if args.allow_upload else {"middleware": [Middleware(UploadRouteClosed)]},
        )
    except OSError as error:  # the port is taken, or the address is not this machine's
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    finally:
        if watcher is not None:
            watcher.stop()
    return 0
