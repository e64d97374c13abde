"""Schema checks generated from schema/*.schema.json by scripts/compile_schemas.py."""
