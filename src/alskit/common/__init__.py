"""What the three studies share: running a stage (``cli``: errors, logging, interruptions; ``config``: typed
parameters), reading and writing (``tables``: users' tables, every cell accounted for; ``io``: atomic,
reproducible outputs), scoring (``metrics``, ``uncertainty``: bootstrap intervals over subjects), checking
(``audit``: leakage primitives), training Keras networks (``training``) and presenting (``plots``, ``report``).
"""
