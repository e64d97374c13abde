"""planreport tests."""
