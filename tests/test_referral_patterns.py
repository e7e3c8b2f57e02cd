"""Well-known referral patterns of Travell & Simons' Trigger Point Manual
(vol. 1: head, neck, upper limb, upper trunk; vol. 2: lower trunk, pelvis,
lower limb), checked against data/. A row says: some trigger point of the
muscle refers to the region (or a region below it) with that kind."""

from __future__ import annotations

import pytest

from app.data.dataset import Dataset

ESSENTIAL, SPILLOVER = "essential", "spillover"

# Vol. 1 (upper half of the body).
UPPER = [
    ("temporalis", "temple", ESSENTIAL),
    ("temporalis", "upper-teeth", ESSENTIAL),
    ("temporalis", "eyebrow", ESSENTIAL),
    ("masseter", "upper-teeth", ESSENTIAL),
    ("masseter", "lower-teeth", ESSENTIAL),
    ("masseter", "ear", ESSENTIAL),
    ("masseter", "eyebrow", ESSENTIAL),
    ("lateral-pterygoid", "tmj", ESSENTIAL),
    ("lateral-pterygoid", "cheek", ESSENTIAL),
    ("medial-pterygoid", "tmj", ESSENTIAL),
    ("digastric", "behind-ear", ESSENTIAL),
    ("digastric", "lower-teeth", ESSENTIAL),
    ("frontalis", "forehead", ESSENTIAL),
    ("orbicularis-oculi", "nose", ESSENTIAL),
    ("zygomaticus-major", "forehead", ESSENTIAL),
    ("sternocleidomastoid-sternal", "vertex", ESSENTIAL),
    ("sternocleidomastoid-sternal", "eye", ESSENTIAL),
    ("sternocleidomastoid-sternal", "occiput", ESSENTIAL),
    ("sternocleidomastoid-clavicular", "forehead", ESSENTIAL),
    ("sternocleidomastoid-clavicular", "ear", ESSENTIAL),
    ("upper-trapezius", "temple", ESSENTIAL),
    ("upper-trapezius", "neck-side", ESSENTIAL),
    ("upper-trapezius", "behind-ear", ESSENTIAL),
    ("splenius-capitis", "vertex", ESSENTIAL),
    ("suboccipitals", "occiput", ESSENTIAL),
    ("levator-scapulae", "neck-side", ESSENTIAL),
    ("levator-scapulae", "interscapular", SPILLOVER),
    ("scalenus-anterior", "pectoral", ESSENTIAL),
    ("scalenus-anterior", "index-finger", ESSENTIAL),
    ("scalenus-anterior", "interscapular", ESSENTIAL),
    ("scalenus-medius", "upper-arm-front", ESSENTIAL),
    ("infraspinatus", "shoulder-front", ESSENTIAL),
    ("supraspinatus", "shoulder-side", ESSENTIAL),
    ("supraspinatus", "lateral-elbow", ESSENTIAL),
    ("subscapularis", "shoulder-back", ESSENTIAL),
    ("subscapularis", "wrist", ESSENTIAL),
    ("teres-minor", "shoulder-back", ESSENTIAL),
    ("latissimus-dorsi", "scapula", ESSENTIAL),
    ("rhomboids", "interscapular", ESSENTIAL),
    ("serratus-anterior", "chest-side", ESSENTIAL),
    ("pectoralis-major", "pectoral", ESSENTIAL),
    ("pectoralis-major", "medial-elbow", ESSENTIAL),
    ("pectoralis-minor", "shoulder-front", ESSENTIAL),
    ("sternalis", "sternum", ESSENTIAL),
    ("anterior-deltoid", "shoulder-front", ESSENTIAL),
    ("posterior-deltoid", "shoulder-back", ESSENTIAL),
    ("biceps-brachii", "shoulder-front", ESSENTIAL),
    ("triceps-brachii", "lateral-elbow", ESSENTIAL),
    ("triceps-brachii", "medial-elbow", ESSENTIAL),
    ("anconeus", "lateral-elbow", ESSENTIAL),
    ("brachioradialis", "lateral-elbow", ESSENTIAL),
    ("brachioradialis", "thumb-web", ESSENTIAL),
    ("extensor-carpi-radialis-longus", "lateral-elbow", ESSENTIAL),
    ("extensor-carpi-radialis-brevis", "wrist-back", ESSENTIAL),
    ("extensor-carpi-ulnaris", "wrist-ulnar", ESSENTIAL),
    ("extensor-digitorum", "middle-finger", ESSENTIAL),
    ("supinator", "lateral-elbow", ESSENTIAL),
    ("supinator", "thumb-web", ESSENTIAL),
    ("palmaris-longus", "palm", ESSENTIAL),
    ("flexor-carpi-radialis", "wrist-front", ESSENTIAL),
    ("flexor-carpi-ulnaris", "wrist-ulnar", ESSENTIAL),
    ("flexor-pollicis-longus", "thumb", ESSENTIAL),
    ("adductor-pollicis", "thumb", ESSENTIAL),
    ("hand-interossei", "index-finger", ESSENTIAL),
    ("abductor-digiti-minimi-hand", "little-finger", ESSENTIAL),
]

