"""``{% table %}``: every KERN table in a labelled, keyboard-reachable scroll box with a caption."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError

LIBRARIES = {"lotse": "lotse.core.templatetags.lotse"}


def render(source: str, **context: object) -> str:
    return Template("{% load i18n lotse %}" + source).render(Context(context))


def ids(html: str) -> list[str]:
    return re.findall(r' id="([^"]+)"', html)


def test_table_sits_in_a_focusable_region_labelled_by_its_caption():
    html = render(
        '{% translate "Fallakten, zuletzt eröffnete zuerst" as caption %}'
        '{% table caption %}\n  <tbody class="kern-table__body"><tr><td>1</td></tr></tbody>\n{% endtable %}'
    )
    assert html == (
        '<div class="kern-table-responsive" role="region" aria-labelledby="table-caption-1" tabindex="0">\n'
        '<table class="kern-table">\n'
        '  <caption id="table-caption-1" class="kern-sr-only">Fallakten, zuletzt eröffnete zuerst</caption>\n'
        '  <tbody class="kern-table__body"><tr><td>1</td></tr></tbody>\n'
        "</table>\n</div>"
    )


def test_extra_classes_join_kern_table():
    html = render('{% table "Fehler" class="kern-table--small assessment-table" %}{% endtable %}')
    assert '<table class="kern-table kern-table--small assessment-table">' in html
    assert '<table class="kern-table">' in render('{% table "Fehler" class=nothing %}{% endtable %}')


def test_two_tables_on_a_page_have_their_own_ids():
    html = render('{% table "Erste" %}{% endtable %}{% table "Zweite" %}{% endtable %}')
    assert ids(html) == ["table-caption-1", "table-caption-2"]
    assert re.findall(r'aria-labelledby="([^"]+)"', html) == ["table-caption-1", "table-caption-2"]


def test_an_include_rendered_twice_numbers_on_and_names_the_template():
    engine = Engine(
        libraries=LIBRARIES,
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "page.html": '{% include "partials/followup_table.html" with caption="Wiedervorlagen" %}'
                    '{% include "partials/followup_table.html" with caption="Aufgaben" only %}',
                    "partials/followup_table.html": "{% load lotse %}{% table caption %}{% endtable %}",
                },
            )
        ],
    )
    html = engine.get_template("page.html").render(Context())
    assert ids(html) == ["followup-table-caption-1", "followup-table-caption-2"]
    assert ">Wiedervorlagen</caption>" in html
    assert ">Aufgaben</caption>" in html


def test_each_render_counts_from_one():
    template = Template('{% load lotse %}{% table "Personen" %}{% endtable %}')
    assert ids(template.render(Context())) == ids(template.render(Context())) == ["table-caption-1"]


def test_caption_is_escaped_but_not_twice():
    name = "<script>alert(1)</script> & Co"
    assert ">&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</caption>" in render(
        "{% table name %}{% endtable %}", name=name
    )
    html = render(
        "{% blocktranslate with title=name asvar caption %}Maßnahmen zu „{{ title }}“{% endblocktranslate %}"
        "{% table caption %}{% endtable %}",
        name=name,
    )
    assert ">Maßnahmen zu „&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co“</caption>" in html


@pytest.mark.parametrize(
    "tag",
    ["{% table %}", '{% table class="kern-table--small" %}', '{% table "A" id="x" %}', '{% table "A" "B" %}'],
)
def test_a_table_without_caption_or_with_unknown_options_does_not_compile(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag + "{% endtable %}")
