"""The public API: everything a user needs is importable from ``pe_schedule`` itself."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import types
import typing

import attrs
import pytest

import pe_schedule
import pe_schedule._internal


def _public_classes() -> list[type]:
    return [
        value
        for name in pe_schedule.__all__
        if isinstance(value := getattr(pe_schedule, name), type) and attrs.has(value)
    ]


def _our_types(hint: object) -> set[type]:
    """Every class of pe_schedule's own that a type hint names, unions and generics opened."""
    found: set[type] = set()
    if isinstance(hint, type):
        if hint.__module__.startswith("pe_schedule"):
            found.add(hint)
        return found
    for argument in typing.get_args(hint):
        found |= _our_types(argument)
    return found


class TestExports:
    """``pe_schedule.__all__`` is the whole public API, sorted and importable."""

    def test_every_name_is_importable(self) -> None:
        """Each listed name exists on the package."""
        missing = [name for name in pe_schedule.__all__ if not hasattr(pe_schedule, name)]
        assert missing == []

    def test_names_are_listed_once_in_order(self) -> None:
        """Constants, then classes, then functions, each group sorted, no name twice."""
        names = pe_schedule.__all__
        assert len(names) == len(set(names))
        constants = [n for n in names if n.isupper()]
        classes = [n for n in names if n[0].isupper() and not n.isupper()]
        functions = [n for n in names if not n[0].isupper()]
        assert names == [*sorted(constants), *sorted(classes), *sorted(functions)]

    def test_field_types_of_public_classes_are_public(self) -> None:
        """A user can name the type of every field of every public class."""
        exported = {id(getattr(pe_schedule, name)) for name in pe_schedule.__all__}
        unexported: set[str] = set()
        for cls in _public_classes():
            for field, hint in typing.get_type_hints(cls).items():
                if field.startswith("_"):
                    continue
                unexported |= {
                    f"{cls.__name__}.{field}: {kind.__name__}"
                    for kind in _our_types(hint)
                    if id(kind) not in exported
                }
        assert sorted(unexported) == []

    def test_public_enums_have_public_members_only(self) -> None:
        """Each exported enum is usable by value, as declarations and feeds write it."""
        for name in pe_schedule.__all__:
            value = getattr(pe_schedule, name)
            if isinstance(value, type) and issubclass(value, enum.Enum):
                for member in value:
                    assert value(member.value) is member


def _internal_modules() -> list[str]:
    prefix = pe_schedule._internal.__name__ + "."
    return [
        info.name
        for info in pkgutil.walk_packages(pe_schedule._internal.__path__, prefix)
        if not info.ispkg
    ]


class TestInternals:
    """The layers are private: their modules are named as such and say what they export."""

    @pytest.mark.parametrize("module", _internal_modules())
    def test_every_internal_module_states_its_exports(self, module: str) -> None:
        """Each internal module ends with an ``__all__`` naming only what it defines or re-exports."""
        loaded: types.ModuleType = importlib.import_module(module)
        names = getattr(loaded, "__all__", None)
        assert names is not None, f"{module} has no __all__"
        assert [name for name in names if not hasattr(loaded, name)] == []

    def test_the_public_package_lists_no_internal_module(self) -> None:
        """No module object is exported: users import names, never the layers."""
        assert [
            name
            for name in pe_schedule.__all__
            if isinstance(getattr(pe_schedule, name), types.ModuleType)
        ] == []
