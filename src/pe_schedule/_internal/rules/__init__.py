"""Rules a cohort's grid must follow: a registry of rule kinds, and the check.

Importing the package registers every kind in :mod:`.kinds`.
"""

from pe_schedule._internal.rules import kinds as _kinds
from pe_schedule._internal.rules.registry import RULE_KINDS, check, contradictions, rule_kind

del _kinds

__all__ = ["RULE_KINDS", "check", "contradictions", "rule_kind"]
