"""Public benchmark formats: readers and writers of GermEval 2014, SpkAtt-2023, CheckThat!
and SemEval-2023 Task 3 files, the BIO tag helpers, and one metrics module.

WHY a package of its own: the CLI adapters (``tasks/``), the trainers (``train/``) and the
analyzers all read these formats and score with these metrics. Pure code (no typer, no
models), so every one of them can import it without pulling in the others.
"""
