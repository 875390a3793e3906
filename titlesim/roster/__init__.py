"""A bureau's own workforce list (人员花名册) as the starting workforce.

``titlesim roster check FILE`` checks a roster; a scenario's ``population: {roster: FILE}``
(a path relative to the scenario file) simulates it. Columns: :mod:`titlesim.roster.columns`;
privacy (salted hashes, identifiers dropped): :mod:`titlesim.roster.privacy`.
"""
from titlesim.roster.read import Roster, read_roster
from titlesim.roster.workforce import roster_workforce

__all__ = ["Roster", "read_roster", "roster_workforce"]
