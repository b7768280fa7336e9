"""Sweeps: how robust a plan is when the numbers of an instance are uncertain.

A sweep file names uncertain quantities (dotted paths, as in a scenario's `scale`) and relative
ranges; each of `samples` samples multiplies them by random factors, drawn from (seed, sample)
only, and is solved like a scenario. The outputs say how often each city hosts each segment
(robustness) and what keeping the unperturbed plan's hosts costs against each sample's own
optimum (regret).

Stages, in the order of the pipeline:

    spec.py       the sweep file (validated like an instance)
    sample.py     draws of a sample and their application to a scenario document
    regret.py     one sample, one build: base hosts kept (column bounds), then free
    worker.py     one task → one record, with the per-worker cache
    executors.py  in-process, local process pool, Dask cluster
    store.py      per-sample files (atomic) and resume
    outputs.py    samples.csv, regret.csv, robustness.csv, summary.json
    run.py        run_sweep: the orchestration, progress line and exit codes
"""
