"""Image adapters: pixel measurements for photo quality and metadata stripping."""
