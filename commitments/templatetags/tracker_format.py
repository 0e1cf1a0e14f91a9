"""Template filters over commitments.formatting: `{% load tracker_format %}`."""

from django import template

from .. import formatting, messages

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, case=formatting.NOMINATIVE):
    """`{{ day|long_date }}`; inside a sentence, `{{ day|long_date:"dative" }}` gives the Kazakh
    or Kyrgyz month the case its place needs (formatting.CASES)."""
    return formatting.long_date(value, case)


@register.filter(expects_localtime=True)
def short_date(value):
    return formatting.short_date(value)


@register.filter(is_safe=True)
def without_double_stop(value):
    """`{% filter without_double_stop %}…{{ day|long_date }}.{% endfilter %}`: removing a
    stop leaves safe markup safe."""
    return formatting.without_double_stop(value)


@register.filter
def amount(value, unit=""):
    return "" if value is None else formatting.format_amount(value, unit)


@register.filter
def number(value):
    return "" if value is None else formatting.format_number(value)


@register.filter
def place(value):
    """A meeting's location in the reader's language: "Bishkek, Kyrgyzstan" -> "Бишкек, ..."."""
    return formatting.place_name(value or "")


@register.filter
def note(value):
    """A stored note in the reader's language when the system wrote it (messages.system_note)."""
    return messages.system_note(value or "")
