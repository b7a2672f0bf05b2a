"""A corpus of cross-site-scripting payloads, filter-evasion forms included.

Every payload calls a sink the browser tests watch, `__xss(n)` (or, for a few, `alert(n)`, to
exercise the dialog watch too), with `n` its own number, so a run names the payload that got
through. The forms cover the contexts a text lands in: HTML between tags, inside an attribute,
inside `<textarea>`/`<title>`/`<script>`/`<style>` elements, in a link's address, in SVG and
MathML (namespace confusion), and text that only turns into markup after some decoding
(entities, fullwidth characters, JSON escapes, template engines).

Each is short enough for the shortest field a user writes (a person's name: 150 characters)
once a marker is put before it (see `marked`). None holds a NUL character: forms and the room
refuse those outright (PostgreSQL cannot store them), which their own tests check.
"""

SINK = "__xss"

# `{n}` is the payload's number. Kept as a list: its order gives the numbers.
TEMPLATES = [
    # Plain markup, as the textbooks write it.
    "<script>__xss({n})</script>",
    "<img src=x onerror=__xss({n})>",
    "<svg onload=__xss({n})>",
    "<body onload=__xss({n})>",
    "<details open ontoggle=__xss({n})>",
    "<input autofocus onfocus=__xss({n})>",
    "<video><source onerror=__xss({n})></video>",
    '<iframe srcdoc="<script>top.__xss({n})</script>"></iframe>',
    "<iframe src=javascript:top.__xss({n})></iframe>",
    "<object data=javascript:top.__xss({n})></object>",
    "<img src=x onerror=alert({n})>",
    # Mixed case, odd spacing and separators that lenient parsers accept.
    "<ScRiPt>__xss({n})</sCrIpT>",
    "<IMG SRC=x OnErRoR=__xss({n})>",
    "<img/src=x/onerror=__xss({n})>",
    "<img src=x onerror\n=__xss({n})>",
    "<<script>__xss({n});//<</script>",
    # Breaking out of an attribute, an element whose content is text, or a script.
    '" autofocus onfocus="__xss({n})" x="',
    "' autofocus onfocus='__xss({n})' x='",
    '"><img src=x onerror=__xss({n})>',
    "</textarea><img src=x onerror=__xss({n})>",
    "</title><img src=x onerror=__xss({n})>",
    "</style><img src=x onerror=__xss({n})>",
    "</script><script>__xss({n})</script>",
    '<!--<img src="--><img src=x onerror=__xss({n})//">',
    "';__xss({n});//",
    '";__xss({n});//',
    # Links: a `javascript:` or `data:` address, plain, entity-encoded, split by a tab.
    "javascript:__xss({n})",
    "[click](javascript:__xss({n}))",
    '<a href="javascript:__xss({n})">click</a>',
    '<a href="jav&#x09;ascript:__xss({n})">click</a>',
    '<a href="&#106;avascript:__xss({n})">click</a>',
    '<a href="data:text/html,<script>top.__xss({n})</script>">click</a>',
    '<form action="javascript:__xss({n})"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss({n})">',
    # Encoded: entities, double encoding, JSON escapes, fullwidth brackets.
    "&lt;img src=x onerror=__xss({n})&gt;",
    "&amp;lt;script&amp;gt;__xss({n})&amp;lt;/script&amp;gt;",
    "\\u003cimg src=x onerror=__xss({n})\\u003e",
    "\uff1cimg src=x onerror=__xss({n})\uff1e",
    "<scr\u200bipt>__xss({n})</scr\u200bipt>",
    # Namespace confusion (SVG, MathML) and parser quirks sanitisers have missed.
    "<svg><script>__xss({n})</script></svg>",
    "<svg><style><img src=x onerror=__xss({n})></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss({n})>",
    '<svg><a href="javascript:__xss({n})"><text y=9>click</text></a></svg>',
    '<noscript><p title="</noscript><img src=x onerror=__xss({n})>">',
    # CSS, and template engines (server- or client-side) that would evaluate the text.
    '<div style="width:expression(__xss({n}))">css</div>',
    "{{{{constructor.constructor('__xss({n})')()}}}}",
    "{{% debug %}}${{__xss({n})}}",
    # Last: it leaves its tag open, so in a batch it would swallow the next payload's marker.
    "<svg/onload=__xss({n})//",
]

PAYLOADS = [template.format(n=number) for number, template in enumerate(TEMPLATES, start=1)]

# Payloads that are inert as they stand in HTML, whatever the context: they run only if some
# code decodes them first (entities, JSON escapes, Unicode normalisation, zero-width characters
# removed, Markdown, a template engine). Every other one runs when written unescaped.
NEED_DECODING = {
    number
    for number, template in enumerate(TEMPLATES, start=1)
    if template.startswith(("&", "\\u", "\uff1c", "<scr\u200b", "[click]", "{{"))
}


def marked(field, number):
    """The payload `number` (1-based) behind a marker naming the field it was sent through:
    the marker is plain text that survives any sanitising, so a test can tell the text was
    shown (and not dropped) even where the payload itself is stripped to nothing."""
    return f"{marker(field, number)} {PAYLOADS[number - 1]}"


def marker(field, number):
    return f"[{field}{number}]"


def numbers(count=None, start=1):
    """Payload numbers, `count` of them from `start` (all by default), wrapping around."""
    total = len(PAYLOADS)
    count = total if count is None else count
    return [(start - 1 + offset) % total + 1 for offset in range(count)]


def batch(field, chosen, separator="\n"):
    """Several marked payloads in one text, for long fields (an agenda, a chat message)."""
    return separator.join(marked(field, number) for number in chosen)
