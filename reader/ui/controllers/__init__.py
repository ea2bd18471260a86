"""Controllers: each feature's state and behaviour, Qt objects without widgets, announcing changes with signals."""
