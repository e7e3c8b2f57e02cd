"""The pure lookup core on small hand-made inputs: text understanding and
ranking rules, independent of the curated data."""

from __future__ import annotations

from app.lookup.rank import LookupIndex, Referral
from app.lookup.redflags import compile_rule, detect
from app.lookup.text import Language, normalise, words
from app.lookup.understanding import Term, Vocabulary, understand

VOCAB = Vocabulary(
    [
        ("temple", Term("region", "temple")),
        ("temples", Term("region", "temple")),
        ("shoulder", Term("region", "shoulder")),
        ("between the shoulder blades", Term("region", "interscapular")),
        ("shoulder blade", Term("region", "scapula")),
        ("heel", Term("region", "heel")),
        ("tennis elbow", Term("condition", "tennis-elbow")),
        ("elbow", Term("region", "elbow")),
        ("jaw", Term("region", "jaw")),
    ]
)


def test_normalise_handles_any_unicode() -> None:
    assert normalise("Ça FAIT mal 🤕 au\x00 talon!!") == "ca fait mal au talon"
    assert normalise("\u200b\t\n") == ""
    assert words("My SHOULDERS hurt") == ["shoulder", "hurt"]


def test_longest_phrase_wins() -> None:
    found = understand("pain between my shoulder blades", VOCAB)
    assert [m.term.slug for m in found.regions] == ["interscapular"]


def test_several_areas_and_a_side() -> None:
    found = understand("left jaw and shoulder pain", VOCAB)
    assert [m.term.slug for m in found.regions] == ["jaw", "shoulder"]
    assert found.side == "left"
    assert understand("left and right heel", VOCAB).side is None


def test_typos_are_tolerated_by_fuzzy_matching() -> None:
    found = understand("my temlpes throb", VOCAB)
    assert [m.term.slug for m in found.regions] == ["temple"]
    assert found.regions[0].exact is False
    assert understand("sholder", VOCAB).regions[0].term.slug == "shoulder"


def test_conditions_are_understood_before_their_words() -> None:
    found = understand("I think I have tennis elbow", VOCAB)
    assert [m.term.slug for m in found.conditions] == ["tennis-elbow"]
    assert found.regions == []


def test_nothing_known() -> None:
    found = understand("my pinky toenail is purple", VOCAB)
    assert not found.names_anything
    assert "purple" in found.unknown_words


def _index() -> LookupIndex:
    referrals = [
        Referral("a", "a-1", "temple", "essential"),
        Referral("a", "a-1", "jaw", "essential"),
        Referral("b", "b-1", "temple", "essential"),
        Referral("c", "c-1", "temple", "spillover"),
        Referral("c", "c-1", "jaw", "spillover"),
        Referral("d", "d-1", "head", "essential"),
        Referral("e", "e-1", "heel", "essential"),
    ]
    descendants = {
        "head": frozenset({"head", "temple", "jaw"}),
        "temple": frozenset({"temple"}),
        "jaw": frozenset({"jaw"}),
        "heel": frozenset({"heel"}),
    }
    ancestors = {"head": [], "temple": ["head"], "jaw": ["head"], "heel": []}
    return LookupIndex(
        referrals,
        descendants,
        ancestors,
        condition_muscles={"bruxism": ["e", "a"]},
        muscle_names={s: s.upper() for s in "abcde"},
    )


def test_essential_ranks_above_spillover_and_scores_are_bounded() -> None:
    ranked = _index().rank((("temple",),), (), True)
    order = [r.muscle for r in ranked]
    assert order.index("b") < order.index("c")
    assert all(0 < r.score <= 1 for r in ranked)
    assert [r.muscle for r in _index().rank((("temple",),), (), False)] == ["a", "b", "d"]


def test_explaining_all_areas_beats_explaining_one() -> None:
    ranked = _index().rank((("temple",), ("jaw",)), (), True)
    order = [r.muscle for r in ranked]
    # c explains both areas through spillover only, b one area through essential.
    assert order[0] == "a" and order.index("c") < order.index("b")
    assert len(ranked[0].matches) == 2


