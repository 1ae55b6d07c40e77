"""A workshop session: its folder, its join code, the facilitator's key and the rule of five.

A session lives in ``<workspace>/workshops/<YYYYmmdd-HHMMSS>/`` (readable by this account only):

- ``session.json``: the title, the join code, a hash of the facilitator key, the threshold;
- ``answers.db``: the store (SQLite, WAL), unless the session was started with a PostgreSQL
  URL: then its answers are in a schema of their own in that database (``db_url``, ``db_schema``);
- ``pages/``: the two notebooks Voilà serves. Nothing else is in that folder, because Voilà
  serves images from the folder it is given: charts and the summary stay outside it;
- ``summary/``: the exported Markdown summary and its charts.

The pages' kernels start in ``pages/`` and find the session in the folder above.

The join code has 8 symbols from Crockford's base32 (32 symbols without I, L, O and U, so
nothing looks alike; 40 bits), shown and read aloud as two groups of four (``K7M2-QD9X``), read
case-blind with 0/O and 1/I/L taken as the same. It stops working when the session ends. Wrong
codes are limited (``workshop.store``: 10 a minute for the whole session), so in an 8-hour
session at most 4,800 guesses can be made: the odds that any of them is the code are 4,800 in
2**40, about 1 in 229 million. The facilitator key (16 symbols, 80 bits) is printed only in the
terminal that started the session; only its SHA-256 is stored. The facilitator's page asks for
it, so a participant who finds that page's address still cannot open it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from course_model import workspace
from course_model.files import write_json_atomically
from workshop.db import new_schema
from workshop.store import Store

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH = 8
GROUP = 4  # symbols per group when a code or key is shown
MAX_TYPED = 100  # longer typed text is not a code: refused without looking
KEY_LENGTH = 16
DEFAULT_MIN_ANSWERS = 5
MIN_ANSWERS_FLOOR = 3
PAGES = Path(__file__).resolve().parent / "pages"
_SAME = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(length: int = CODE_LENGTH) -> str:
    """A random code of ``length`` symbols from the 32-symbol alphabet (``secrets``, not
    ``random``: a guessable code would let anyone on the network answer)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(text: str) -> str:
    """A code as typed (any case, spaces, hyphens, O for 0, I or L for 1) in canonical form."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t").translate(_SAME)


def grouped(code: str, size: int = GROUP) -> str:
    """A code split into groups for reading aloud and typing, e.g. ``K7M2-QD9X``."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def _digest(key: str) -> str:
    return hashlib.sha256(normalise(key).encode()).hexdigest()


def check_min_answers(n: int) -> int:
    """The small-group threshold ``n``, refused below 3: a chart of two answers can identify
    who gave them, and some participants may have lived experience."""
    if n < MIN_ANSWERS_FLOOR:
        raise ValueError(
            f"--min-answers {n} is too low: summaries of fewer than {MIN_ANSWERS_FLOOR} answers "
            "can identify who gave them. Keep the default of 5 unless you have a reason; "
            f"{MIN_ANSWERS_FLOOR} is the lowest allowed."
        )
    return n


def check_db_url(url: str) -> str:
    """``url`` if it can hold a session's answers ("" for the session folder): a PostgreSQL URL
    without a password, which would be written to session.json and shown by ``ps`` (libpq reads
    it from ``~/.pgpass`` or ``PGPASSWORD`` instead). ValueError says what is wrong."""
    if not url:
        return url
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"--db {url!r} is not a database URL: {exc}") from None
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(
            "--db takes a PostgreSQL URL (postgresql+psycopg://user@host/database); "
            "without --db the answers stay in the session folder."
        )
    if parsed.password is not None:
        raise ValueError(
            "--db must not hold a password: it would be stored in the session folder. "
            "Put it in ~/.pgpass or PGPASSWORD, where PostgreSQL's client looks for it."
        )
    return url


@dataclass(frozen=True)
class Session:
    """One workshop session, as the pages and the command line see it."""

    folder: Path
    title: str
    source: str
    code: str
    key_hash: str
    min_answers: int
    join_url: str
    db_url: str = ""  # a PostgreSQL URL (no password: this file is on disk); "": answers.db
    db_schema: str | None = None  # the session's schema in that database

    FILE = "session.json"

    @property
    def store(self) -> Store:
        """The session's answer store."""
        return Store(self.db_url or self.folder / "answers.db", self.db_schema)

    @property
    def pages(self) -> Path:
        """The folder Voilà serves: the two notebooks and nothing else."""
        return self.folder / "pages"

    @property
    def summary_dir(self) -> Path:
        """Where the exported summary and its charts go."""
        return self.folder / "summary"

    @classmethod
    def create(
        cls,
        prompt_set: dict,
        min_answers: int = DEFAULT_MIN_ANSWERS,
        join_url: str = "",
        db_url: str = "",
    ) -> tuple[Session, str]:
        """Create a session folder for a prompt set, its answers in ``db_url`` (a PostgreSQL
        URL) or, by default, in the folder; returns the session and the facilitator key (shown
        once, to the person who started it, and stored only as a hash)."""
        check_min_answers(min_answers)
        check_db_url(db_url)
        parent = workspace.root() / "workshops"
        parent.mkdir(mode=0o700, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder, n = parent / stamp, 1
        while folder.exists():
            n += 1
            folder = parent / f"{stamp}-{n}"
        folder.mkdir(mode=0o700)
        key = new_code(KEY_LENGTH)
        session = cls(
            folder=folder,
            title=prompt_set["title"],
            source=prompt_set["source"],
            code=new_code(),
            key_hash=_digest(key),
            min_answers=min_answers,
            join_url=join_url,
            db_url=db_url,
            db_schema=new_schema() if db_url else None,
        )
        Store.create(db_url or folder / "answers.db", prompt_set["prompts"], session.db_schema)
        session.pages.mkdir()
        for notebook in sorted(PAGES.glob("*.ipynb")):
            shutil.copyfile(notebook, session.pages / notebook.name)
        data = {k: v for k, v in asdict(session).items() if k != "folder"}
        write_json_atomically(folder / cls.FILE, data)  # mode 0600, like every temporary
        return session, grouped(key)

    @classmethod
    def load(cls, folder: Path) -> Session:
        """The session in ``folder`` (the folder holding ``session.json``)."""
        folder = Path(folder).resolve()
        data = json.loads((folder / cls.FILE).read_text(encoding="utf-8"))
        return cls(folder=folder, **data)

    @classmethod
    def for_page(cls) -> Session:
        """The session of the page running in this kernel (whose folder is ``pages/``)."""
        return cls.load(Path.cwd().parent)

    def accepts_code(self, typed: object) -> bool:
        """Whether ``typed`` is this session's join code and the session is still running.
        Anything but text of a sensible length (a widget message can carry anything) is simply
        not the code."""
        if not isinstance(typed, str) or len(typed) > MAX_TYPED:
            return False
        same = hmac.compare_digest(
            normalise(typed).encode("utf-8", "surrogatepass"), self.code.encode()
        )
        return same and not self.store.state().ended

    def join(self, typed: object, client: str) -> str:
        """Join with the code ``typed`` on the page ``client``: returns the new participant's
        token, or raises WrongCode or TooManyTries (from ``workshop.store``) in words for the
        page. The store decides and counts, so the limits hold across every page."""
        return self.store.join(client, self.accepts_code(typed))

    def accepts_key(self, typed: str) -> bool:
        """Whether ``typed`` is the facilitator key printed when the session started."""
        return hmac.compare_digest(_digest(typed), self.key_hash)
