"""The commands behind the CLI: build, check, report, status and diff."""
