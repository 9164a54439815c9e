"""Collect a bounded mix of public paths from a running portal, for the load test.

Starts at the home page and follows same-site links breadth first (pages, facet and filter links,
pagination), submits every GET form that has a text box with a few search terms, and prints each
path that answered 200, one per line. It only knows HTML, so it covers whatever pages exist.

    python loadtest/crawl.py http://127.0.0.1:8106 --max-pages 200 > paths.txt
"""

import argparse
import sys
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

SEARCH_TERMS = ["extradition", "mutual legal assistance", "victims", "joint investigation", "zzz"]
SKIP_PREFIXES = ("/admin/", "/healthz")
MAX_VARIANTS_PER_PATH = 25


def is_text_box(attrs):
    return bool(attrs.get("name")) and (attrs.get("type") or "text").lower() in {"text", "search"}


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.forms = []  # (action, text input names)
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href")
        if href and (tag == "a" or (tag == "link" and attrs.get("rel") == "stylesheet")):
            self.links.append(href)
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = (attrs.get("action") or "", [])
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and is_text_box(attrs):
            self._form[1].append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            kind = response.headers.get_content_type()
            body = response.read().decode("utf-8", "replace") if kind == "text/html" else ""
            return response.status, body
    except urllib.error.HTTPError as error:
        return error.code, ""


def crawl(base, max_pages):
    origin = urlsplit(base)
    queue, seen, ok = deque(["/"]), {"/"}, []
    variants = {}
    while queue and len(ok) < max_pages:
        path = queue.popleft()
        status, body = fetch(urljoin(base, path))
        if status != 200:
            print(f"skipping {path}: {status}", file=sys.stderr)
            continue
        ok.append(path)
        parser = LinkParser()
        parser.feed(body)
        found = list(parser.links)
        for action, names in parser.forms:
            for name in names:
                found += [f"{action or path}?{urlencode({name: term})}" for term in SEARCH_TERMS]
        for link in found:
            parts = urlsplit(urljoin(urljoin(base, path), link))
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                continue
            candidate = parts.path + (f"?{parts.query}" if parts.query else "")
            if candidate in seen or parts.path.startswith(SKIP_PREFIXES):
                continue
            if variants.get(parts.path, 0) >= MAX_VARIANTS_PER_PATH:
                continue
            variants[parts.path] = variants.get(parts.path, 0) + 1
            seen.add(candidate)
            queue.append(candidate)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8106")
    parser.add_argument("--max-pages", type=int, default=200)
    args = parser.parse_args()
    paths = crawl(args.base, args.max_pages)
    if not paths:
        sys.exit("The crawl found no page that answered 200.")
    print("\n".join(paths))


if __name__ == "__main__":
    main()
