"""Integrity of the curated data beyond what the loader enforces: coverage
of the Manual, unambiguous names, complete records."""

from __future__ import annotations

from collections import Counter

from app.dataset import Dataset
from app.lookup.text import words
from app.sourcefiles import SLUG_PATTERN, MuscleGroup

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
    assert all(r.views for r in dataset.regions.values())


def test_identifiers_are_ascii_slugs(dataset: Dataset) -> None:
    slugs = [
        *dataset.regions,
        *dataset.muscles,
        *dataset.conditions,
        *(p.slug for _, p in dataset.trigger_points()),
    ]
    assert all(SLUG_PATTERN.match(s) and s.isascii() for s in slugs)


def test_every_trigger_point_is_complete(dataset: Dataset) -> None:
    for muscle, point in dataset.trigger_points():
        where = f"{muscle.slug}/{point.slug}"
        assert point.essential, where
        assert point.self_care is not None, f"{where} has no self-care guidance"
        assert point.self_care.perpetuating, where


def test_every_muscle_names_sources_and_is_described(dataset: Dataset) -> None:
    for muscle in dataset.muscles.values():
        assert muscle.sources, muscle.slug
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
    for condition in dataset.conditions.values():
        assert condition.muscles and condition.regions and condition.sources, condition.slug


def test_red_flags_and_cautions_exist(dataset: Dataset) -> None:
    assert len(dataset.red_flags) >= 15
    assert all(flag.warning for flag in dataset.red_flags.values())
    assert dataset.cautions
