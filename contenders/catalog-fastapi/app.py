"""The catalog API on the experiments' stack: FastAPI + SQLAlchemy 2 (async) + asyncpg (PostgreSQL)
or aiosqlite (SQLite), under uvicorn. It answers the same four endpoints as
`ladder serve --app catalog` with the same bytes (docs/LIFECYCLE.md), and times the same phases
into the same Server-Timing header:

  db         SQLAlchemy's before/after_cursor_execute events (the driver runs the statement and
             fetches its rows between the two)
  hydrate    the ORM: session.execute(...) and .scalars() minus db
  serialize  ORM objects -> pydantic models -> dict (what a response_model does)
  encode     dict -> JSON bytes
  framework  total minus the above; total runs from the ASGI call to the response start

Run with CATALOG_DB set to a postgres:// URL, sqlite:///PATH or a file path.
"""

import json
import os
import re
import time
from contextvars import ContextVar

from fastapi import FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ForeignKey, event, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload
from starlette.exceptions import HTTPException as StarletteHTTPException

PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
ID_RE = re.compile(r"[0-9]{1,9}", re.ASCII)


def sqlalchemy_url(url: str) -> str:
    if url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    return "sqlite+aiosqlite:///" + path


# ---- the model ------------------------------------------------------------------------------

class Base(DeclarativeBase):
    pass


class Publisher(Base):
    __tablename__ = "publishers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    isbn_prefix: Mapped[str | None]


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id"))
    publisher: Mapped[Publisher] = relationship(lazy="raise")
    books: Mapped[list["Book"]] = relationship(back_populates="author", order_by="Book.id", lazy="raise")


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    isbn13: Mapped[str | None]
    year: Mapped[int | None]
    language: Mapped[str | None]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped[Author] = relationship(back_populates="books", lazy="raise")


# ---- the response shape ---------------------------------------------------------------------

class BookRefOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    year: int | None


class PublisherOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    isbn_prefix: str | None


class AuthorOut(BaseModel):
    id: int
    name: str
    publisher: PublisherOut | None
    other_books: list[BookRefOut]


class BookOut(BaseModel):
    id: int
    title: str
    isbn13: str | None
    year: int | None
    language: str | None
    author: AuthorOut | None


class PageOut(BaseModel):
    page: int
    per_page: int
    total: int
    pages: int
    books: list[BookOut]


# ---- phase timing -----------------------------------------------------------------------------

class Timing:
    __slots__ = ("db", "queries", "hydrate", "serialize", "encode", "cursor_start")

    def __init__(self):
        self.db = self.hydrate = self.serialize = self.encode = 0.0
        self.queries = 0
        self.cursor_start = 0.0


current: ContextVar[Timing | None] = ContextVar("catalog_timing", default=None)

engine = create_async_engine(sqlalchemy_url(os.environ.get("CATALOG_DB", "catalog.db")), pool_size=1,
                             max_overflow=0)
Session = async_sessionmaker(engine, expire_on_commit=False)


@event.listens_for(engine.sync_engine, "before_cursor_execute")
def _before_cursor(conn, cursor, statement, parameters, context, executemany):
    t = current.get()
    if t is not None:
        t.cursor_start = time.perf_counter()


@event.listens_for(engine.sync_engine, "after_cursor_execute")
def _after_cursor(conn, cursor, statement, parameters, context, executemany):
    t = current.get()
    if t is not None:
        t.db += time.perf_counter() - t.cursor_start
        t.queries += 1


