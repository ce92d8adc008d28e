"""The capture sandbox's helpers (a name no submit script's own module will shadow)."""
