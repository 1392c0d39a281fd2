"""The one Settings object: built at the edge (CLI, tests) and passed down."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.calibration import LedgerBars, SupportModel


class Settings(BaseSettings):
    """Everything configurable; environment variables use the CLAIMBOT_ prefix."""

    model_config = SettingsConfigDict(env_prefix="CLAIMBOT_", extra="ignore", populate_by_name=True)

    data_dir: Path = Path(".claimbot")
    prompts_dir: Path | None = None  # a folder of templates; default: those in the package

    # Store: embedded under data_dir by default, or a Chroma server (`chroma run`).
    chroma_url: str | None = None
    chroma_token: SecretStr | None = None  # sent to an authenticating proxy in front of it
    chroma_token_header: str = "Authorization"  # as "Bearer <token>"; else the bare token
    refresh_seconds: float = Field(default=2.0, ge=0)  # how often to look for new chunks

    # Embeddings: the bundled model by default, or an OpenAI-compatible /v1/embeddings.
    embeddings_url: str | None = None
    embeddings_model: str = "multilingual-e5-small"
    embeddings_api_key: SecretStr | None = None
    embeddings_timeout: float = 30.0
    # Prompts the model reads before a question and before a passage; None: the model
    # family's own (index/embed.py, MODEL_PROMPTS), else none.
    embeddings_query_prompt: str | None = None
    embeddings_document_prompt: str | None = None

    # Chat model: on when OPENAI_API_KEY is set; standard variable names are kept.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "openai_base_url")
    )
    llm_model: str = "gpt-4o-mini"
    llm_timeout: float = Field(default=20.0, gt=0)
    llm_max_retries: int = Field(default=1, ge=0, le=5)
    llm_claims: bool = True  # with an LLM configured, let it add claims at ingest
    llm_gloss: bool = True  # with an LLM configured, gloss claims in English at ingest

    # The web app: logins ("user:password", comma-separated), no uploads when read-only,
    # a bounded queue, and how many questions run at once across all sessions.
    auth: SecretStr | None = None
    api_keys: SecretStr | None = None  # for code: "Authorization: Bearer KEY", comma-separated
    read_only: bool = False
    queue_size: int = Field(default=64, ge=1)
    web_workers: int = Field(default=4, ge=1, le=64)

    # Ingest (and uploads: a file, and one upload request, at most max_file_mb)
    max_file_mb: float = Field(default=10.0, gt=0)
    # Writes stop, with a message, when the data dir's disk has less free space than this:
    # SQLite under Chroma may hang instead of failing once the disk is full.
    min_free_mb: float = Field(default=50.0, ge=0)
    chunk_chars: int = Field(default=320, ge=80)
    embed_batch: int = Field(default=256, ge=1)  # chunks per embedding call and store write
    # Processes for the parse step. 1 (in-process) is fastest when the bundled model already
    # uses every core; more pay off when parsing waits on an LLM for claims.
    parse_workers: int = Field(default=1, ge=1, le=32)
    # PDF, Word, web pages and feeds are read in a worker process bounded in time and
    # memory: a file that needs more is skipped with the reason (index/sandbox.py).
    parse_seconds: float = Field(default=60.0, gt=0)
    parse_memory_mb: float = Field(default=1024.0, ge=300)

    # Retrieval and answers
    top_k: int = Field(default=8, ge=5, le=50)
    # Language-aware fusion: a passage's score is its cosine plus this weight times its BM25
    # score over the question's best BM25 score. BM25 can match little of an English
    # question over Indonesian text, so its vote is smaller there.
    lexical_weights: dict[str, float] = {"id": 0.05, "en": 0.02}
    # The answer step's support models by question language; None: the index's own
    # calibration (index/calibration.py). For trying a calibration before saving it.
    support_models: dict[str, SupportModel] | None = None
    # Passages whose support is within this many log-odds of the best one are quoted too.
    quote_margin: float = Field(default=1.5, ge=0)
    max_quotes: int = Field(default=4, ge=1, le=10)
    # Longer questions are refused with a reason; earlier turns are cut to this length and
    # only the last few are used, so no question costs more than a few embedder windows.
    max_question_chars: int = Field(default=2000, ge=100)
    history_turns: int = Field(default=4, ge=0)
    # The claim ledger's grouping bars; None: those of the index's embedder
    # (index/calibration.py, `LedgerBars`). For trying other bars before fitting them.
    ledger_bars: LedgerBars | None = None
    # The ledger's dispute lookup: a tracked claim this close (cosine) is what was asked.
    claim_relevance: float = 0.81

    @property
    def llm_enabled(self) -> bool:
        """LLM mode is on when an API key is configured."""
        return self.openai_api_key is not None