def test_parent_area_includes_children_and_ancestor_zones_count_less() -> None:
    head = {r.muscle: r.score for r in _index().rank((("head",),), (), True)}
    assert {"a", "b", "c", "d"} <= set(head)
    temple = {r.muscle: r.score for r in _index().rank((("temple",),), (), True)}
    assert temple["d"] < temple["b"]  # d's zone is the whole head, not the temple


def test_condition_boosts_its_muscles_in_order() -> None:
    plain = {r.muscle: r.score for r in _index().rank((("temple",),), (), True)}
    boosted = {r.muscle: r.score for r in _index().rank((("temple",),), ("bruxism",), True)}
    assert boosted["a"] > boosted["b"] and plain["a"] >= plain["b"]
    assert "e" in boosted  # associated with the condition though it refers elsewhere
    alone = _index().rank((), ("bruxism",), True)
    assert [r.muscle for r in alone] == ["e", "a"]


def test_alternatives_in_one_area_need_not_all_be_explained() -> None:
    # A condition's regions form one area: explaining any of them is enough.
    either = {r.muscle: r.score for r in _index().rank((("temple", "heel"),), (), True)}
    both = {r.muscle: r.score for r in _index().rank((("temple",), ("heel",)), (), True)}
    assert either["e"] == either["b"] > both["e"]


def test_named_muscles_are_boosted() -> None:
    ranked = _index().rank((("temple",),), (), True, ("c",))
    assert ranked[0].muscle == "c"


def test_red_flag_needs_every_group() -> None:
    rule = compile_rule(
        "thunderclap",
        "Sudden severe headache",
        "Call emergency services.",
        "emergency",
        [["sudden", "out of nowhere"], ["worst headache", "headache"]],
    )
    assert detect("The worst headache of my life came on sudden", [rule]) == [rule]
    assert detect("a headache out of nowhere", [rule]) == [rule]
    assert detect("I often get a headache after work", [rule]) == []
    assert detect("sudden pain in my heel", [rule]) == []


BACK_VOCAB = Vocabulary(
    [
        ("back", Term("region", "trunk-back")),
        ("back of shoulder", Term("region", "shoulder-back")),
        ("thumb", Term("region", "thumb")),
        ("chest", Term("region", "chest")),
        ("teeth", Term("region", "upper-teeth")),
        ("teeth", Term("region", "lower-teeth")),
        ("inner edge of shoulder blade", Term("region", "interscapular")),
    ]
)


def test_back_of_a_part_is_that_part() -> None:
    found = understand("pain on the back of my thumb", BACK_VOCAB)
    assert [m.term.slug for m in found.regions] == ["thumb"]


def test_side_words_do_not_break_phrases() -> None:
    found = understand("ache in the back of my left shoulder", BACK_VOCAB)
    assert [m.term.slug for m in found.regions] == ["shoulder-back"]
    assert found.side == "left"


def test_back_as_an_adverb_is_no_place() -> None:
    found = understand("chest pain, my tests came back normal", BACK_VOCAB)
    assert [m.term.slug for m in found.regions] == ["chest"]
    assert [m.term.slug for m in understand("my back hurts", BACK_VOCAB).regions] == ["trunk-back"]


def test_one_phrase_with_several_regions_is_one_area() -> None:
    found = understand("my teeth and thumb", BACK_VOCAB)
    assert found.region_groups() == [("upper-teeth", "lower-teeth"), ("thumb",)]


def test_typos_in_long_phrases() -> None:
    found = understand("burning along the inner edge of my sholder blade", BACK_VOCAB)
    assert [m.term.slug for m in found.regions] == ["interscapular"]


def test_orientation_narrows_a_place() -> None:
    vocab = Vocabulary(
        [
            ("forearm", Term("region", "forearm")),
            ("thumb", Term("region", "thumb")),
            ("palm", Term("region", "palm")),
            ("thumb side of forearm", Term("region", "forearm-radial")),
        ]
    )
    found = understand("my forearm aches along the thumb side", vocab)
    assert [m.term.slug for m in found.regions] == ["forearm-radial"]
    found = understand("base of my thumb aches on the palm side", vocab)
    assert [m.term.slug for m in found.regions] == ["thumb"]


