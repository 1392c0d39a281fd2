"""A question's turn in the page's chat: the question shown as written, the answer
streamed in after it, and a failure or a second question at once said in its place.

Kept apart from page.py, which lays the page out and hands each submitted question here.
"""

from collections.abc import Iterator
from typing import Any

from bot.answer import Answer
from bot.chain import Bot, valid_text
from bot.web.access import Sessions
from bot.web.answers_view import (
    escape_markdown,
    message_text,
    render_answer,
    unescape_markdown,
    user_message,
)
from index.errors import ClaimbotError

THINKING = "…"


def _encodable(message: dict[str, Any]) -> dict[str, Any]:
    """The message as it came, or its text made valid when it holds lone surrogates."""
    text = message_text(message)
    if valid_text(text) == text:
        return message
    return {"role": message.get("role", "user"), "content": valid_text(text)}


BUSY = "One question at a time: the answer to your previous question is still coming."


def respond(
    bot: Bot,
    question: str,
    history: list[dict[str, Any]],
    sessions: Sessions | None = None,
    session: str = "",
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Stream one answer into the chat; failures become a message, never a lost chat."""
    question = question.strip()
    if not question:
        yield "", history
        return
    # What the chat shows must be encodable: a lone surrogate would break the stream.
    history = [_encodable(m) for m in history]
    earlier = [unescape_markdown(message_text(m)) for m in history if m.get("role") == "user"]
    shown = valid_text(question)
    # The question is shown as written: an image or link in it must not act in the page
    # (`![x](http://host/t.png)` made every browser showing the chat fetch that URL).
    history = [*history, {"role": "user", "content": escape_markdown(shown)}]
    reply = {"role": "assistant", "content": THINKING}
    history.append(reply)
    with (sessions or Sessions()).turn(session) as free:
        if not free:
            reply["content"] = f"**⚠ {BUSY}**"
            yield shown, history
            return
        yield "", history
        try:
            for item in bot.stream(question, earlier):
                if isinstance(item, Answer):
                    reply["content"] = render_answer(item)
                else:
                    reply["content"] = escape_markdown(item) + " ▌"
                yield "", history
        except ClaimbotError as exc:
            reply["content"] = f"**⚠ {escape_markdown(user_message(exc))}**"
            yield "", history
