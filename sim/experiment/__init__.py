"""Running experiments: replications, executors, the results store and the results object.

The entry points are :func:`sim.experiment.runner.run` and
:func:`sim.experiment.results.load_results`, which return plain data; ``sim.run`` and
``sim.load_results`` (:mod:`sim.api`, the top layer) wrap them with the analysis layer's
summary, plots and report. Modules:

``errors``     bad run options (exit 2) and run failures (exit 1)
``layout``     the fixed file names of a results folder
``plan``       a validated run plan: arms, seed, replications, the resolved scenario
``tasks``      (arm, replication) tasks, chunking, and the worker function
``executors``  serial, process-pool and Dask executors behind one interface
``stream``     the task stream: tasks run on an executor, outputs handed on, failures worded
``store``      the ``<out>.partial/`` working folder: chunk files, resume, atomic commit
``assemble``   final tables written chunk by chunk (bounded memory)
``manifest``   provenance of a run (versions, git commit, timings)
``progress``   the progress bar, shown only on an interactive terminal
``runner``     :func:`run`, which ties them together (to a folder, or in memory)
``results``    :class:`Results` (plain data), :func:`save_results` and :func:`load_results`
"""
