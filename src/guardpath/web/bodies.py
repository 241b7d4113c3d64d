"""A limit on every request's body, declared or streamed, before anything parses it: a form
is a few kilobytes, an upload one document. A body over its limit is refused (413) as soon as
its declared length or its first bytes past the limit arrive; the rest is never read."""

from __future__ import annotations

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guardpath.web.api.limits import API_BODY_LIMIT
from guardpath.web.pages.uploads import BODY_LIMIT, FORM_LIMIT, HEAD_BYTES

UPLOADS = "/apply/documents/upload"
UPLOAD_SLACK = 64 * 1024
"""The upload route refuses a body over BODY_LIMIT itself, with the documents page; this is
the backstop past it."""


def limit_of(path: str) -> int:
    if path == UPLOADS:
        return BODY_LIMIT + UPLOAD_SLACK
    if path.startswith("/api/"):
        return API_BODY_LIMIT
    return FORM_LIMIT


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        detail = f"the request body is larger than this address accepts ({limit:,} bytes)"
        super().__init__(413, detail)
        self.limit = limit


class BodyLimit:
    """Wraps `receive`; the app's handlers turn BodyTooLarge into a page or a JSON problem."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_of(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        announced_too_large = declared.isdigit() and int(declared) > limit
        # An upload refused for its size may still be read from its start, for the document
        # kind chosen (the fields come first), so that the page keeps it.
        allowance = HEAD_BYTES if scope["path"] == UPLOADS else 0
        received = 0

        async def bounded() -> Message:
            nonlocal received
            if announced_too_large:
                if received >= allowance:
                    raise BodyTooLarge(limit)
                message = await receive()
                head = message.get("body", b"")[: allowance - received]
                received += len(head)
                more = received < allowance and bool(message.get("more_body"))
                return {"type": "http.request", "body": head, "more_body": more}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        await self.app(scope, bounded, send)
