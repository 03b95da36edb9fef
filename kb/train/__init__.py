"""Training of kb's learned components from the shared corpus (``make train``); not used at run time."""
