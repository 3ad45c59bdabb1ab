"""Problem families: one module each, registered with `probgen.core.registry.family`."""
