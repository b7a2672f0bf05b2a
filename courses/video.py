"""Turns the video addresses editors paste into embed addresses, without calling the provider:
pages stay light and work offline, and only known providers can be framed."""

import re
from urllib.parse import parse_qs, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def embed_url(url):
    """The iframe address for a YouTube or Vimeo link, or None for any other address."""
    parsed = urlparse(url or "")
    if parsed.scheme != "https":
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host == "youtu.be":
        video_id = parsed.path.lstrip("/")
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/")):
            video_id = parsed.path.split("/")[2]
    if video_id is not None:
        if _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
    if host == "vimeo.com":
        candidate = parsed.path.strip("/").split("/")[0]
        if _VIMEO_ID.match(candidate):
            return f"https://player.vimeo.com/video/{candidate}"
    return None


def is_video_file(url):
    parsed = urlparse(url or "")
    return parsed.scheme == "https" and parsed.path.lower().endswith((".mp4", ".webm"))
