"""Reader's Qt interface: the main window and its widgets (domain code lives outside this package). May import every package but cli."""
