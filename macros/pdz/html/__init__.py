"""Safe HTML primitives: escaping, the sanitiser of contributor Markdown, the Markdown converter
and the Content-Security-Policy. The lowest layer: it imports nothing else of the package."""
