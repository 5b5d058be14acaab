using System.Diagnostics.Metrics;

namespace Engagement.Web.Platform.Telemetry;

/// <summary>
/// The site's own figures (meter <c>Engagement</c>, instruments <c>engagement.*</c>). Counters are added to where the
/// thing happens (a comment saved, an e-mail delivered); the gauges read <see cref="OperationsFigures"/>, a snapshot
/// that one periodic query per instance keeps, and counts this instance already holds in memory (live audience, the
/// Redis backplane's connection). A scrape never queries the database. No instrument carries personal data: the only
/// attributes are units, outcomes and channels.
/// </summary>
public sealed class EngagementMetrics
{
    public const string MeterName = "Engagement";

    private readonly Counter<long> _commentsReceived, _commentsPublished, _messagesReceived, _applicationsReceived, _emailsSent, _emailsFailed,
        _registrations, _waitlistPromotions, _hubMessages;

    private readonly LiveFigures _live;

    public EngagementMetrics(IMeterFactory meters, OperationsFigures figures, LiveFigures live)
    {
        _live = live;
        // From the DI container's factory: a meter scoped to this host, so two hosts in one process (tests) keep apart.
        var meter = meters.Create(MeterName);
        _commentsReceived = meter.CreateCounter<long>("engagement.comments.received", "{comment}", "Comments received: online (waiting for moderation) and entered by staff from forums, hearings, visits and polls.");
        _commentsPublished = meter.CreateCounter<long>("engagement.comments.published", "{comment}", "Comments made public: approved by a moderator, or entered by staff.");
        _messagesReceived = meter.CreateCounter<long>("engagement.messages.received", "{message}", "Messages (留言) received.");
        _applicationsReceived = meter.CreateCounter<long>("engagement.applications.received", "{application}", "Applications to attend an executive meeting as a public representative.");
        _emailsSent = meter.CreateCounter<long>("engagement.emails.sent", "{email}", "E-mails the outbox delivered (SMTP or pickup folder).");
        _emailsFailed = meter.CreateCounter<long>("engagement.emails.failed", "{email}", "E-mail delivery attempts that failed (each is retried later, up to Outbox:MaxAttempts).");
        _registrations = meter.CreateCounter<long>("engagement.registrations", "{registration}", "Registrations for Open Month events, by outcome (confirmed or waitlisted).");
        _waitlistPromotions = meter.CreateCounter<long>("engagement.waitlist.promotions", "{registration}", "Waiting registrations moved up to a confirmed place when one was freed.");
        _hubMessages = meter.CreateCounter<long>("engagement.live.hub.messages", "{message}",
            "Live Q&A hub messages: direction=in, calls from clients; direction=out, messages sent to a group (each reaches every connection in it). rate() gives messages a second.");

        meter.CreateObservableGauge("engagement.moderation.queue", () => PerUnit(figures.Current, u => u.ModerationPending), "{comment}",
            "Comments waiting for moderation, per drafting unit.");
        meter.CreateObservableGauge("engagement.moderation.oldest_age", () => PerUnit(figures.Current, u => u.ModerationOldestSeconds), "s",
            "How long the oldest comment waiting for moderation has waited, per unit (0 when none waits).");
        meter.CreateObservableGauge("engagement.moderation.overdue", () => PerUnit(figures.Current, u => u.ModerationOverdue), "{comment}",
            "Comments waiting for moderation for more than one working day (先审查、后公开), per unit.");
        meter.CreateObservableGauge("engagement.messages.open", () => PerUnit(figures.Current, u => u.MessagesOpen), "{message}",
            "Messages not yet replied to, per unit (unit=未分派 for the general board's unassigned ones).");
        meter.CreateObservableGauge("engagement.messages.due_today", () => PerUnit(figures.Current, u => u.MessagesDueToday), "{message}",
            "Open messages whose reply is due today (China time), per unit.");
        meter.CreateObservableGauge("engagement.messages.overdue", () => PerUnit(figures.Current, u => u.MessagesOverdue), "{message}",
            "Open messages past their reply date, per unit.");
        meter.CreateObservableGauge("engagement.reports.due_soon", () => PerUnit(figures.Current, u => u.ReportsDueSoon), "{report}",
            "Adoption reports not yet published and due within three working days, per unit.");
        meter.CreateObservableGauge("engagement.reports.overdue", () => PerUnit(figures.Current, u => u.ReportsOverdue), "{report}",
            "Adoption reports not published by their due date (10 working days after the decision), per unit.");
        meter.CreateObservableGauge("engagement.outbox.backlog", () => figures.Current.OutboxBacklog, "{email}",
            "E-mails waiting in the outbox (unsent, attempts left).");
        meter.CreateObservableGauge("engagement.outbox.oldest_age", () => figures.Current.OutboxOldestSeconds, "s",
            "How long the oldest e-mail still to be sent has waited since it was queued (0 when none).");
        meter.CreateObservableGauge("engagement.outbox.given_up", () => figures.Current.OutboxGivenUp, "{email}",
            "E-mails the outbox stopped trying after Outbox:MaxAttempts failures: never delivered.");
        meter.CreateObservableGauge("engagement.live.sessions", () => figures.Current.LiveSessionsOpen, "{session}",
            "Live Q&A sessions open (across instances).");
        meter.CreateObservableGauge("engagement.live.participants", () => live.Connections, "{connection}",
            "Connections following a live session on this instance (participants and projectors).");
        meter.CreateObservableGauge("engagement.redis.connected", RedisConnected, null,
            "1 while this instance's Redis backplane connection is up, 0 while it is away; absent when Redis is not configured.");
        meter.CreateObservableGauge("engagement.figures.age", () => figures.AgeSeconds, "s",
            "Seconds since the gauges above (queues, messages, reports, outbox, sessions) were last computed; they are refreshed every Metrics:RefreshSeconds.");
    }