class PhaseTiming:
    """Outermost ASGI layer: everything FastAPI and Starlette do counts as framework."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        t = Timing()
        token = current.set(t)
        start = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                total = (time.perf_counter() - start) * 1000
                db = t.db * 1000
                hydrate = max(t.hydrate * 1000 - db, 0.0)
                serialize, encode = t.serialize * 1000, t.encode * 1000
                framework = max(total - db - hydrate - serialize - encode, 0.0)
                value = (f"db;dur={db:.3f}, hydrate;dur={hydrate:.3f}, serialize;dur={serialize:.3f}, "
                         f"encode;dur={encode:.3f}, framework;dur={framework:.3f}, total;dur={total:.3f}")
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [
                    (b"server-timing", value.encode()), (b"x-query-count", str(t.queries).encode())]
            await send(message)

        try:
            await self.inner(scope, receive, timed_send)
        finally:
            current.reset(token)


def respond(status: int, model: BaseModel | dict) -> Response:
    t = current.get()
    s0 = time.perf_counter()
    data = model.model_dump() if isinstance(model, BaseModel) else model
    s1 = time.perf_counter()
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    s2 = time.perf_counter()
    if t is not None:
        t.serialize += s1 - s0
        t.encode += s2 - s1
    return Response(content=body, status_code=status, media_type="application/json")


def error(status: int, message: str) -> Response:
    return respond(status, {"error": message})


def book_out(book: Book, author: Author | None, publisher: Publisher | None, books: list[Book]) -> BookOut:
    return BookOut(
        id=book.id, title=book.title, isbn13=book.isbn13, year=book.year, language=book.language,
        author=None if author is None else AuthorOut(
            id=author.id, name=author.name,
            publisher=None if publisher is None else PublisherOut.model_validate(publisher),
            other_books=[BookRefOut.model_validate(b) for b in books if b.id != book.id]))


def loaded(book: Book) -> BookOut:
    a = book.author
    return book_out(book, a, a.publisher if a else None, a.books if a else [])


def parse_int(text: str) -> int | None:
    return int(text) if ID_RE.fullmatch(text) else None


FULL = (selectinload(Book.author).selectinload(Author.publisher),
        selectinload(Book.author).selectinload(Author.books))

api = FastAPI(redirect_slashes=False, openapi_url=None, docs_url=None, redoc_url=None)


@api.exception_handler(StarletteHTTPException)
async def http_error(request, exc):
    return error(exc.status_code, {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error"))


@api.get("/api/health")
async def health():
    return respond(200, {"status": "ok"})


async def page_of_books(page_text: str, per_page_text: str, n_plus_one: bool) -> Response:
    page, per_page = parse_int(page_text), parse_int(per_page_text)
    if page is None or page < 1:
        return error(400, "page must be an integer >= 1")
    if per_page is None or not 1 <= per_page <= PER_PAGE_MAX:
        return error(400, "per_page must be an integer between 1 and 100")
    t = current.get()
    h0 = time.perf_counter()
    parts = None
    async with Session() as session:
        total = (await session.execute(select(func.count()).select_from(Book))).scalar_one()
        pages = (total + per_page - 1) // per_page
        query = select(Book).order_by(Book.id).limit(per_page).offset((page - 1) * per_page)
        if page > pages:
            pass
        elif not n_plus_one:
            books = (await session.execute(query.options(*FULL))).scalars().all()
        else:
            # the classic N+1: one query per book for its author, the publisher and the author's books
            books = (await session.execute(query)).scalars().all()
            parts = []
            for b in books:
                a = (await session.execute(select(Author).where(Author.id == b.author_id))).scalar_one_or_none()
                if a is None:
                    parts.append((b, None, None, []))
                    continue
                p = (await session.execute(
                    select(Publisher).where(Publisher.id == a.publisher_id))).scalar_one_or_none()
                siblings = (await session.execute(
                    select(Book).where(Book.author_id == a.id).order_by(Book.id))).scalars().all()
                parts.append((b, a, p, siblings))
    t.hydrate += time.perf_counter() - h0
    if page > pages:
        return error(404, "page out of range")
    s0 = time.perf_counter()
    items = [book_out(*x) for x in parts] if parts is not None else [loaded(b) for b in books]
    out = PageOut(page=page, per_page=per_page, total=total, pages=pages, books=items)
    t.serialize += time.perf_counter() - s0
    return respond(200, out)


@api.get("/api/books")
async def list_books(page: str = "1", per_page: str = str(PER_PAGE_DEFAULT)):
    return await page_of_books(page, per_page, False)


@api.get("/api/books/n-plus-one")
async def list_books_n_plus_one(page: str = "1", per_page: str = str(PER_PAGE_DEFAULT)):
    return await page_of_books(page, per_page, True)


@api.get("/api/books/{book_id}")
async def get_book(book_id: str):
    ident = parse_int(book_id)
    if ident is None or ident < 1:
        return error(400, "book id must be a positive integer")
    t = current.get()
    h0 = time.perf_counter()
    async with Session() as session:
        book = (await session.execute(select(Book).where(Book.id == ident).options(*FULL))).scalar_one_or_none()
    t.hydrate += time.perf_counter() - h0
    if book is None:
        return error(404, "book not found")
    s0 = time.perf_counter()
    out = loaded(book)
    t.serialize += time.perf_counter() - s0
    return respond(200, out)


app = PhaseTiming(api)
