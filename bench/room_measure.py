"""The room benchmark's figures: the load clients' counts merged into one line per system, and
the goal checked against the ceiling."""

GOAL_THROUGHPUT = 0.8  # virage deliveries/s at least this times the ceiling's
GOAL_P95 = 2.0  # virage p95 at most this times the ceiling's
CEILING = "asgi-ceiling"
MEMBERS = 50  # per room: the fixture's cohorts (7 companies × 7 people) and their coach


def percentile_ms(ordered, fraction):
    if not ordered:
        return None  # JSON has no NaN
    return round(1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 1)


def summarise(name, results, per_connection_kib, server_cpu, args):
    """One system's figures; `server_cpu` is (user, system) in shares of a core."""
    sent = sum(r["sent"] for r in results)
    expected = sum(r["expected"] for r in results)
    delivered = sum(r["delivered"] for r in results)
    window = args.duration
    latencies = sorted(value for r in results for value in r["latencies"])
    errors = {}
    for r in results:
        for code, count in r["errors"].items():
            errors[code] = errors.get(code, 0) + count
    line = {
        "system": name,
        "deliveries_per_s": round(sum(r["window_deliveries"] for r in results) / window, 1),
        "loss": round(1 - delivered / expected, 4) if expected else None,
        "p50_ms": percentile_ms(latencies, 0.50),
        "p95_ms": percentile_ms(latencies, 0.95),
        "p99_ms": percentile_ms(latencies, 0.99),
        "offered_per_s": round(expected / window, 1),
        "idle_kib_per_connection": round(per_connection_kib, 1),
    }
    detail = {
        "messages_sent": sent,
        "deliveries_expected": expected,
        "deliveries_received": delivered,
        "duplicates": sum(r["duplicates"] for r in results),
        "unknown": sum(r["unknown"] for r in results),
        "gaps": sum(r["gaps"] for r in results),
        "errors": errors,
        "server_cpu": round(sum(server_cpu), 2),
        "server_cpu_user_system": [round(share, 2) for share in server_cpu],
        # CPU time of the server per delivery: less sensitive than rates to other work on
        # the machine, so the figure to compare variants by.
        "server_cpu_us_per_delivery": round(1e6 * sum(server_cpu) / line["deliveries_per_s"], 1)
        if line["deliveries_per_s"]
        else None,
        "client_cpu": [round(r["cpu_s"] / window, 2) for r in results],
        "send_lag_p99_ms": [r["send_lag_p99_ms"] for r in results],
        "drained_s": [r["drained_s"] for r in results],
    }
    return {"line": line, "detail": detail}


def verdict(rows):
    """Virage against the ceiling: throughput and p95 ratios, loss."""
    by_name = {row["line"]["system"]: row["line"] for row in rows}
    ceiling, virage = by_name[CEILING], by_name["virage"]
    throughput = virage["deliveries_per_s"] / ceiling["deliveries_per_s"]
    p95 = virage["p95_ms"] / ceiling["p95_ms"] if virage["p95_ms"] and ceiling["p95_ms"] else None
    met = (
        throughput >= GOAL_THROUGHPUT
        and p95 is not None
        and p95 <= GOAL_P95
        and virage["loss"] == 0
    )
    return {
        "met": met,
        "throughput": throughput,
        "p95": p95,
        "text": (
            f"virage {throughput:.2f}× ceiling deliveries/s (≥ {GOAL_THROUGHPUT}), p95 "
            f"{p95 if p95 is None else f'{p95:.2f}'}× (≤ {GOAL_P95}), loss {virage['loss']} — "
            + ("met" if met else "not met")
        ),
    }
