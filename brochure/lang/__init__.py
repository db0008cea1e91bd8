"""Languages: which languages an output is set in, and how each language is set.

In: the data's languages and the theme. Out: language modes (:mod:`.modes`), the templates'
fixed words and each language's dates and numbers (:mod:`.catalogues`), font stacks and line
breaking per language (:mod:`.typography`), and cores of large fonts (:mod:`.cores`).
"""
