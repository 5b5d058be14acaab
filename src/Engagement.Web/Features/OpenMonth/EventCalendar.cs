using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>iCalendar (RFC 5545) for the programme and for one event, so residents can add them to their own calendars.</summary>
public static class EventCalendar
{
    public static string Write(IEnumerable<(OpenEvent Event, string Url)> events)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Changning District//Engagement//ZH" };
        calendar.AddProperty("X-WR-CALNAME", "长宁区政府开放活动");
        foreach (var (e, url) in events)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"event-{e.Id}@engagement",
                Summary = e.Title,
                Description = e.Description,
                Location = e.Venue is null ? null : $"{e.Venue.Name}，{e.Venue.Address}",
                DtStart = new CalDateTime(e.StartsAt.UtcDateTime, "UTC"),
                DtEnd = new CalDateTime(e.EndsAt.UtcDateTime, "UTC"),
                Url = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
