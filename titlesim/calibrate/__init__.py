"""Calibration: fit the free assumptions of a scenario to a bureau's observed counts.

``titlesim calibrate SCENARIO --observed FILE`` (:mod:`titlesim.cli.calibrate`). The
observed-counts format: :mod:`titlesim.calibrate.observed`; the parameters that may be
fitted and their bounds: :mod:`titlesim.calibrate.parameters`; the fit:
:mod:`titlesim.calibrate.fit`; the report and the calibrated revision:
:mod:`titlesim.calibrate.report`.
"""
