"""Where e-mail goes: an SMTP server through Flask-Mail when SURVEYAPP_MAIL_URL is set, else
the outbox folder instance/outbox/, one .eml file per message, that an admin can read in the
app (the embedded default: nothing needs a mail server to try reminders)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Flask, current_app
from flask_mail import Connection, Mail, Message

from ..files import open_private, private_dir
from ..models import utcnow


def outbox_dir(app: Flask) -> Path:
    return private_dir(app.config.get("MAIL_OUTBOX_DIR") or Path(app.instance_path) / "outbox")


@contextmanager
def channel() -> Iterator[Callable[[Message], None]]:
    """A function that sends one message, over one SMTP connection for the whole block (or
    into the outbox). Opening the connection raises when the server is down or refuses."""
    app = current_app._get_current_object()
    if not app.config.get("MAIL_SERVER"):
        folder = outbox_dir(app)

        def to_outbox(message: Message) -> None:
            name = f"{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
            with open_private(folder / name) as fh:
                fh.write(message.as_bytes())

        yield to_outbox
        return
    # Built from the settings on each use (never cached), so a changed setting takes effect.
    state = Mail().init_mail(app.config, testing=False)
    state.suppress = False
    with Connection(state) as conn:
        yield conn.send


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    at: str
    to: str
    subject: str
    body: str


_NAME = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{8}\.eml")


def outbox(app: Flask, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages of the outbox first."""
    folder = outbox_dir(app)
    files = sorted((p for p in folder.glob("*.eml") if _NAME.fullmatch(p.name)), reverse=True)
    return [read_outbox(app, p.name) for p in files[:limit]]


def read_outbox(app: Flask, name: str) -> OutboxMessage | None:
    """One message by its file name; None for any name the outbox did not write."""
    if not _NAME.fullmatch(name):
        return None
    path = outbox_dir(app) / name
    if not path.is_file():
        return None
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = parsed.get_body(preferencelist=("plain",))
    return OutboxMessage(
        name=name,
        at=f"{name[0:4]}-{name[4:6]}-{name[6:8]} {name[9:11]}:{name[11:13]} UTC",
        to=str(parsed["To"] or ""),
        subject=str(parsed["Subject"] or ""),
        body=body.get_content() if body is not None else "",
    )
