"""Claims found by an LLM, when one is configured; every span is checked against the text.

The model adds to the offline extractor: what it returns is kept only when its text stands
verbatim in the article's body and no offline claim covers it already.
"""

import json
from typing import Any

from index.article import Article
from index.claims import Claim
from index.errors import LLMError
from index.metadata import find_credits
from index.prompts import render_prompt
from index.reporting_verbs import KINDS, STATEMENT
from index.settings import Settings

MAX_ARTICLE_CHARS = 20_000  # longer bodies are cut: the span check still guards the result


def ask_for_claims(settings: Settings, article: Article) -> list[dict[str, Any]]:
    """The model's raw claim list for one article (JSON), or LLMError."""
    body = "\n".join(article.text[s:e] for s, e in article.body)[:MAX_ARTICLE_CHARS]
    prompt = render_prompt(settings, "extract_claims", article=body.replace("</article>", ""))
    data = chat_json(settings, prompt, "LLM claim extraction")
    claims = data.get("claims") if isinstance(data, dict) else None
    return [c for c in claims if isinstance(c, dict)] if isinstance(claims, list) else []


def chat_json(settings: Settings, prompt: str, task: str) -> Any:
    """The model's JSON reply to one prompt, or LLMError naming the task."""
    import openai  # here: the client costs a second to import, and only these steps need it

    key = settings.openai_api_key
    try:
        with openai.OpenAI(
            api_key=key.get_secret_value() if key else "none",
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
        ) as client:
            response = client.chat.completions.create(
                model=settings.llm_model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0,
                response_format={"type": "json_object"},
            )
        return json.loads(response.choices[0].message.content or "{}")
    except (openai.OpenAIError, json.JSONDecodeError) as exc:
        # from None: a server may quote the API key back in its error body
        raise LLMError(f"{task} failed ({type(exc).__name__})") from None


def verified_claims(
    article: Article, proposed: list[dict[str, Any]], known: list[Claim]
) -> list[Claim]:
    """Keep proposals whose text is verbatim in the body and not already a known claim."""
    kept: list[Claim] = []
    taken = [(c.start, c.end) for c in known]
    for item in proposed:
        text, speaker = str(item.get("text", "")).strip(), str(item.get("speaker", "")).strip()
        if not text or not speaker:
            continue
        span = _find_in_body(article, text)
        if span is None or any(s < span[1] and span[0] < e for s, e in taken):
            continue  # not in the source (or already extracted): dropped
        kind = str(item.get("kind", "")).strip().lower()
        kept.append(
            Claim(
                id=f"{article.doc_id}:{span[0]}-{span[1]}",
                doc_id=article.doc_id,
                source=article.source,
                start=span[0],
                end=span[1],
                text=text,
                speaker=speaker,
                role=str(item.get("role", "")).strip(),
                kind=kind if kind in KINDS else STATEMENT,
                verb="",
                credited_to="; ".join(find_credits(text)) or "; ".join(article.credits),
            )
        )
        taken.append(span)
    return kept


def _find_in_body(article: Article, text: str) -> tuple[int, int] | None:
    start = article.text.find(text)
    while start != -1:
        end = start + len(text)
        if any(s <= start and end <= e for s, e in article.body):
            return start, end
        start = article.text.find(text, start + 1)
    return None
