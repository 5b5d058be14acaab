using System.Globalization;
using System.Text;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Engagement.Web.Platform.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>Something that happened to an item, with what it concerns: its unit, its topics, whether it concerns enterprises.</summary>
public sealed record Happening(NoticeEvent Event, TaggedKind Kind, int ItemId, string Title, string Url, DateTimeOffset At, int? UnitId,
    IReadOnlyCollection<string> Topics, bool EnterpriseRelated);

/// <summary>
/// 精准推送. Each round: find what happened lately (a consultation opened, an adoption report published, a meeting
/// opened applications, an event opened registration, a live session was scheduled), match it to the people who follow
/// its unit, street, topics or enterprise matters since before it happened, and write one <see cref="Notice"/> per
/// person and item (unique, so never twice). Then send: people told at once get one e-mail per notice; people on the
/// weekly digest get one e-mail on Monday from 08:00 China time listing the week's notices. Every e-mail goes through
/// the outbox in the person's language, with a one-click unsubscribe (RFC 8058).
/// </summary>
public sealed class NoticeService(EngagementDbContext db, TimeProvider clock, Platform.Outbox.Outbox outbox, SiteLinks links,
    IStringLocalizer<SharedResource> text)
{
    /// <summary>How far back a round looks, so a round missed (a restart, a deployment) is caught up.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(7);

    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var happenings = await HappeningsAsync(now - LookBack, now, ct);
        if (happenings.Count == 0) return 0;
        var subscriptions = await db.Set<Subscription>().AsNoTracking().ToListAsync(ct);
        if (subscriptions.Count == 0) return 0;
        var streets = (await db.Units.AsNoTracking().Where(u => u.Kind == UnitKind.StreetOffice || u.Kind == UnitKind.Town).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        // By the items' keys, not by date: an item whose date moved (a consultation extended, re-dated) was told of already.
        var itemIds = happenings.Select(h => h.ItemId).Distinct().ToList();
        var existing = (await db.Set<Notice>().AsNoTracking().Where(n => itemIds.Contains(n.ItemId))
            .Select(n => new { n.UserId, n.Event, n.ItemKind, n.ItemId }).ToListAsync(ct))
            .Select(n => (n.UserId, n.Event, n.ItemKind, n.ItemId)).ToHashSet();
        var added = 0;
        foreach (var happening in happenings)
        {
            var people = subscriptions.Where(s => s.CreatedAt <= happening.At && Matches(s, happening, streets)).Select(s => s.UserId).Distinct();
            foreach (var person in people)
            {
                if (!existing.Add((person, happening.Event, happening.Kind, happening.ItemId))) continue;
                db.Add(new Notice
                {
                    UserId = person, Event = happening.Event, ItemKind = happening.Kind, ItemId = happening.ItemId,
                    Title = happening.Title.Length > 300 ? happening.Title[..300] : happening.Title, Url = happening.Url,
                    HappenedAt = happening.At, CreatedAt = now,
                });
                added++;
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance wrote some of the same notices meanwhile: theirs stand, this round's are dropped and
            // the next round adds whatever is still missing.
            db.ChangeTracker.Clear();
            return 0;
        }
        return added;
    }

    public static bool Matches(Subscription subscription, Happening happening, IReadOnlySet<int> streets) => subscription.Kind switch
    {
        SubscriptionKind.Unit => happening.UnitId is { } unit && subscription.Value == unit.ToString(CultureInfo.InvariantCulture),
        SubscriptionKind.Street => happening.UnitId is { } street && streets.Contains(street) && subscription.Value == street.ToString(CultureInfo.InvariantCulture),
        SubscriptionKind.Topic => happening.Topics.Contains(subscription.Value),
        SubscriptionKind.Enterprise => happening.EnterpriseRelated,
        _ => false,
    };

    /// <summary>What happened between the two instants, with what each thing concerns.</summary>
    public async Task<IReadOnlyList<Happening>> HappeningsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var tags = (await db.Set<TopicTag>().AsNoTracking().Select(t => new { t.Kind, t.ItemId, t.Topic!.Code }).ToListAsync(ct))
            .ToLookup(t => (t.Kind, t.ItemId), t => t.Code);
        IReadOnlyCollection<string> Topics(TaggedKind kind, int id) => tags[(kind, id)].ToList();
        var list = new List<Happening>();

        var opened = await db.Set<Decision>().AsNoTracking().Where(d => d.ConsultationOpensAt > from && d.ConsultationOpensAt <= to)
            .Select(d => new { d.Id, d.Title, d.UnitId, d.EnterpriseRelated, At = d.ConsultationOpensAt!.Value }).ToListAsync(ct);
        list.AddRange(opened.Select(d => new Happening(NoticeEvent.ConsultationOpened, TaggedKind.Decision, d.Id, d.Title, $"/decisions/{d.Id}", d.At,
            d.UnitId, Topics(TaggedKind.Decision, d.Id), d.EnterpriseRelated)));

        // A report's first version only: a correction is not news to followers (its page says what changed).
        var reports = await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.Version == 1 && r.PublishedAt > from && r.PublishedAt <= to)
            .Join(db.Set<Decision>(), r => r.DecisionId, d => d.Id, (r, d) => new { d.Id, d.Title, d.UnitId, d.EnterpriseRelated, At = r.PublishedAt })
            .ToListAsync(ct);
        list.AddRange(reports.Select(d => new Happening(NoticeEvent.ReportPublished, TaggedKind.Decision, d.Id, d.Title, $"/decisions/{d.Id}/report", d.At,
            d.UnitId, Topics(TaggedKind.Decision, d.Id), d.EnterpriseRelated)));

        var meetings = await db.Set<Meeting>().AsNoTracking().Where(m => m.ApplicationsOpenAt > from && m.ApplicationsOpenAt <= to)
            .Select(m => new { m.Id, m.Title, m.UnitId, At = m.ApplicationsOpenAt }).ToListAsync(ct);
        list.AddRange(meetings.Select(m => new Happening(NoticeEvent.ApplicationsOpened, TaggedKind.Meeting, m.Id, m.Title, $"/meetings/{m.Id}", m.At,
            m.UnitId, Topics(TaggedKind.Meeting, m.Id), false)));

        var events = await db.Set<OpenEvent>().AsNoTracking().Where(e => e.RegistrationOpensAt > from && e.RegistrationOpensAt <= to)
            .Select(e => new { e.Id, e.Title, e.UnitId, At = e.RegistrationOpensAt }).ToListAsync(ct);
        list.AddRange(events.Select(e => new Happening(NoticeEvent.RegistrationOpened, TaggedKind.Event, e.Id, e.Title, $"/events/{e.Id}", e.At,
            e.UnitId, Topics(TaggedKind.Event, e.Id), Topics(TaggedKind.Event, e.Id).Contains(TopicList.Business))));

        // A live session concerns what it belongs to: its event's or meeting's unit and topics.
        // Only a session its event's or meeting's own unit (or an admin) created is announced to that item's followers:
        // anyone with the host role may attach a session to anything, and must not thereby mail another unit's followers.
        var sessions = await db.Set<LiveSession>().AsNoTracking().Where(s => s.CreatedAt > from && s.CreatedAt <= to && (s.EventId != null || s.MeetingId != null))
            .Select(s => new
            {
                s.Id, s.JoinCode, s.Title, s.EventId, s.MeetingId, EventUnit = (int?)s.Event!.UnitId, MeetingUnit = s.Meeting!.UnitId, At = s.CreatedAt,
                CreatorUnit = db.Users.Where(u => u.Id == s.CreatedById).Select(u => u.UnitId).FirstOrDefault(),
                CreatorIsAdmin = db.UserRoles.Any(r => r.UserId == s.CreatedById && db.Roles.Any(role => role.Id == r.RoleId && role.Name == Accounts.Roles.Admin)),
            })
            .ToListAsync(ct);
        var districtOffice = await db.Units.Where(u => u.IsDistrictOffice).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        sessions = sessions.Where(s => s.CreatorIsAdmin || (s.CreatorUnit is { } unit && unit == (s.EventUnit ?? s.MeetingUnit ?? districtOffice))).ToList();
        list.AddRange(sessions.Select(s =>
        {
            var topics = s.EventId is { } e ? Topics(TaggedKind.Event, e) : s.MeetingId is { } m ? Topics(TaggedKind.Meeting, m) : [];
            return new Happening(NoticeEvent.LiveScheduled, TaggedKind.LiveSession, s.Id, s.Title, $"/live/{s.JoinCode}", s.At,
                s.EventUnit ?? s.MeetingUnit, topics, topics.Contains(TopicList.Business));
        }));
        return list;
    }

    /// <summary>Sends what is due: every unsent notice of people told at once; the week's notices of people on the digest, on Monday from 08:00.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var waiting = await db.Set<Notice>().Where(n => n.SentAt == null).Select(n => n.UserId).Distinct().ToListAsync(ct);
        var mails = 0;
        foreach (var person in waiting)
        {
            var settings = await SettingsAsync(person, ct);
            var user = await db.Users.AsNoTracking().Where(u => u.Id == person).Select(u => new { u.Email, u.EmailConfirmed, u.DisplayName }).SingleOrDefaultAsync(ct);
            if (user?.Email is null || !user.EmailConfirmed) continue;
            // The digest carries what was noticed before the last Monday 08:00 (caught up later if the job was down then);
            // what comes after waits for the next Monday.
            var monday = DigestTime(now);
            var cutoff = settings.Delivery == Delivery.Weekly ? (now >= monday ? monday : monday.AddDays(-7)) : DateTimeOffset.MaxValue;
            if (!await db.Set<Notice>().AnyAsync(n => n.UserId == person && n.SentAt == null && n.CreatedAt < cutoff, ct)) continue;
            try
            {
                mails += await SendToAsync(person, settings, user.Email, user.DisplayName, cutoff, now, ct);
            }
            catch (Exception error) when (error is DbUpdateException or InvalidOperationException)
            {
                // One person's failure (a deleted account meanwhile) does not stop the others; their notices wait for the next round.
                db.ChangeTracker.Clear();
            }
        }
        return mails;
    }

    private async Task<int> SendToAsync(Guid person, SubscriptionSettings settings, string email, string displayName, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken ct)
    {
        var mails = 0;
        var user = new { Email = email, DisplayName = displayName };
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var notices = await db.Set<Notice>().AsNoTracking().Where(n => n.UserId == person && n.SentAt == null && n.CreatedAt < cutoff)
                .OrderBy(n => n.HappenedAt).ThenBy(n => n.Id).ToListAsync(ct);
            var ids = notices.Select(n => n.Id).ToList();
            // Claimed before the mail is written: if another instance claimed any of them meanwhile, this one stands back.
            var claimed = await db.Set<Notice>().Where(n => ids.Contains(n.Id) && n.SentAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.SentAt, now), ct);
            if (notices.Count == 0 || claimed != notices.Count)
            {
                await transaction.RollbackAsync(ct);
                return 0;
            }
            using (MailCulture.Of(settings.Language))
            {
                var unsubscribe = links.Absolute($"/unsubscribe/{settings.UnsubscribeToken}");
                // RFC 8058 needs an absolute https address; a development machine without Site:PublicUrl goes without.
                var headers = Uri.IsWellFormedUriString(unsubscribe, UriKind.Absolute)
                    ? $"List-Unsubscribe: <{unsubscribe}>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click" : null;
                if (settings.Delivery == Delivery.Weekly)
                {
                    var body = new StringBuilder(string.Format(CultureInfo.CurrentCulture, text["Notice.Digest.Intro"], user.DisplayName, notices.Count)).Append("\n\n");
                    foreach (var notice in notices) body.Append(Line(notice)).Append('\n');
                    body.Append('\n').Append(string.Format(CultureInfo.CurrentCulture, text["Notice.Footer"], links.Absolute("/profile/subscriptions"), unsubscribe));
                    outbox.Email(user.Email, string.Format(CultureInfo.CurrentCulture, text["Notice.Digest.Subject"], notices.Count), body.ToString()).Headers = headers;
                    settings.LastDigestAt = now;
                    mails++;
                }
                else
                {
                    foreach (var notice in notices)
                    {
                        var body = string.Format(CultureInfo.CurrentCulture, text["Notice.One.Body"], user.DisplayName, Line(notice))
                            + "\n\n" + string.Format(CultureInfo.CurrentCulture, text["Notice.Footer"], links.Absolute("/profile/subscriptions"), unsubscribe);
                        outbox.Email(user.Email, string.Format(CultureInfo.CurrentCulture, text["Notice.One.Subject"], text["Notice.Event." + notice.Event].Value, notice.Title), body).Headers = headers;
                        mails++;
                    }
                }
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return mails;
    }

    private string Line(Notice notice) =>
        string.Format(CultureInfo.CurrentCulture, text["Notice.Line"], text["Notice.Event." + notice.Event].Value, notice.Title,
            ChinaTime.ToChina(notice.HappenedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), links.Absolute(notice.Url));

    /// <summary>This week's digest time: Monday 08:00 in China.</summary>
    public static DateTimeOffset DigestTime(DateTimeOffset now)
    {
        var china = ChinaTime.ToChina(now);
        var monday = china.Date.AddDays(-(((int)china.DayOfWeek + 6) % 7)).AddHours(8);
        return ChinaTime.FromChina(DateTime.SpecifyKind(monday, DateTimeKind.Unspecified)).ToUniversalTime();
    }

    /// <summary>A person's settings, made with defaults (told at once, in the language of the request) the first time.</summary>
    public async Task<SubscriptionSettings> SettingsAsync(Guid person, CancellationToken ct = default)
    {
        var settings = await db.Set<SubscriptionSettings>().SingleOrDefaultAsync(s => s.UserId == person, ct);
        if (settings is not null) return settings;
        settings = new SubscriptionSettings
        {
            UserId = person, Delivery = Delivery.Immediate, UnsubscribeToken = NewToken(),
            Language = CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal) ? "en" : "zh-CN",
        };
        db.Add(settings);
        return settings;
    }

    public static string NewToken() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
}

/// <summary>Scans and sends every <c>Subscriptions:ScanMinutes</c> minutes (default 5), unless <c>Subscriptions:Enabled</c> is false.</summary>
public sealed class NoticeJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<NoticeJob> logger)
    : PeriodicJob(scopes, configuration, logger, "Subscriptions:Enabled", "Subscriptions:ScanMinutes", defaultMinutes: 5)
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var notices = services.GetRequiredService<NoticeService>();
        await notices.ScanAsync(ct);
        await notices.SendDueAsync(ct);
    }
}
