"""Red flags and self-care cautions: the safety net around every answer."""

from __future__ import annotations

import httpx
import pytest

from app.data.dataset import Dataset

RED_FLAG_QUESTIONS = [
    ("sudden worst headache of my life", "emergency"),
    ("crushing chest pain and I'm sweating and short of breath", "emergency"),
    ("low back pain and numbness between my legs and I can't control my bladder", "emergency"),
    ("headache with a fever and a stiff neck", "emergency"),
    ("my calf is swollen, red and warm", "urgent"),
    # Ordinary words for emergencies (the safety issue's examples).
    ("half my face went numb and droopy and I couldn't get my words out", "emergency"),
    ("an ache in my jaw and left arm every time I walk uphill, gone when I stop", "urgent"),
    ("tearing pain through to my back that came on in a second", "emergency"),
    (
        "my shin went tight and shiny after a tackle and the pain is way out of proportion",
        "emergency",
    ),
    ("my back pain is worse lying still at night and I've lost weight without dieting", "soon"),
    ("my foot drags and catches the floor more each day", "urgent"),
    # Typos, txt-speak and numbers.
    ("sudn worst hedache of my life", "emergency"),
    ("neck realy stiff n temp of 39.2", "emergency"),
    ("I'm 72, new headache at my temple and my jaw aches when I chew", "urgent"),
]
ORDINARY_QUESTIONS = [
    "where might a headache be coming from",
    "chest pain when I lift my arm",
    "pain in my lower back after gardening",
    "tight calf after running",
    "stiff neck in the morning",
    # Look-alikes of red flags.
    "ribs sore after a week of coughing with a cold",
    "jaw aches after a long dental appointment",
    "back aches after moving house",
    "tight hamstrings after football",
    "neck stiff after a long flight",
    # Denied warning features.
    "stiff neck after sleeping badly, no fever",
    "bumped my head on a shelf, never lost consciousness, small tender lump",
    "lower back ache from gardening, no numbness between my legs, bladder fine",
]


@pytest.mark.parametrize(("question", "urgency"), RED_FLAG_QUESTIONS)
def test_red_flags_warn(client: httpx.Client, question: str, urgency: str) -> None:
    body = client.get("/v1/pain-sources", params={"q": question}).json()
    assert body["warnings"], question
    assert urgency in {w["urgency"] for w in body["warnings"]}
    assert all(w["message"] for w in body["warnings"])
    assert body["disclaimer"]


@pytest.mark.parametrize("question", ORDINARY_QUESTIONS)
def test_ordinary_questions_do_not_alarm(client: httpx.Client, question: str) -> None:
    body = client.get("/v1/pain-sources", params={"q": question}).json()
    assert body["warnings"] == [], question
    assert body["results"], question


@pytest.mark.parametrize(
    ("muscle", "danger"),
    [
        ("sternocleidomastoid-sternal", "carotid"),
        ("sternocleidomastoid-clavicular", "carotid"),
        ("scalenus-anterior", "artery"),
        ("iliopsoas", "femoral"),
        ("pectineus", "femoral"),
        ("adductor-longus", "femoral"),
    ],
)
def test_cautions_near_danger_zones(client: httpx.Client, muscle: str, danger: str) -> None:
    body = client.get(f"/v1/muscles/{muscle}/self-care").json()
    cautions = " ".join(c for p in body["trigger_points"] for c in p["self_care"]["cautions"])
    assert danger in cautions.casefold(), f"{muscle} lacks a caution about the {danger}"


def test_region_cautions_come_from_the_data(client: httpx.Client, dataset: Dataset) -> None:
    caution = next(c for c in dataset.cautions.values() if "throat" in c.regions)
    for muscle, point in dataset.trigger_points():
        if point.site == "throat":
            page = client.get(f"/v1/muscles/{muscle.slug}/self-care").json()
            entry = next(p for p in page["trigger_points"] if p["slug"] == point.slug)
            assert caution.text in entry["self_care"]["cautions"]
            return
    pytest.fail("no trigger point lies in the throat region")


def test_every_trigger_point_has_guidance(client: httpx.Client, dataset: Dataset) -> None:
    for slug in ("soleus", "masseter", "gluteus-medius"):
        page = client.get(f"/v1/muscles/{slug}/self-care").json()
        assert len(page["trigger_points"]) == len(dataset.muscles[slug].trigger_points)
        for entry in page["trigger_points"]:
            care = entry["self_care"]
            assert care["find"] and care["treat"] and care["perpetuating"]
