"""The servers' periodic garbage collections during the soak (virage_site.garbage), read from
their logs: how many, and how long each paused its process (the collection, then the return
of the C allocator's free pages)."""

import re
import statistics

LINE = re.compile(
    r"garbage collection: (?P<objects>\d+) objects freed in (?P<collect_ms>[\d.]+) ms, "
    r"malloc_trim .*? in (?P<trim_ms>[\d.]+) ms"
)


def read(log_path):
    """[(objects freed, collection ms, trim ms)] of one server's log, in order."""
    found = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = LINE.search(line)
            if match:
                found.append(
                    (
                        int(match["objects"]),
                        float(match["collect_ms"]),
                        float(match["trim_ms"]),
                    )
                )
    return found


def summary(log_paths):
    """Per server: the number of collections, the median objects freed, and the median and
    longest pause (collection plus trim) in ms; None for a server that logged none."""
    servers = []
    for path in log_paths:
        collections = read(path)
        if not collections:
            servers.append(None)
            continue
        pauses = [collect_ms + trim_ms for _objects, collect_ms, trim_ms in collections]
        servers.append(
            {
                "collections": len(collections),
                "median_objects": statistics.median(objects for objects, _c, _t in collections),
                "median_ms": statistics.median(pauses),
                "max_ms": max(pauses),
                "median_trim_ms": statistics.median(trim_ms for _o, _c, trim_ms in collections),
            }
        )
    return servers


def describe(servers):
    """One sentence for RESULTS.md."""
    parts = []
    for number, figures in enumerate(servers, start=1):
        if figures is None:
            parts.append(f"server {number}: none logged")
            continue
        parts.append(
            f"server {number}: {figures['collections']} collections freeing a median of "
            f"{figures['median_objects']:,.0f} objects, a pause of {figures['median_ms']:.0f} ms "
            f"median ({figures['median_trim_ms']:.1f} ms of it returning pages), "
            f"{figures['max_ms']:.0f} ms at most"
        )
    return "; ".join(parts)
