"""The notice's rules, one small pure module each, in the order of the evaluation year:
flows, records, eligibility, application, exam, passline, validity, evaluation, posts,
mobility. Each takes arrays and parameters and returns arrays; randomness comes in as
uniforms or normals drawn by the caller (:mod:`titlesim.randomness`)."""
