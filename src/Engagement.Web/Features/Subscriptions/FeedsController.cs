using System.Globalization;
using System.ServiceModel.Syndication;
using System.Xml;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Engagement.Web.Platform.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>The four feeds, overall or for one unit (<c>?unit=</c>) or one topic (<c>?topic=</c>).</summary>
public static class Feeds
{
    public static readonly IReadOnlyList<string> Names = ["consultations", "reports", "meetings", "events"];

    /// <summary>The feeds a page offers for discovery (<c>&lt;link rel="alternate"&gt;</c> in the layout), by its path.</summary>
    public static IReadOnlyList<string> ForPath(string path) => path switch
    {
        "/" => Names,
        _ when path.StartsWith("/decisions", StringComparison.Ordinal) => ["consultations", "reports"],
        _ when path.StartsWith("/reports", StringComparison.Ordinal) => ["reports"],
        _ when path.StartsWith("/meetings", StringComparison.Ordinal) => ["meetings"],
        _ when path.StartsWith("/events", StringComparison.Ordinal) => ["events"],
        _ when path.StartsWith("/enterprise", StringComparison.Ordinal) => ["consultations", "reports", "events"],
        _ => [],
    };
}

public sealed record FeedIndexView(IReadOnlyList<Topic> Topics, IReadOnlyList<Admin.Unit> Units);