# Vol. 2 (lower half of the body) and the lower trunk.
LOWER = [
    ("quadratus-lumborum", "sacroiliac", ESSENTIAL),
    ("quadratus-lumborum", "buttock-lower", ESSENTIAL),
    ("quadratus-lumborum", "hip-lateral", ESSENTIAL),
    ("quadratus-lumborum", "iliac-crest", ESSENTIAL),
    ("iliopsoas", "lumbar", ESSENTIAL),
    ("iliopsoas", "thigh-anterior", ESSENTIAL),
    ("rectus-abdominis", "mid-back", ESSENTIAL),
    ("external-oblique", "upper-abdomen", ESSENTIAL),
    ("serratus-posterior-inferior", "mid-back", ESSENTIAL),
    ("iliocostalis-lumborum", "buttock", ESSENTIAL),
    ("longissimus-thoracis", "buttock", ESSENTIAL),
    ("gluteus-maximus", "coccyx", ESSENTIAL),
    ("gluteus-maximus", "sacroiliac", ESSENTIAL),
    ("gluteus-medius", "iliac-crest", ESSENTIAL),
    ("gluteus-medius", "sacroiliac", ESSENTIAL),
    ("gluteus-medius", "sacrum", ESSENTIAL),
    ("gluteus-minimus", "thigh-lateral", ESSENTIAL),
    ("gluteus-minimus", "thigh-posterior", ESSENTIAL),
    ("gluteus-minimus", "calf", ESSENTIAL),
    ("piriformis", "sacroiliac", ESSENTIAL),
    ("piriformis", "buttock", ESSENTIAL),
    ("piriformis", "thigh-posterior", SPILLOVER),
    ("coccygeus", "coccyx", ESSENTIAL),
    ("levator-ani", "coccyx", ESSENTIAL),
    ("sphincter-ani", "anus", ESSENTIAL),
    ("tensor-fasciae-latae", "thigh-lateral", ESSENTIAL),
    ("tensor-fasciae-latae", "hip-lateral", ESSENTIAL),
    ("sartorius", "knee-medial", ESSENTIAL),
    ("pectineus", "groin", ESSENTIAL),
    ("rectus-femoris", "kneecap", ESSENTIAL),
    ("vastus-medialis", "knee-medial", ESSENTIAL),
    ("vastus-lateralis", "thigh-lateral", ESSENTIAL),
    ("vastus-lateralis", "knee-lateral", ESSENTIAL),
    ("vastus-intermedius", "thigh-anterior", ESSENTIAL),
    ("adductor-longus", "groin", ESSENTIAL),
    ("adductor-longus", "knee-medial", ESSENTIAL),
    ("adductor-magnus", "groin", ESSENTIAL),
    ("gracilis", "thigh-medial", ESSENTIAL),
    ("biceps-femoris", "knee-back", ESSENTIAL),
    ("semitendinosus", "buttock-lower", ESSENTIAL),
    ("popliteus", "knee-back", ESSENTIAL),
    ("gastrocnemius", "arch", ESSENTIAL),
    ("gastrocnemius", "calf", ESSENTIAL),
    ("gastrocnemius", "knee-back", ESSENTIAL),
    ("soleus", "heel", ESSENTIAL),
    ("soleus", "sacroiliac", ESSENTIAL),
    ("tibialis-anterior", "ankle-front", ESSENTIAL),
    ("tibialis-anterior", "big-toe", ESSENTIAL),
    ("tibialis-posterior", "achilles", ESSENTIAL),
    ("fibularis-longus", "ankle-outer", ESSENTIAL),
    ("fibularis-brevis", "ankle-outer", ESSENTIAL),
    ("extensor-digitorum-longus", "foot-top", ESSENTIAL),
    ("extensor-hallucis-longus", "big-toe", ESSENTIAL),
    ("flexor-hallucis-longus", "big-toe", ESSENTIAL),
    ("abductor-hallucis", "heel", ESSENTIAL),
    ("quadratus-plantae", "heel", ESSENTIAL),
    ("flexor-digitorum-brevis", "ball-of-foot", ESSENTIAL),
    ("extensor-digitorum-brevis", "foot-top", ESSENTIAL),
    ("adductor-hallucis", "ball-of-foot", ESSENTIAL),
]


def _refers(dataset: Dataset, muscle: str, region: str, kind: str) -> bool:
    below = dataset.descendants(region)
    for point in dataset.muscles[muscle].trigger_points:
        zones = point.essential if kind == ESSENTIAL else point.spillover
        if below.intersection(zones):
            return True
    return False


@pytest.mark.parametrize(("muscle", "region", "kind"), UPPER + LOWER)
def test_pattern(dataset: Dataset, muscle: str, region: str, kind: str) -> None:
    assert muscle in dataset.muscles, f"{muscle} is missing from data/muscles"
    assert region in dataset.regions, f"{region} is not a region"
    assert _refers(dataset, muscle, region, kind), f"{muscle} should refer to {region} ({kind})"
