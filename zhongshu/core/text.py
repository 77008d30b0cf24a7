"""Control characters: refused on input, cleaned at the edges (Excel, DOCX, PDF).

Refused: C0 controls except TAB, LF and CR; DEL and the C1 block (U+007F–U+009F); the non-characters
U+FFFE and U+FFFF; lone surrogates (U+D800–U+DFFF). `install()` (called from `CoreConfig.ready()`) adds the
validator to every Django form `CharField` and every DRF serializer `CharField`, so no form or serializer has to
remember it. `clean()` removes the same characters from text already stored, where a file format cannot hold them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

MESSAGE = "含有不可见的控制字符，请删除后再提交。"  # shown next to the field it concerns

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def has_controls(value: str) -> bool:
    return bool(_BAD.search(value))


def clean(value: str) -> str:
    """The text without the characters a file format (XML, xlsx, PDF) cannot carry."""
    return _BAD.sub("", value)


@deconstructible
class NoControlCharacters:
    message = MESSAGE
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_controls(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters)


no_control_characters = NoControlCharacters()


def install() -> None:
    """Every form and serializer CharField (and subclasses) refuses control characters."""
    from django import forms
    from rest_framework import serializers

    for cls in (forms.CharField, serializers.CharField):
        if no_control_characters not in cls.default_validators:
            cls.default_validators = [*cls.default_validators, no_control_characters]
