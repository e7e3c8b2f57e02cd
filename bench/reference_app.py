"""The smallest FastAPI app: the yardstick the load benchmark compares with."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping():
    return {"ok": True}
