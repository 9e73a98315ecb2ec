// Shows every <time data-local datetime="...Z"> in the reader's time zone (or the page's ?tz= zone,
// <body data-tz>), with Intl.DateTimeFormat; the server's UTC text stays as the no-JS fallback and
// as the tooltip. On a day page, offers the same day in the reader's zone. Text only: no innerHTML.
(function () {
  "use strict";
  var pageZone = document.body.dataset.tz || undefined;
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZoneName: "short", timeZone: pageZone || readerZone
    });
  } catch (e) {
    return;  // an unknown zone: keep the server's text
  }
  document.querySelectorAll("time[data-local][datetime]").forEach(function (el) {
    var instant = new Date(el.getAttribute("datetime"));
    if (isNaN(instant.getTime())) { return; }
    el.title = el.textContent.trim();
    el.textContent = format.format(instant);
    el.dataset.zone = pageZone || readerZone;
  });
  var slot = document.getElementById("tz-switch");
  if (slot && readerZone && readerZone !== slot.dataset.tz && !(readerZone === "UTC" && slot.dataset.tz === "UTC")) {
    var link = document.createElement("a");
    link.href = "/day/" + encodeURIComponent(slot.dataset.day) + "?tz=" + encodeURIComponent(readerZone);
    link.textContent = "Show " + slot.dataset.day + " in your time zone (" + readerZone + ")";
    link.id = "tz-reader";
    slot.appendChild(document.createTextNode(" "));
    slot.appendChild(link);
  }
})();