/// <summary>
/// Atom feeds (RFC 4287) for people who follow with a reader rather than e-mail: newest 50 entries, each linking to
/// its page, titles and summaries in the language asked for where the item has one, ids stable across renames.
/// </summary>
[AllowAnonymous, Route("feeds")]
public sealed class FeedsController(EngagementDbContext db, SiteLinks links, IStringLocalizer<SharedResource> text) : Controller
{
    private const int Size = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new FeedIndexView(await TopicList.OfferedAsync(db, ct), await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).ToListAsync(ct)));

    [HttpGet("{name}.atom")]
    public async Task<IActionResult> Feed(string name, int? unit, string? topic, CancellationToken ct)
    {
        if (!Feeds.Names.Contains(name)) return NotFound();
        if (unit is { } u && !await db.Units.AnyAsync(x => x.Id == u, ct)) return NotFound();
        int? topicId = null;
        if (topic is not null)
        {
            topicId = TopicList.IsCode(topic) ? await db.Set<Topic>().Where(t => t.Code == topic).Select(t => (int?)t.Id).SingleOrDefaultAsync(ct) : null;
            if (topicId is null) return NotFound();
        }
        var english = CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);
        var items = name switch
        {
            "consultations" => await ConsultationsAsync(unit, topicId, ct),
            "reports" => await ReportsAsync(unit, topicId, ct),
            "meetings" => await MeetingsAsync(unit, topicId, ct),
            _ => await EventsAsync(unit, topicId, ct),
        };
        var scope = unit is { } unitId ? await db.Units.Where(x => x.Id == unitId).Select(x => english && x.NameEn != "" ? x.NameEn : x.Name).SingleAsync(ct)
            : topic is not null ? await db.Set<Topic>().Where(t => t.Code == topic).Select(t => english ? t.NameEn : t.Name).SingleAsync(ct) : null;
        var title = text["Feed." + name].Value + (scope is null ? "" : string.Format(CultureInfo.CurrentCulture, text["Feed.Scope"], scope));
        var self = links.Absolute(Request.Path + Request.QueryString);
        var feed = new SyndicationFeed(title, text["Feed.Description"], new Uri(links.Absolute("/")), self, items.Count > 0 ? items.Max(i => i.LastUpdatedTime) : DateTimeOffset.UnixEpoch)
        {
            Language = english ? "en" : "zh-CN",
            Items = items,
        };
        feed.Links.Add(new SyndicationLink(new Uri(self), "self", title, "application/atom+xml", 0));
        feed.Authors.Add(new SyndicationPerson { Name = text["Feed.Author"] });
        var stream = new MemoryStream();
        await using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Async = true, Indent = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
        }
        stream.Position = 0;
        return File(stream, "application/atom+xml; charset=utf-8");
    }

    private SyndicationItem Item(string kind, int id, string title, string summary, string path, DateTimeOffset updated, DateTimeOffset? published = null)
    {
        // Whole characters only, and none XML cannot carry (a vertical tab pasted from a word processor).
        summary = Platform.Text.TextLength.ForXml(summary);
        if (Platform.Text.TextLength.Of(summary) > 500) summary = new System.Globalization.StringInfo(summary).SubstringByTextElements(0, 500) + "…";
        var item = new SyndicationItem(Platform.Text.TextLength.ForXml(title), summary, new Uri(links.Absolute(path)),
            $"tag:engagement.changning,2026:{kind}/{id}", updated);
        if (published is { } p) item.PublishDate = p;
        return item;
    }

    private IQueryable<int> Tagged(TaggedKind kind, int topic) => db.Set<TopicTag>().Where(t => t.Kind == kind && t.TopicId == topic).Select(t => t.ItemId);

    private async Task<List<SyndicationItem>> ConsultationsAsync(int? unit, int? topic, CancellationToken ct)
    {
        var query = db.Set<Decision>().AsNoTracking().Where(d => d.ConsultationOpensAt != null);
        if (unit is { } u) query = query.Where(d => d.UnitId == u);
        if (topic is { } t) query = query.Where(d => Tagged(TaggedKind.Decision, t).Contains(d.Id));
        var rows = await query.OrderByDescending(d => d.ConsultationOpensAt).Take(Size)
            .Select(d => new { d.Id, d.Title, d.Summary, Opens = d.ConsultationOpensAt!.Value, Closes = d.ConsultationClosesAt }).ToListAsync(ct);
        return rows.Select(d => Item("consultation", d.Id, d.Title,
            string.Format(CultureInfo.CurrentCulture, text["Feed.Consultation.Summary"], ChinaTime.ToChina(d.Opens).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                d.Closes is { } c ? ChinaTime.ToChina(c).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—", d.Summary),
            $"/decisions/{d.Id}", d.Opens, d.Opens)).ToList();
    }

    private async Task<List<SyndicationItem>> ReportsAsync(int? unit, int? topic, CancellationToken ct)
    {
        var query = db.Set<AdoptionReport>().AsNoTracking().Join(db.Set<Decision>(), r => r.DecisionId, d => d.Id, (r, d) => new { r, d });
        if (unit is { } u) query = query.Where(x => x.d.UnitId == u);
        if (topic is { } t) query = query.Where(x => Tagged(TaggedKind.Decision, t).Contains(x.d.Id));
        var rows = await query.OrderByDescending(x => x.r.PublishedAt).Take(Size)
            .Select(x => new { x.r.Id, x.d.Title, DecisionId = x.d.Id, x.r.Version, x.r.PublishedAt, x.r.Note }).ToListAsync(ct);
        return rows.Select(r => Item("report", (int)r.Id, string.Format(CultureInfo.CurrentCulture, text["Feed.Report.Title"], r.Title, r.Version),
            r.Note ?? text["Feed.Report.Summary"], r.Version == 1 ? $"/decisions/{r.DecisionId}/report" : $"/decisions/{r.DecisionId}/report/versions/{r.Version}",
            r.PublishedAt, r.PublishedAt)).ToList();
    }

    private async Task<List<SyndicationItem>> MeetingsAsync(int? unit, int? topic, CancellationToken ct)
    {
        var query = db.Set<Meeting>().AsNoTracking();
        if (unit is { } u) query = query.Where(m => m.UnitId == u);
        if (topic is { } t) query = query.Where(m => Tagged(TaggedKind.Meeting, t).Contains(m.Id));
        var rows = await query.OrderByDescending(m => m.ApplicationsOpenAt).Take(Size)
            .Select(m => new { m.Id, m.Title, m.Place, m.HeldAt, m.ApplicationsOpenAt, m.ApplicationsCloseAt, m.Seats }).ToListAsync(ct);
        return rows.Select(m => Item("meeting", m.Id, m.Title,
            string.Format(CultureInfo.CurrentCulture, text["Feed.Meeting.Summary"], ChinaTime.ToChina(m.HeldAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), m.Place, m.Seats,
                ChinaTime.ToChina(m.ApplicationsOpenAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), ChinaTime.ToChina(m.ApplicationsCloseAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            $"/meetings/{m.Id}", m.ApplicationsOpenAt, m.ApplicationsOpenAt)).ToList();
    }

    private async Task<List<SyndicationItem>> EventsAsync(int? unit, int? topic, CancellationToken ct)
    {
        var query = db.Set<OpenEvent>().AsNoTracking();
        if (unit is { } u) query = query.Where(e => e.UnitId == u);
        if (topic is { } t) query = query.Where(e => Tagged(TaggedKind.Event, t).Contains(e.Id));
        var rows = await query.OrderByDescending(e => e.RegistrationOpensAt).Take(Size)
            .Select(e => new { e.Id, e.Title, e.Description, e.StartsAt, e.RegistrationOpensAt, e.RegistrationClosesAt, Venue = e.Venue!.Name }).ToListAsync(ct);
        return rows.Select(e => Item("event", e.Id, e.Title,
            string.Format(CultureInfo.CurrentCulture, text["Feed.Event.Summary"], ChinaTime.ToChina(e.StartsAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Venue,
                ChinaTime.ToChina(e.RegistrationOpensAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), ChinaTime.ToChina(e.RegistrationClosesAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Description),
            $"/events/{e.Id}", e.RegistrationOpensAt, e.RegistrationOpensAt)).ToList();
    }
}
