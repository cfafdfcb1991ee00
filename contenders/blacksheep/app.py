"""The BlackSheep contenders of `ladder http`: the four benchmark endpoints, one app for both.

Served by uvicorn with the standard library's json (contender blacksheep), or by Granian with
orjson when BLACKSHEEP_JSON=orjson (contender blacksheep-granian-orjson): same code, same bytes, so
the two rows differ only in the server and the JSON codec. Responses match ladder's own server
(src/http/bench_app.c) byte for byte: compact JSON, UTF-8 kept as is, and on POST /validate the
name is checked before the age.
"""
import json
import os

from blacksheep import Application, Content, Request, Response, text

ERR_NAME = "name must be a non-empty string"
ERR_AGE = "age must be an integer between 0 and 150"

app = Application(show_error_details=False)


if os.environ.get("BLACKSHEEP_JSON") == "orjson":
    import orjson

    dumps, loads = orjson.dumps, orjson.loads  # orjson.JSONDecodeError is a ValueError
else:
    loads = json.loads

    def dumps(data):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(data, status=200):
    return Response(status, None, Content(b"application/json", dumps(data)))


def problem(data):
    """The contract's error for a decoded body, or None when it is valid."""
    if not isinstance(data, dict):
        return "body must be a JSON object"
    name = data.get("name")
    if not isinstance(name, str) or not name:
        return ERR_NAME
    age = data.get("age")
    if type(age) is not int or not 0 <= age <= 150:  # bool is an int subclass: not an age
        return ERR_AGE
    return None


@app.router.get("/plaintext")
async def plaintext():
    return text("Hello, World!")


@app.router.get("/json")
async def json_endpoint():
    return json_response({"message": "Hello, World!"})


@app.router.get("/user/:id")
async def user(id: str):
    return json_response({"id": id, "name": f"User {id}"})


@app.router.post("/validate")
async def validate(request: Request):
    try:
        data = loads(await request.read() or b"")
    except ValueError:
        return json_response({"error": "body is not valid JSON"}, 400)
    error = problem(data)
    if error:
        return json_response({"error": error}, 400)
    return json_response({"name": data["name"], "age": data["age"], "valid": True})
