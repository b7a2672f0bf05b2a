"""The soak's memory figures: each server's RSS over time, against its RSS once warmed up.

The first third of the run is the warm-up (code loaded on first use, the database connection,
caches and the allocator's arenas filling); what counts is the rest. Growth after warm-up is
read two ways, per server: the ratio of its RSS at the end to its RSS at the end of the
warm-up, and the slope of a least-squares line through the samples after warm-up (MiB a
minute). A steady server holds within `GOAL_RATIO` of its warmed-up RSS at the end, and its
slope, carried over an hour, stays within `GOAL_HOURLY_SHARE` of it: a ratio alone would pass a
server that grows slowly but for ever, as long as the run is short enough."""

WARMUP_SHARE = 1 / 3
GOAL_RATIO = 1.05
GOAL_HOURLY_SHARE = 0.05


def slope_per_minute(points):
    """The least-squares slope of (seconds, KiB) points, in MiB a minute (0 for fewer than
    two points)."""
    if len(points) < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if not spread:
        return 0.0
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / spread  # KiB a second
    return slope * 60 / 1024


def analyse(samples, seconds):
    """`samples`: [(seconds since the load started, [RSS KiB of each server])], the first
    taken before the load. Per server: RSS before the load, after warm-up and at the end, the
    ratio of the end to after warm-up, and the slope after warm-up; and the verdict."""
    warm_at = seconds * WARMUP_SHARE
    after = [sample for sample in samples if sample[0] >= warm_at]
    if len(after) < 2:
        raise SystemExit("bench: too few memory samples after warm-up (a longer run?)")
    servers = []
    for index in range(len(samples[0][1])):
        warmed = after[0][1][index]
        end = after[-1][1][index]
        servers.append(
            {
                "before_kib": samples[0][1][index],
                "warmed_kib": warmed,
                "end_kib": end,
                "end_ratio": end / warmed,
                "peak_ratio": max(rss[index] for _t, rss in after) / warmed,
                "slope_mib_per_min": slope_per_minute([(t, rss[index]) for t, rss in after]),
            }
        )
    for server in servers:
        server["hourly_share"] = hourly_share(server)
    met = all(
        server["end_ratio"] <= GOAL_RATIO and server["hourly_share"] <= GOAL_HOURLY_SHARE
        for server in servers
    )
    worst_ratio = max(server["end_ratio"] for server in servers)
    worst_share = max(server["hourly_share"] for server in servers)
    return {
        "warm_at_s": warm_at,
        "servers": servers,
        "met": met,
        "text": (
            f"RSS at the end / after warm-up: at most {worst_ratio:.3f} (goal ≤ {GOAL_RATIO}); "
            f"the slope after warm-up, carried over an hour: at most {worst_share:+.1%} of the "
            f"RSS after warm-up (goal ≤ {GOAL_HOURLY_SHARE:.0%}) — "
            + ("met: no growth after warm-up" if met else "not met: memory grows")
        ),
    }


def hourly_share(server):
    """What the server's slope after warm-up adds in an hour, as a share of its warmed RSS."""
    return server["slope_mib_per_min"] * 60 * 1024 / server["warmed_kib"]
