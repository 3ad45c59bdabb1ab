"""Problem families: one module each, registered with `probgen.registry.family`."""