def test_typo_matching_never_swaps_a_real_word() -> None:
    vocab = Vocabulary(
        [
            ("top of shoulder blade", Term("region", "suprascapular")),
            ("shoulder blade", Term("region", "scapula")),
            ("bottom", Term("region", "buttock")),
        ]
    )
    found = understand("aching at the bottom tip of my shoulder blade", vocab)
    assert [m.term.slug for m in found.regions] == ["scapula"]
    found = understand("ache at the bottom corner of my shoulder blade", vocab)
    assert [m.term.slug for m in found.regions] == ["scapula"]
    assert [m.term.slug for m in understand("my bottom hurts", vocab).regions] == ["buttock"]


LANGUAGE = Language.from_lexicon(
    rewrites={"shldr": "shoulder", "bk": "back"},
    orientations={
        "inner": ["inside", "medial"],
        "outer": ["outside", "lateral"],
        "front": ["anterior"],
        "back": ["behind", "rear"],
    },
    context_words=["barista"],
    before=["no", "not", "never", "used to", "doesn't"],
    after=["fine", "ok"],
    bridge=["pain", "hurt", "in", "or"],
    clause_breaks=["but", "now"],
)
BASE_PLACES = Vocabulary(
    [
        ("calf", Term("region", "calf")),
        ("heel", Term("region", "heel")),
        ("hip", Term("region", "hip")),
        ("knee", Term("region", "knee")),
    ],
    LANGUAGE,
)
PLACES = Vocabulary(
    [
        ("knee", Term("region", "knee")),
        ("back of knee", Term("region", "knee-back")),
        ("hip", Term("region", "hip")),
        ("neck", Term("region", "neck")),
        ("shoulder", Term("region", "shoulder")),
        ("calf", Term("region", "calf")),
        ("low back", Term("region", "lower-back")),
        ("back", Term("region", "trunk-back")),
        ("ankle", Term("region", "ankle")),
        ("ankle bone", Term("region", "ankle-outer")),
        ("outer ankle", Term("region", "ankle-outer")),
        ("lower ribs", Term("region", "lower-chest")),
        ("chest", Term("region", "chest")),
        ("front of chest", Term("region", "pectoral")),
        ("inner ankle", Term("region", "ankle-inner")),
        ("chew", Term("activity", "chewing")),
    ],
    LANGUAGE,
    parents={
        "ankle-outer": "ankle",
        "ankle-inner": "ankle",
        "knee-back": "knee",
        "lower-chest": "chest",
        "pectoral": "chest",
    },
)


def _slugs(mentions) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.term.slug for m in mentions]


def test_denied_places_are_not_asked() -> None:
    found = understand("no pain in my knee, my hip hurts", PLACES)
    assert _slugs(found.regions) == ["hip"]
    assert _slugs(found.denied) == ["knee"]
    found = understand("not my calf or knee but my hip", PLACES)
    assert (_slugs(found.regions), _slugs(found.denied)) == (["hip"], ["calf", "knee"])
    found = understand("it used to hurt in my neck, now my shoulder", PLACES)
    assert (_slugs(found.regions), _slugs(found.denied)) == (["shoulder"], ["neck"])
    found = understand("my knee is fine", PLACES)
    assert (_slugs(found.regions), _slugs(found.denied)) == ([], ["knee"])


def test_a_denial_ends_at_a_word_that_is_no_bridge() -> None:
    found = understand("it does not go away, my knee", PLACES)
    assert _slugs(found.regions) == ["knee"]
    found = understand("I don't know why my hip hurts", PLACES)
    assert _slugs(found.regions) == ["hip"]


def test_rewrites_splits_and_typos() -> None:
    assert _slugs(understand("shldr pain", PLACES).regions) == ["shoulder"]
    assert _slugs(understand("lowback pain", PLACES).regions) == ["lower-back"]
    found = understand("kneeache and shoulderr", PLACES)
    assert _slugs(found.regions) == ["knee", "shoulder"]
    assert all(not m.exact for m in found.regions)


def test_real_words_are_never_corrected() -> None:
    # "half" is one letter from "calf", "barista" is context, not a place.
    assert not understand("half the day as a barista", PLACES).names_anything