    /// <summary>
    /// Every counter series exists from the start at 0, so a rate or an alert never sees "no data" before the first
    /// event. Called once the host has started (the exporters listen by then).
    /// </summary>
    public void StartSeries()
    {
        foreach (var channel in Enum.GetNames<Features.Consultation.CommentChannel>().Select(c => c.ToLowerInvariant()))
        {
            _commentsReceived.Add(0, new KeyValuePair<string, object?>("channel", channel));
            _commentsPublished.Add(0, new KeyValuePair<string, object?>("channel", channel));
        }
        _messagesReceived.Add(0);
        _applicationsReceived.Add(0);
        _emailsSent.Add(0);
        _emailsFailed.Add(0);
        _registrations.Add(0, new KeyValuePair<string, object?>("outcome", "confirmed"));
        _registrations.Add(0, new KeyValuePair<string, object?>("outcome", "waitlisted"));
        _waitlistPromotions.Add(0);
        _hubMessages.Add(0, new KeyValuePair<string, object?>("direction", "in"));
        _hubMessages.Add(0, new KeyValuePair<string, object?>("direction", "out"));
    }

    public void CommentReceived(string channel) => _commentsReceived.Add(1, new KeyValuePair<string, object?>("channel", channel));
    public void CommentPublished(string channel) => _commentsPublished.Add(1, new KeyValuePair<string, object?>("channel", channel));
    public void MessageReceived() => _messagesReceived.Add(1);
    public void ApplicationReceived() => _applicationsReceived.Add(1);
    public void EmailSent() => _emailsSent.Add(1);
    public void EmailFailed() => _emailsFailed.Add(1);
    public void Registered(bool confirmed) => _registrations.Add(1, new KeyValuePair<string, object?>("outcome", confirmed ? "confirmed" : "waitlisted"));
    public void WaitlistPromoted(int count) => _waitlistPromotions.Add(count);
    public void HubMessagesIn() => _hubMessages.Add(1, new KeyValuePair<string, object?>("direction", "in"));
    public void HubMessagesOut(int count = 1) => _hubMessages.Add(count, new KeyValuePair<string, object?>("direction", "out"));

    private IEnumerable<Measurement<int>> RedisConnected() =>
        _live.RedisConnected is { } up ? [new Measurement<int>(up ? 1 : 0)] : [];

    private static IEnumerable<Measurement<double>> PerUnit(OperationsSnapshot snapshot, Func<UnitFigures, double> value) =>
        snapshot.Units.Select(u => new Measurement<double>(value(u), new KeyValuePair<string, object?>("unit", u.Unit)));
}

/// <summary>What this instance knows of live Q&A in memory, for the gauges: set by the live feature.</summary>
public sealed class LiveFigures
{
    public Func<int> ConnectionCount { get; set; } = () => 0;

    /// <summary>Null when Redis is not configured.</summary>
    public Func<bool>? RedisIsConnected { get; set; }

    public int Connections => ConnectionCount();
    public bool? RedisConnected => RedisIsConnected?.Invoke();
}
