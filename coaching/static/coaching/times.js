// Progressive enhancement: session times are written on the server in Casablanca time; this
// shows them in the viewer's own time zone, and says which zone that is.
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === "Africa/Casablanca") return;
  var language = document.documentElement.lang || undefined;
  // Latin digits in every language, as the server writes them.
  var dateFormat = new Intl.DateTimeFormat(language, {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    timeZone: zone, numberingSystem: "latn"
  });
  var timeFormat = new Intl.DateTimeFormat(language, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone, numberingSystem: "latn"
  });
  var dayKey = new Intl.DateTimeFormat("en-CA", { timeZone: zone });

  function stamp(kind, when) {
    var element = document.createElement("time");
    element.setAttribute("datetime", when.toISOString());
    element.textContent = kind === "date" ? dateFormat.format(when) : timeFormat.format(when);
    return element;
  }

  document.querySelectorAll("[data-session-when]").forEach(function (block) {
    var times = block.querySelectorAll("time[datetime]");
    if (!times.length) return;
    var start = new Date(times[0].getAttribute("datetime"));
    var end = new Date(times[times.length - 1].getAttribute("datetime"));
    if (isNaN(start) || isNaN(end)) return;
    var zoneNote = document.createElement("span");
    zoneNote.className = "session-zone";
    zoneNote.textContent = (block.getAttribute("data-zone-template") || "(%(zone)s)")
      .replace("%(zone)s", zone.replace(/_/g, " "));
    var parts = [stamp("date", start), " · ", stamp("time", start), "–"];
    if (dayKey.format(start) !== dayKey.format(end)) parts.push(stamp("date", end), " ");
    parts.push(stamp("time", end), " ", zoneNote);
    block.title = block.textContent.replace(/\s+/g, " ").trim();
    block.replaceChildren.apply(block, parts);
  });
})();
