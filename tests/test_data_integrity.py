"""Integrity of the curated data beyond what the loader enforces: coverage
of the Manual, unambiguous names, complete records. What the loader already
refuses (bad slugs, empty required lists, unknown references) is tested once,
on broken copies of the data, in tests/test_dataset.py."""

from __future__ import annotations

import re
from collections import Counter

from app.data.dataset import Dataset
from app.data.files import MuscleGroup
from app.lookup.text import words
from tests.support import AppInProcess

# Every muscle (or muscle part) charted in the Trigger Point Manual, by the
# slugs we publish. Vol. 1: head, neck, shoulder, arm, hand, upper trunk.
MANUAL_VOLUME_1 = [
    "temporalis",
    "masseter",
    "medial-pterygoid",
    "lateral-pterygoid",
    "digastric",
    "frontalis",
    "occipitalis",
    "orbicularis-oculi",
    "zygomaticus-major",
    "buccinator",
    "platysma",
    "suboccipitals",
    "splenius-capitis",
    "splenius-cervicis",
    "sternocleidomastoid-sternal",
    "sternocleidomastoid-clavicular",
    "semispinalis-capitis",
    "semispinalis-cervicis",
    "cervical-multifidi",
    "levator-scapulae",
    "scalenus-anterior",
    "scalenus-medius",
    "scalenus-posterior",
    "scalenus-minimus",
    "upper-trapezius",
    "middle-trapezius",
    "lower-trapezius",
    "rhomboids",
    "serratus-posterior-superior",
    "latissimus-dorsi",
    "supraspinatus",
    "infraspinatus",
    "teres-minor",
    "teres-major",
    "subscapularis",
    "anterior-deltoid",
    "middle-deltoid",
    "posterior-deltoid",
    "coracobrachialis",
    "biceps-brachii",
    "brachialis",
    "triceps-brachii",
    "anconeus",
    "pectoralis-major",
    "pectoralis-minor",
    "subclavius",
    "sternalis",
    "serratus-anterior",
    "brachioradialis",
    "extensor-carpi-radialis-longus",
    "extensor-carpi-radialis-brevis",
    "extensor-carpi-ulnaris",
    "extensor-digitorum",
    "extensor-indicis",
    "supinator",
    "palmaris-longus",
    "flexor-carpi-radialis",
    "flexor-carpi-ulnaris",
    "flexor-digitorum-superficialis",
    "flexor-digitorum-profundus",
    "flexor-pollicis-longus",
    "pronator-teres",
    "adductor-pollicis",
    "opponens-pollicis",
    "hand-interossei",
    "abductor-digiti-minimi-hand",
    "serratus-posterior-inferior",
    "iliocostalis-thoracis",
    "iliocostalis-lumborum",
    "longissimus-thoracis",
    "lumbar-multifidi",
    "rectus-abdominis",
    "external-oblique",
    "internal-oblique",
    "transversus-abdominis",
    "pyramidalis",
    "intercostals",
    "diaphragm",
]
# Vol. 2: lower trunk, pelvis, hip, thigh, leg and foot.
MANUAL_VOLUME_2 = [
    "quadratus-lumborum",
    "iliopsoas",
    "coccygeus",
    "levator-ani",
    "obturator-internus",
    "sphincter-ani",
    "bulbospongiosus",
    "ischiocavernosus",
    "gluteus-maximus",
    "gluteus-medius",
    "gluteus-minimus",
    "piriformis",
    "gemelli",
    "quadratus-femoris",
    "tensor-fasciae-latae",
    "sartorius",
    "pectineus",
    "rectus-femoris",
    "vastus-medialis",
    "vastus-intermedius",
    "vastus-lateralis",
    "adductor-longus",
    "adductor-brevis",
    "adductor-magnus",
    "gracilis",
    "biceps-femoris",
    "semitendinosus",
    "semimembranosus",
    "popliteus",
    "gastrocnemius",
    "soleus",
    "plantaris",
    "tibialis-anterior",
    "tibialis-posterior",
    "fibularis-longus",
    "fibularis-brevis",
    "fibularis-tertius",
    "extensor-digitorum-longus",
    "extensor-hallucis-longus",
    "flexor-digitorum-longus",
    "flexor-hallucis-longus",
    "extensor-digitorum-brevis",
    "abductor-hallucis",
    "flexor-digitorum-brevis",
    "abductor-digiti-minimi-foot",
    "quadratus-plantae",
    "flexor-hallucis-brevis",
    "adductor-hallucis",
    "foot-interossei",
]


def test_every_muscle_of_the_manual_is_there(dataset: Dataset) -> None:
    missing = sorted(set(MANUAL_VOLUME_1 + MANUAL_VOLUME_2) - set(dataset.muscles))
    assert missing == []


def test_every_body_group_has_muscles(dataset: Dataset) -> None:
    groups = Counter(m.group for m in dataset.muscles.values())
    assert set(groups) == set(MuscleGroup)


