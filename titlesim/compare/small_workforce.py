"""Whether a comparison's workforce is too small for a revision's change to show.

Said (in the report's comparison section and in ``titlesim compare``'s summary) when, on
the comparison's own numbers, all of these hold (docs/guide.md, 队伍太小):

- the revision changes at least one parameter of the model (not only the replicates or seed);
- every headline outcome's 90 % interval of the paired difference over the horizon holds 0;
- the workforce is the model's (no roster) and has fewer than :data:`SMALL_WORKFORCE` people.

Rules applied group by group (the ratio pass line of each specialty, the posts of each unit)
round to the same numbers when the groups are small, so a revision can change nothing for
anyone in a small workforce and still matter in a city's. The words suggest comparing again
with ten times the workforce.
"""
from __future__ import annotations

from dataclasses import dataclass

from titlesim.compare.diff import RUN_SETTINGS

# the shipped revision raising the ratio from 0.5 to 0.6 shows (interval above 0) over 3
# years at 20,000 people, not at 10,000 (docs/guide.md)
SMALL_WORKFORCE = 20_000
GROWTH = 10  # the suggested workforce: this many times the compared one


@dataclass(frozen=True)
class TooSmall:
    """The numbers the words give: people, parameters changed, headline outcomes
    compared and how many of them were exactly the same in every replicate, and the
    workforce suggested."""

    people: int
    changed: int
    outcomes: int
    unchanged: int
    suggested: int


def too_small_to_show(cmp, revision: str) -> TooSmall | None:
    """:class:`TooSmall` when the workforce of ``cmp`` is too small for ``revision``'s
    change to show (see the module's docstring), else None."""
    population = cmp.scenarios[cmp.base_name].params.population
    if population.roster is not None or population.size >= SMALL_WORKFORCE:
        return None
    diff = cmp.diff
    changed = diff[(diff["revision"] == revision) & ~diff["key"].isin(RUN_SETTINGS)]
    impact = cmp.impact
    total = impact[(impact["year"] == "total") & (impact["revision"] == revision)]
    if changed.empty or total.empty:
        return None
    if not ((total["diff_lo"] <= 0) & (total["diff_hi"] >= 0)).all():
        return None
    unchanged = int(((total["diff_lo"] == 0) & (total["diff_hi"] == 0)
                     & (total["diff_mean"] == 0)).sum())
    return TooSmall(people=int(population.size), changed=len(changed), outcomes=len(total),
                    unchanged=unchanged, suggested=population.size * GROWTH)


def in_words(found: TooSmall, revision_title: str, lang: str) -> str:
    """The sentence for people: what was seen, why it may be, what to do."""
    from titlesim.report.words import num, say
    seen = (say("small_workforce_all_unchanged", lang) if found.unchanged == found.outcomes else
            say("small_workforce_all_hold_zero", lang, unchanged=found.unchanged))
    return say("small_workforce", lang, people=num(found.people), revision=revision_title,
               n=found.changed, seen=seen, suggested=found.suggested)
