"""The plan side: loading, validating and modelling a plan, its dates, standing and rules."""
