"""Models of the Clearingstelle, one module per subject (register import; arrival interviews follow)."""

from lotse.clearing.models.register_import import RegisterImport

__all__ = ["RegisterImport"]
