"""The plan: what a build makes, as jobs, before anything is made.

In: the data set and the options (language modes, kinds, profiles, layout). Out: one
:class:`~.jobs.Job` per output to lay out, and the key of each of its files. The variants are
small registries: kinds and layouts (:mod:`.kinds`), papers (:mod:`.paper`) and profiles
(:mod:`.profiles`).
"""