def test_an_orientation_narrows_the_named_place() -> None:
    found = understand("ache just inside my ankle bone", PLACES)
    assert _slugs(found.regions) == ["ankle-inner"]
    found = understand("I feel pain at knee back side", PLACES)
    assert _slugs(found.regions) == ["knee-back"]
    found = understand("pain behind my knee", PLACES)
    assert _slugs(found.regions) == ["knee-back"]
    # Only a place that is itself one face of a larger one turns into a sibling.
    found = understand("pain under the front of my lower ribs", PLACES)
    assert _slugs(found.regions) == ["lower-chest"]


def test_activities_are_understood() -> None:
    found = understand("it hurts when I chew", PLACES)
    assert _slugs(found.activities) == ["chewing"]


def test_red_flags_respect_negation_and_numbers() -> None:
    rule = compile_rule(
        "fever-stiff-neck",
        "Fever with a stiff neck",
        "Call.",
        "emergency",
        [["fever"], ["stiff neck"]],
    )
    older = compile_rule(
        "older-back",
        "New back pain over 50",
        "See a doctor.",
        "soon",
        [["aged over 50"], ["back pain"]],
    )
    rules = [rule, older]
    assert detect("fever and a stiff neck", rules, LANGUAGE) == [rule]
    assert detect("stiff neck, no fever", rules, LANGUAGE) == []
    assert detect("stiff neck and my temperature is 38.6", rules, LANGUAGE) == [rule]
    assert detect("stiff neck, temp 37.1", rules, LANGUAGE) == []
    assert detect("I'm 58 with new back pain", rules, LANGUAGE) == [older]
    assert detect("I'm 30 with back pain", rules, LANGUAGE) == []
    assert detect("back pain for over 60 minutes", rules, LANGUAGE) == []


def test_places_that_only_locate_another_are_not_asked() -> None:
    vocab = Vocabulary(
        [
            ("foot", Term("region", "foot")),
            ("outer edge of foot", Term("region", "foot-outer")),
            ("little toe", Term("region", "toes")),
            ("hand", Term("region", "hand")),
            ("little finger", Term("region", "little-finger")),
            ("knee", Term("region", "knee")),
        ],
        LANGUAGE,
        parents={"foot-outer": "foot", "toes": "foot", "little-finger": "hand"},
    )
    found = understand("outer edge of my foot, near the little toe", vocab)
    assert _slugs(found.regions) == ["foot-outer"]
    found = understand("the little finger of my hand aches", vocab)
    assert _slugs(found.regions) == ["little-finger"]
    # Alone, a landmark is the place asked.
    assert _slugs(understand("pain near my knee", vocab).regions) == ["knee"]


def test_a_named_source_is_not_an_asked_place() -> None:
    found = understand("can my calf give me heel pain?", BASE_PLACES)
    assert (_slugs(found.regions), _slugs(found.sources)) == (["heel"], ["calf"])
    found = understand("could a muscle in my hip cause pain in my knee", BASE_PLACES)
    assert (_slugs(found.regions), _slugs(found.sources)) == (["knee"], ["hip"])
    # With no other place, it stays the place asked.
    assert _slugs(understand("my hip gives me trouble", BASE_PLACES).regions) == ["hip"]


def test_one_question_causes_bounded_work() -> None:
    """A character that normalisation expands eighteen-fold, or a wall of
    invented words, reads at most MAX_WORDS words and works out at most
    MAX_NEW_SPELLINGS new spellings."""
    from app.lookup.text import MAX_NEW_SPELLINGS, MAX_WORDS

    vocab = Vocabulary([("shoulder", Term("region", "shoulder"))], LANGUAGE)
    expanding = "\ufdfa" * 500
    assert len(normalise(expanding).split()) > MAX_WORDS
    assert len(vocab.tokens(expanding)) <= MAX_WORDS
    invented = " ".join(f"qzx{chr(97 + i % 26)}{chr(97 + i // 26)}w" for i in range(100))
    before = len(vocab.speller._memo)
    vocab.tokens(invented)
    assert len(vocab.speller._memo) - before <= MAX_NEW_SPELLINGS
    # Words already known cost nothing new and are still read.
    assert [t.word for t in vocab.tokens(invented + " shoulder")][-1] == "shoulder"
