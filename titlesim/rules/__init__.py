"""The notice's rules, one small pure module each, in the order of the evaluation year:
flows, records, eligibility, application, exam, passline (and route: who is in the ratio
groups and which route a candidate takes), validity, evaluation (and directed: which
titles are directed, and what a move out of grassroots does to one), posts (and
hiring_order), mobility. Each takes arrays and parameters and returns arrays; randomness
comes in as uniforms or normals drawn by the caller (:mod:`titlesim.randomness`)."""
