"""Fixed texts the API returns with its answers."""

DISCLAIMER = (
    "Painmap is reference information about referred pain patterns, not a diagnosis. "
    "Pain can have causes other than muscles; see a qualified health professional if pain is "
    "severe, persistent, unexplained or comes with other symptoms."
)

SELF_CARE_DISCLAIMER = (
    "Self-care guidance for trigger points is general information, not a treatment plan. "
    "Press gently, stop if you feel numbness, tingling, sharp or spreading pain, and seek "
    "professional care if pain persists or you have a medical condition."
)