def test_region_tree_is_fine_enough(dataset: Dataset) -> None:
    leaves = [r for r in dataset.regions.values() if not r.children]
    assert 100 <= len(leaves) <= 200
    tops = {r.slug for r in dataset.regions.values() if r.parent is None}
    assert tops == {"head", "neck", "trunk-front", "trunk-back", "upper-limb", "lower-limb"}


def test_every_trigger_point_has_self_care(dataset: Dataset) -> None:
    # The loader lets a point go without self-care (curators add it later);
    # the published dataset may not.
    missing = [
        f"{muscle.slug}/{point.slug}"
        for muscle, point in dataset.trigger_points()
        if point.self_care is None
    ]
    assert missing == []


def test_every_muscle_cites_the_manual_and_is_described(dataset: Dataset) -> None:
    for muscle in dataset.muscles.values():
        assert any(
            "Trigger Point Manual" in s.title or "Travell" in s.title for s in muscle.sources
        ), f"{muscle.slug} does not cite the Manual"
        sentences = [s for s in muscle.description.split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 6, f"{muscle.slug}: description should be 2-4 sentences"


def test_abbreviations_are_unambiguous(dataset: Dataset) -> None:
    """Group names ("hamstrings", "scalenes") may name several muscles; a short
    abbreviation only the parts of one muscle ("SCM")."""
    owners: dict[str, set[str]] = {}
    for muscle in dataset.muscles.values():
        for alias in muscle.aliases:
            if len(alias) <= 3:
                owners.setdefault(alias.casefold(), set()).add(muscle.slug)
    ambiguous = {a: s for a, s in owners.items() if len({m.split("-")[0] for m in s}) > 1}
    assert ambiguous == {}


def test_no_synonym_names_two_regions(dataset: Dataset) -> None:
    owners: dict[tuple[str, ...], set[str]] = {}
    for region in dataset.regions.values():
        for name in [region.name, *region.synonyms]:
            owners.setdefault(tuple(words(name)), set()).add(region.slug)
    shared = {" ".join(k): v for k, v in owners.items() if len(v) > 1}
    assert shared == {}


def test_conditions_cover_the_popular_literature(dataset: Dataset) -> None:
    assert len(dataset.conditions) >= 40


def test_red_flags_and_cautions_exist(dataset: Dataset) -> None:
    assert len(dataset.red_flags) >= 15
    assert dataset.cautions


# --- Safety of the self-care texts and precision of the zones ---------------------------


def test_essential_zones_on_parent_regions_are_explained(dataset: Dataset) -> None:
    """A zone drawn on a region with children ("hip", "buttock") also matches
    every child, so "front of my hip" would surface a muscle that only refers to
    the back of the hip; such a zone is allowed only with its reason."""
    unexplained = [
        (point.slug, zone)
        for _, point in dataset.trigger_points()
        for zone in point.essential
        if dataset.regions[zone].children and zone not in point.broad_zones
    ]
    assert unexplained == []


def _mentions(text: str, phrase: str) -> bool:
    """The phrase as whole words, case-insensitive."""
    pattern = rf"(?<![\w-]){re.escape(phrase)}(?![\w-])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _technique(point: object) -> str:
    care = point.self_care  # type: ignore[attr-defined]
    return f"{care.find} {care.treat}" if care else ""


def test_every_caution_names_its_landmarks(dataset: Dataset) -> None:
    assert all(caution.landmarks for caution in dataset.cautions.values())


def test_techniques_near_a_cautions_landmark_show_that_caution(dataset: Dataset) -> None:
    """A technique that works at a caution's landmark (the groin pulse, the
    hollow above the collarbone, the inner side of the sit bone ...) must show
    that caution: through its site or through `self_care.near`."""
    missing = []
    mentions = 0
    for _, point in dataset.trigger_points():
        text = _technique(point)
        shown = {caution.slug for caution in dataset.cautions_for(point)}
        for caution in dataset.cautions.values():
            hits = [word for word in caution.landmarks if _mentions(text, word)]
            mentions += bool(hits)
            if hits and caution.slug not in shown:
                missing.append((point.slug, caution.slug, hits))
    assert missing == []
    assert mentions >= 30, "the landmarks no longer match the self-care texts"


def _covers(dataset: Dataset, caution_regions: list[str], region: str) -> bool:
    return any(r in caution_regions for r in (region, *dataset.ancestors(region)))


# Risks that concern whole areas of the body, not one muscle: some caution must say
# so (`topic` in its text) and reach every one of the regions.
AREA_CAUTIONS = [
    ("thins the blood", ["head", "neck", "trunk-front", "trunk-back", "upper-limb", "lower-limb"]),
    (
        "bleeding disorder",
        ["head", "neck", "trunk-front", "trunk-back", "upper-limb", "lower-limb"],
    ),
    ("operation", ["head", "neck", "trunk-front", "trunk-back", "upper-limb", "lower-limb"]),
    ("varicose", ["lower-limb"]),
    ("pregnant", ["abdomen", "pelvis-front", "pelvis-back", "lower-back"]),
    ("spleen", ["upper-abdomen"]),
]


def test_general_cautions_cover_their_areas(dataset: Dataset) -> None:
    for topic, regions in AREA_CAUTIONS:
        assert any(
            topic in caution.text.casefold()
            and all(_covers(dataset, caution.regions, region) for region in regions)
            for caution in dataset.cautions.values()
        ), f"no caution about {topic!r} reaches all of {regions}"


def test_every_self_care_page_gets_the_general_cautions(dataset: Dataset) -> None:
    tops = {slug for slug, region in dataset.regions.items() if region.parent is None}
    general = [c for c in dataset.cautions.values() if tops <= set(c.regions)]
    assert general, "no caution covers every top-level region (blood thinners, surgery)"
    for _, point in dataset.trigger_points():
        shown = {caution.slug for caution in dataset.cautions_for(point)}
        assert {c.slug for c in general} <= shown, point.slug


# Instructions that send pressure onto a nerve or vessel (or claim what no source
# supports); none may come back in any self-care text, caution included.
UNSAFE_INSTRUCTIONS = [
    "outside of the pulse",  # the femoral nerve lies there
    "inside the pulse",  # the femoral vein lies there
    "inner side of the pulse",
    "outer side of the pulse",
    "work to its inner side",
    "onto the cords",  # above the collarbone the cords are the brachial plexus
    "across the cords",
    "towards the first rib",  # subclavian artery and the top of the lung
    "downward and slightly inward",  # towards the abdominal aorta
    "just below and inside it",  # under pectoralis minor: the vessels and nerves to the arm
    "and back against the underside",  # behind subclavius: the subclavian vessels
    "upwards and outwards against the inner side",  # the pudendal canal by the sit bone
    "is safe",  # no technique is declared safe
    "in the days before a period",  # not supported by the sources
]


def test_no_self_care_text_gives_an_unsafe_instruction(dataset: Dataset) -> None:
    found = []
    for _, point in dataset.trigger_points():
        care = point.self_care
        if care is None:
            continue
        texts = [care.find, care.treat, care.stretch or "", *care.cautions]
        for phrase in UNSAFE_INSTRUCTIONS:
            if any(phrase in text.casefold() for text in texts):
                found.append((point.slug, phrase))
    for caution in dataset.cautions.values():
        found += [(caution.slug, p) for p in UNSAFE_INSTRUCTIONS if p in caution.text.casefold()]
    assert found == []


PAIN_WORDS = re.compile(
    r"\b(pain|painful|ache|aches|aching|sore|soreness|tender|burning|cramp\w*|sting\w*"
    r"|prickl\w*|throb\w*|hurts?|headaches?|discomfort)\b",
    re.IGNORECASE,
)
NOT_PAIN = re.compile(r"\b(rather than|instead of|not|no)\s+(pain|ache)\b", re.IGNORECASE)


def test_every_trigger_point_refers_pain(dataset: Dataset) -> None:
    """Zones are where pain is felt: a point whose only effect is something else
    (goose flesh, shivering) has no zone to draw."""
    painless = [
        point.slug
        for _, point in dataset.trigger_points()
        if not any(PAIN_WORDS.search(s) and not NOT_PAIN.search(s) for s in point.symptoms)
    ]
    assert painless == []


def test_no_trigger_point_is_recorded_twice(dataset: Dataset) -> None:
    """Two muscles sharing a trigger point keep one record of it
    (shared_trigger_points), not two copies."""
    seen: dict[tuple[object, ...], str] = {}
    copies = []
    for muscle in dataset.muscles.values():
        for point in muscle.trigger_points:
            key = (
                point.site,
                frozenset(point.essential),
                point.map_point.view,
                point.map_point.x,
                point.map_point.y,
            )
            other = seen.setdefault(key, muscle.slug)
            if other != muscle.slug:
                copies.append((other, muscle.slug, point.slug))
    assert copies == []


def test_a_shared_trigger_point_counts_for_every_muscle_it_lies_in(
    dataset: Dataset, running_app: AppInProcess
) -> None:
    """One record for a trigger point two muscles share (the loader checks it
    exists and belongs to another muscle), ranked and listed for both."""
    sharing = [m for m in dataset.muscles.values() if m.shared_trigger_points]
    assert sharing
    pairs = {(m.slug, p.slug) for m, p in dataset.trigger_points()}
    index = running_app.app.state.catalog.engine.index  # the served lookup index
    for muscle in sharing:
        for point in dataset.points_of(muscle):
            if point.slug not in muscle.shared_trigger_points:
                continue
            assert (muscle.slug, point.slug) in pairs
            for zone in point.essential:
                referring = {(r.muscle, r.trigger_point) for r in index.by_region[zone]}
                assert (muscle.slug, point.slug) in referring, (muscle.slug, zone)
