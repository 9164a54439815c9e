"""Editor Markdown is rendered to HTML that cannot run script, and ordinary Markdown survives."""

from django.template import Context, Template
from django.test import SimpleTestCase

from editorial import markdown
from editorial.markdown import render_markdown

HOSTILE_SUMMARY = """\
The Protocol <script>alert("script")</script>supplements the Convention.

<img src="x.png" onerror="alert('img')"> and <a href="https://www.unodc.org/" onerror="alert('a')" \
onclick="alert('click')">a handler on an allowed tag</a>.

See [the text](javascript:alert(1)) or [mixed case](JaVaScRiPt:alert(1)) or \
<a href="java&#115;cript:alert(1)">an encoded scheme</a>.

Also [a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and \
![a data image](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=).

<iframe src="https://example.org/"></iframe><style>body { display: none }</style>
"""

ORDINARY_SUMMARY = """\
The *Protocol* supplements the **Convention**.

- extradition
- mutual legal assistance

1. first
2. second

Read [the Convention](https://www.unodc.org/unodc/en/treaties/CTOC/index.html "UNTOC").
"""


def render_through_filter(text):
    template = Template("{% load markdown_tags %}{{ text|markdown }}")
    return template.render(Context({"text": text}))


RENDERERS = {
    "render_markdown": lambda text: str(render_markdown(text)),
    "filter": render_through_filter,
}


class HostileMarkdownIsDefused(SimpleTestCase):
    def test_scripts_handlers_and_dangerous_schemes_are_removed(self):
        forbidden = [
            "<script", "alert(", "onerror", "onclick", "javascript:", "data:", "<img",
            "<iframe", "<style", "display: none",
        ]  # fmt: skip
        for name, render in RENDERERS.items():
            html = render(HOSTILE_SUMMARY).lower()
            for needle in forbidden:
                with self.subTest(renderer=name, needle=needle):
                    self.assertNotIn(needle.lower(), html)

    def test_the_text_around_removed_markup_is_kept(self):
        for name, render in RENDERERS.items():
            with self.subTest(renderer=name):
                html = render(HOSTILE_SUMMARY)
                self.assertIn("supplements the Convention.", html)
                self.assertIn(
                    '<a href="https://www.unodc.org/" rel="noopener noreferrer">'
                    "a handler on an allowed tag</a>",
                    html,
                )
                # The dangerous link keeps its words but loses its target.
                self.assertIn('<a rel="noopener noreferrer">the text</a>', html)

    def test_raw_html_text_is_not_double_escaped_by_the_filter(self):
        html = render_through_filter("Fish &amp; chips & peas")
        self.assertIn("Fish &amp; chips &amp; peas", html)
        self.assertNotIn("&amp;amp;", html)


class OrdinaryMarkdownSurvives(SimpleTestCase):
    def test_emphasis_lists_and_https_links_render(self):
        for name, render in RENDERERS.items():
            with self.subTest(renderer=name):
                html = render(ORDINARY_SUMMARY)
                self.assertIn("<em>Protocol</em>", html)
                self.assertIn("<strong>Convention</strong>", html)
                self.assertIn("<ul>\n<li>extradition</li>\n<li>mutual legal assistance</li>", html)
                self.assertIn("<ol>\n<li>first</li>", html)
                self.assertIn(
                    '<a href="https://www.unodc.org/unodc/en/treaties/CTOC/index.html" '
                    'title="UNTOC" rel="noopener noreferrer">the Convention</a>',
                    html,
                )

    def test_mailto_links_and_tables_are_allowed(self):
        html = str(
            render_markdown("[Write](mailto:tip@example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
        )
        self.assertIn('href="mailto:tip@example.org"', html)
        self.assertIn("<table>", html)
        self.assertIn("<td>1</td>", html)

    def test_empty_or_missing_text_renders_nothing(self):
        self.assertEqual(str(render_markdown("")), "")
        self.assertEqual(str(render_markdown(None)), "")
        self.assertEqual(render_through_filter(""), "")


class PagesNeverParseWhatTheyCannotAfford(SimpleTestCase):
    """A text that reached the database without the admin's check (the shell, a hand-made
    backup) is shown as plain paragraphs when it is too long or too deep, never parsed."""

    def test_an_overlong_text_is_shown_escaped_in_paragraphs(self):
        text = "<b>" + "[" * markdown.MAX_LENGTH + "\n\nnext"
        html = render_markdown(text)
        self.assertTrue(html.startswith("<p>&lt;b&gt;[[["))
        self.assertIn("<p>next</p>", html)

    def test_lists_nested_past_the_recursion_limit_are_shown_as_text(self):
        html = render_markdown("1. " * 3000)
        self.assertTrue(html.startswith("<p>1. 1. 1."))

    def test_the_worker_renders_what_the_page_would(self):
        text = "**Bold** [link](https://example.org) <script>x</script>"
        self.assertEqual(markdown.check_renders(text), render_markdown(text))
