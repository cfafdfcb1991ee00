"""The FastAPI contender of `ladder http` (served by uvicorn): the four benchmark endpoints, with
POST /validate checked by a pydantic model.

FastAPI answers a failed validation with 422 and pydantic's own messages; the handler below turns
that into the contract's 400 and its two messages (name first), as ladder's own server
(src/http/bench_app.c) answers. Strict types: "30" is not an age and 5 is not a name.
"""
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field, StrictInt, StrictStr

ERR_NAME = "name must be a non-empty string"
ERR_AGE = "age must be an integer between 0 and 150"


class Person(BaseModel):
    name: StrictStr = Field(min_length=1)
    age: StrictInt = Field(ge=0, le=150)


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.exception_handler(RequestValidationError)
async def bad_request(request, exc):
    fields = {err["loc"][1] for err in exc.errors() if len(err["loc"]) > 1 and err["loc"][0] == "body"}
    if "name" in fields:
        message = ERR_NAME
    elif "age" in fields:
        message = ERR_AGE
    elif any(err["type"] == "json_invalid" for err in exc.errors()):
        message = "body is not valid JSON"
    else:
        message = "body must be a JSON object"
    return JSONResponse({"error": message}, status_code=400)


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.get("/json")
async def json_endpoint():
    return {"message": "Hello, World!"}


@app.get("/user/{id}")
async def user(id: str):
    return {"id": id, "name": f"User {id}"}


@app.post("/validate")
async def validate(person: Person):
    return {"name": person.name, "age": person.age, "valid": True}
