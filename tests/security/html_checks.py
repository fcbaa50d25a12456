"""Find markup a strict Content-Security-Policy would block."""

from __future__ import annotations

from html.parser import HTMLParser

NON_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script: dict[str, str] | None = None
        self._script_body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        for name, value in attr.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}"> inline style attribute')
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._in_script = attr
            self._script_body = []

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._script_body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            attr = self._in_script
            body = "".join(self._script_body).strip()
            if attr.get("type", "").lower() not in NON_SCRIPT_TYPES:
                if "src" not in attr:
                    self.problems.append(f"inline <script> without src: {body[:60]!r}")
                elif body:
                    self.problems.append("<script src> with an inline body")
            self._in_script = None


def csp_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
