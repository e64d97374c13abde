"""planreport: action plans as validated YAML; committee update papers from them."""

__version__ = "0.1.0"
