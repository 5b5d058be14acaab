using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Engagement.Web.Platform.Time;
using Engagement.Web.Platform.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Messages;

public sealed record MessageInput(string? Text, int? DecisionId, bool ConsentToPublish);

public enum MessageOutcome { Done, NotFound, Forbidden, Invalid, Duplicate, Conflict }

public sealed record MessageResult(MessageOutcome Outcome, Message? Message = null, string? Field = null, string? Error = null, long? ExistingId = null)
{
    public bool Succeeded => Outcome == MessageOutcome.Done;
}

/// <summary>A published message with the four things 2022 §三(一) asks to show: message time, reply time, replying unit, reply.</summary>
public sealed record PublicMessage(long Id, string Page, int? DecisionId, string? DecisionTitle, string Text, DateTimeOffset MessageTime,
    DateTimeOffset ReplyTime, int ReplyingUnitId, string ReplyingUnit, string ReplyingUnitEn, string Reply);

public sealed record QueueRow(long Id, string Page, string? DecisionTitle, string Text, DateTimeOffset ReceivedAt, MessageKind Kind, MessageStatus Status,
    int? UnitId, string? Unit, string? UnitEn, bool IsSimple, DateOnly? DueOn, int? WorkingDaysLeft, bool Overdue);

public sealed record MyMessage(long Id, string Page, string? DecisionTitle, string Text, DateTimeOffset ReceivedAt, MessageStatus Status, DateOnly? DueOn,
    string? Reply, DateTimeOffset? RepliedAt, string? ReplyingUnit, string? ReplyingUnitEn, bool ConsentToPublish, DateTimeOffset? PublishedAt);

/// <summary>
/// Online messages (政民互动, 2022 §三(一)): intake with personal data masked, triage by staff, replies due in 1 or 5
/// working days, publication of selected ones with the four fields, reminders and escalation.
/// </summary>
public sealed class MessageService(EngagementDbContext db, CalendarService calendars, TimeProvider clock, Platform.Outbox.Outbox outbox,
    AuditWriter audit, SiteLinks links, IStringLocalizer<SharedResource> text, Platform.Telemetry.EngagementMetrics metrics)
{
    public async Task<MessageResult> SubmitAsync(Guid authorId, MessageInput input, CancellationToken ct = default)
    {
        var body = Comments.Clean(input.Text ?? "");
        if (body.Length == 0) return Invalid("text", text["Message.Empty"]);
        if (body.Length > MessageRules.MaxLength) return Invalid("text", string.Format(text["Message.TooLong"], MessageRules.MaxLength, body.Length));

        var page = MessageRules.GeneralBoard;
        int? unitId = null;
        if (input.DecisionId is { } decisionId)
        {
            var decision = await db.Set<Decision>().AsNoTracking().Where(d => d.Id == decisionId).Select(d => new { d.Id, d.UnitId }).SingleOrDefaultAsync(ct);
            if (decision is null) return Invalid("decisionId", string.Format(text["Message.NoSuchDecision"], decisionId));
            page = $"/decisions/{decision.Id}";
            // A message on a draft goes to its drafting unit; one on the general board waits for the district office.
            unitId = decision.UnitId;
        }

        var hash = Comments.Hash(body);
        var existing = await ExistingAsync(authorId, page, hash, ct);
        if (existing is not null) return Duplicate(existing.Value);

        var now = clock.GetUtcNow();
        var calendar = await calendars.CurrentAsync(ct);
        var message = new Message
        {
            AuthorId = authorId, Page = page, DecisionId = input.DecisionId, Text = body, PublicText = PersonalDataMasker.Mask(body).Masked,
            TextHash = hash, ConsentToPublish = input.ConsentToPublish, ReceivedAt = now, Kind = MessageKind.Unsorted,
            Status = MessageStatus.Received, UnitId = unitId, DueOn = MessageRules.DueOn(calendar, now, simple: false).DueOn,
        };
        db.Add(message);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same text sent twice at once: the unique index let one in.
            db.Entry(message).State = EntityState.Detached;
            var first = await ExistingAsync(authorId, page, hash, ct);
            if (first is null) throw;
            return Duplicate(first.Value);
        }
        metrics.MessageReceived();
        return new MessageResult(MessageOutcome.Done, message);
    }

    private Task<long?> ExistingAsync(Guid authorId, string page, string hash, CancellationToken ct) =>
        db.Set<Message>().Where(m => m.AuthorId == authorId && m.Page == page && m.TextHash == hash).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);

    private MessageResult Duplicate(long id) => new(MessageOutcome.Duplicate, ExistingId: id, Error: text["Message.Duplicate"]);

    private static MessageResult Invalid(string field, string error) => new(MessageOutcome.Invalid, Field: field, Error: error);

    /// <summary>
    /// Triage: what kind of message it is, which unit answers, and whether it is simple (due in 1 working day, else 5,
    /// counted from arrival). A petition matter is transferred with a note to the author, which closes it here.
    /// Staff of the unit holding the message (or an admin) triage it, and may hand it to another unit.
    /// </summary>
    public async Task<MessageResult> TriageAsync(long id, ClaimsPrincipal staff, MessageKind kind, int? unitId, bool simple, string? note, CancellationToken ct = default)
    {
        var message = await db.Set<Message>().Include(m => m.Author).SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return new MessageResult(MessageOutcome.NotFound);
        if (!await UnitAccess.CanActForAsync(db, staff, message.UnitId, ct)) return new MessageResult(MessageOutcome.Forbidden);
        if (message.Status is MessageStatus.Replied or MessageStatus.Transferred) return new MessageResult(MessageOutcome.Conflict, Error: text["Message.AlreadyReplied"]);
        if (kind == MessageKind.Unsorted || !Enum.IsDefined(kind)) return Invalid("kind", text["Message.KindRequired"]);
        if (unitId is null || !await db.Units.AnyAsync(u => u.Id == unitId && u.IsActive, ct)) return Invalid("unitId", text["Message.UnitRequired"]);
        note = Comments.Clean(note ?? "");
        if (kind == MessageKind.Petition && note.Length == 0) return Invalid("note", text["Message.TransferNoteRequired"]);
        if (note.Length > MessageRules.MaxNoteLength) return Invalid("note", string.Format(text["Message.TooLong"], MessageRules.MaxNoteLength, note.Length));

        var before = new { message.Kind, message.Status, message.UnitId, message.IsSimple, message.DueOn };
        var now = clock.GetUtcNow();
        var calendar = await calendars.CurrentAsync(ct);
        message.Kind = kind;
        message.UnitId = unitId;
        message.IsSimple = kind != MessageKind.Petition && simple;
        message.DueOn = MessageRules.DueOn(calendar, message.ReceivedAt, message.IsSimple).DueOn;
        message.TriagedAt = now;
        if (kind == MessageKind.Petition)
        {
            Answer(message, calendar, note, staff, now);
            message.Status = MessageStatus.Transferred;
            NotifyAuthor(message, "Mail.MessageTransferred");
        }
        else
        {
            message.Status = MessageStatus.Assigned;
        }
        audit.Record("message.triage", nameof(Message), id.ToString(), before, new { message.Kind, message.Status, message.UnitId, message.IsSimple, message.DueOn });
        return await SaveAsync(message, ct);
    }

    /// <summary>The reply of the unit the message is assigned to; the author is told at once and sees it privately.</summary>
    public async Task<MessageResult> ReplyAsync(long id, ClaimsPrincipal staff, string? reply, CancellationToken ct = default)
    {
        var message = await db.Set<Message>().Include(m => m.Author).SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return new MessageResult(MessageOutcome.NotFound);
        if (!await UnitAccess.CanActForAsync(db, staff, message.UnitId, ct)) return new MessageResult(MessageOutcome.Forbidden);
        if (message.Status is MessageStatus.Replied or MessageStatus.Transferred) return new MessageResult(MessageOutcome.Conflict, Error: text["Message.AlreadyReplied"]);
        if (message.Status == MessageStatus.Received) return Invalid("reply", text["Message.TriageFirst"]);
        var body = Comments.Clean(reply ?? "");
        if (body.Length == 0) return Invalid("reply", text["Message.ReplyEmpty"]);
        if (body.Length > MessageRules.MaxReplyLength) return Invalid("reply", string.Format(text["Message.TooLong"], MessageRules.MaxReplyLength, body.Length));

        var calendar = await calendars.CurrentAsync(ct);
        var now = clock.GetUtcNow();
        // A due date the calendar could not give at arrival (its year was missing) is computed now if it can be.
        message.DueOn ??= MessageRules.DueOn(calendar, message.ReceivedAt, message.IsSimple).DueOn;
        Answer(message, calendar, body, staff, now);
        message.Status = MessageStatus.Replied;
        audit.Record("message.reply", nameof(Message), id.ToString(), new { Status = MessageStatus.Assigned },
            new { message.Status, message.ReplyingUnitId, message.WorkingDaysToReply, message.RepliedOnTime });
        NotifyAuthor(message, "Mail.MessageReplied");
        return await SaveAsync(message, ct);
    }

    private static void Answer(Message message, WorkingDayCalendar calendar, string reply, ClaimsPrincipal staff, DateTimeOffset now)
    {
        message.Reply = reply;
        message.RepliedAt = now;
        message.RepliedBy = staff.Identity?.Name;
        message.ReplyingUnitId = message.UnitId;
        message.WorkingDaysToReply = MessageRules.WorkingDaysTaken(calendar, message.ReceivedAt, now);
        message.RepliedOnTime = message.DueOn is null ? null : MessageRules.IsOnTime(now, message.DueOn);
    }

    /// <summary>
    /// Publishes a replied message its author agreed to publish, or takes it down. Staff may mask more by hand (only
    /// '*' may replace characters of the masked text), never unmask.
    /// </summary>
    public async Task<MessageResult> PublishAsync(long id, ClaimsPrincipal staff, bool publish, string? publicText = null, CancellationToken ct = default)
    {
        var message = await db.Set<Message>().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return new MessageResult(MessageOutcome.NotFound);
        if (!await UnitAccess.CanActForAsync(db, staff, message.ReplyingUnitId ?? message.UnitId, ct)) return new MessageResult(MessageOutcome.Forbidden);
        if (publish)
        {
            if (message.Status != MessageStatus.Replied) return Invalid("publish", text["Message.PublishNeedsReply"]);
            if (!message.ConsentToPublish) return Invalid("publish", text["Message.NoConsent"]);
            if (publicText is not null)
            {
                publicText = publicText.Replace("\r\n", "\n");
                if (publicText.Length != message.PublicText.Length
                    || publicText.Where((c, i) => c != message.PublicText[i] && c != PersonalDataMasker.MaskChar).Any())
                {
                    return Invalid("publicText", text["Message.HandMaskOnly"]);
                }
                message.PublicText = publicText;
            }
        }
        var before = message.PublishedAt;
        message.PublishedAt = publish ? message.PublishedAt ?? clock.GetUtcNow() : null;
        audit.Record(publish ? "message.publish" : "message.unpublish", nameof(Message), id.ToString(), new { PublishedAt = before },
            new { message.PublishedAt, message.PublicText });
        await db.SaveChangesAsync(ct);
        return new MessageResult(MessageOutcome.Done, message);
    }

    private async Task<MessageResult> SaveAsync(Message message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else triaged or replied a moment ago: theirs stands.
            db.ChangeTracker.Clear();
            return new MessageResult(MessageOutcome.Conflict, Error: text["Message.AlreadyReplied"]);
        }
        return new MessageResult(MessageOutcome.Done, message);
    }

    private void NotifyAuthor(Message message, string key)
    {
        if (message.Author?.Email is not { } email) return;
        using var culture = MailCulture.Default();
        outbox.Email(email, text[key + ".Subject"],
            string.Format(text[key + ".Body"], message.Author.DisplayName, message.PublicText, message.Reply, links.Absolute($"/messages/mine#message-{message.Id}")));
    }

    /// <summary>Staff and admins may see a message (its original text) when they may act for its unit; admins see the unassigned.</summary>
    public async Task<Message?> ForStaffAsync(long id, ClaimsPrincipal staff, CancellationToken ct = default)
    {
        var message = await db.Set<Message>().AsNoTracking().Include(m => m.Unit).Include(m => m.ReplyingUnit).SingleOrDefaultAsync(m => m.Id == id, ct);
        return message is not null && await UnitAccess.CanActForAsync(db, staff, message.UnitId, ct) ? message : null;
    }

    /// <summary>
    /// The queue of a unit (admins: every unit and the general board's unassigned messages), open ones first by due date,
    /// with working days left on the official calendar.
    /// </summary>
    public async Task<IReadOnlyList<QueueRow>> QueueAsync(ClaimsPrincipal staff, bool open, CancellationToken ct = default)
    {
        var query = db.Set<Message>().AsNoTracking();
        if (!staff.IsInRole(Roles.Admin))
        {
            // A unit's own messages; the district office also the general board's, waiting for it to assign them.
            if (await UnitAccess.StaffUnitAsync(db, staff, ct) is not { } unit) return [];
            query = unit.IsDistrictOffice ? query.Where(m => m.UnitId == unit.UnitId || m.UnitId == null) : query.Where(m => m.UnitId == unit.UnitId);
        }
        query = open ? query.Where(m => m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned)
            : query.Where(m => m.Status == MessageStatus.Replied || m.Status == MessageStatus.Transferred);
        var rows = await query.OrderByDescending(m => m.ReceivedAt).Take(500)
            .Select(m => new
            {
                m.Id, m.Page, DecisionTitle = db.Set<Decision>().Where(d => d.Id == m.DecisionId).Select(d => d.Title).FirstOrDefault(),
                m.Text, m.ReceivedAt, m.Kind, m.Status, m.UnitId, Unit = m.Unit!.Name, UnitEn = m.Unit.NameEn, m.IsSimple, m.DueOn,
            }).ToListAsync(ct);
        var calendar = await calendars.CurrentAsync(ct);
        var today = ChinaTime.Today(clock);
        return rows.Select(r =>
            {
                var pending = r.Status is MessageStatus.Received or MessageStatus.Assigned;
                int? left = pending && r.DueOn is { } due ? Adoption.AdoptionRules.WorkingDaysLeft(calendar, today, due) : null;
                return new QueueRow(r.Id, r.Page, r.DecisionTitle, r.Text, r.ReceivedAt, r.Kind, r.Status, r.UnitId, r.Unit, r.UnitEn, r.IsSimple, r.DueOn, left,
                    pending && MessageRules.IsOverdue(today, r.DueOn));
            })
            .OrderBy(r => r.DueOn ?? DateOnly.MaxValue).ThenBy(r => r.ReceivedAt).ToList();
    }

    public async Task<IReadOnlyList<MyMessage>> MineAsync(Guid authorId, CancellationToken ct = default) =>
        await db.Set<Message>().AsNoTracking().Where(m => m.AuthorId == authorId).OrderByDescending(m => m.ReceivedAt)
            .Select(m => new MyMessage(m.Id, m.Page, db.Set<Decision>().Where(d => d.Id == m.DecisionId).Select(d => d.Title).FirstOrDefault(),
                m.Text, m.ReceivedAt, m.Status, m.DueOn, m.Reply, m.RepliedAt, m.ReplyingUnit!.Name, m.ReplyingUnit.NameEn, m.ConsentToPublish, m.PublishedAt))
            .ToListAsync(ct);

    /// <summary>Published messages, newest reply first; by page (a decision's or the board), by replying unit, or all.</summary>
    public async Task<(IReadOnlyList<PublicMessage> Items, int Total)> PublishedAsync(string? page, int? unitId, int skip, int take, CancellationToken ct = default)
    {
        var query = db.Set<Message>().AsNoTracking().Where(m => m.PublishedAt != null && m.Status == MessageStatus.Replied);
        if (page is not null) query = query.Where(m => m.Page == page);
        if (unitId is not null) query = query.Where(m => m.ReplyingUnitId == unitId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(m => m.RepliedAt).ThenByDescending(m => m.Id).Skip(skip).Take(take)
            .Select(m => new PublicMessage(m.Id, m.Page, m.DecisionId, db.Set<Decision>().Where(d => d.Id == m.DecisionId).Select(d => d.Title).FirstOrDefault(),
                m.PublicText, m.ReceivedAt, m.RepliedAt!.Value, m.ReplyingUnitId!.Value, m.ReplyingUnit!.Name, m.ReplyingUnit.NameEn, m.Reply!))
            .ToListAsync(ct);
        return (items, total);
    }

    public Task<int> OverdueCountAsync(CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        return db.Set<Message>().CountAsync(m => (m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned) && m.DueOn < today, ct);
    }

    /// <summary>
    /// Once a day's work: fills due dates a missing calendar held back; reminds the unit's staff on the working day
    /// before a 5-day reply is due and on the due day; escalates each overdue message once to the admins (the district
    /// office). A unique row per message, due date and kind keeps two instances from sending one twice. Returns how many went out.
    /// </summary>
    public async Task<int> SendRemindersAsync(CancellationToken ct = default)
    {
        var calendar = await calendars.CurrentAsync(ct);
        var today = ChinaTime.Today(clock);
        var undated = await db.Set<Message>().Where(m => m.DueOn == null && (m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned)).ToListAsync(ct);
        foreach (var m in undated) m.DueOn = MessageRules.DueOn(calendar, m.ReceivedAt, m.IsSimple).DueOn;
        await db.SaveChangesAsync(ct);

        var open = await db.Set<Message>().AsNoTracking()
            .Where(m => (m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned) && m.DueOn != null && m.DueOn <= today.AddDays(10))
            .Select(m => new { m.Id, m.UnitId, DueOn = m.DueOn!.Value, m.PublicText }).ToListAsync(ct);
        var admins = await (from u in db.Users
                            join ur in db.UserRoles on u.Id equals ur.UserId
                            join r in db.Roles on ur.RoleId equals r.Id
                            where r.Name == Roles.Admin && u.Email != null && u.EmailConfirmed
                            select new { u.Email, u.DisplayName }).ToListAsync(ct);
        var sent = 0;
        using var culture = MailCulture.Default();
        foreach (var m in open)
        {
            var kind = today > m.DueOn ? "overdue"
                : today == m.DueOn ? "due"
                : Adoption.AdoptionRules.WorkingDaysBefore(calendar, m.DueOn, 1) == today ? "before" : null;
            if (kind is null) continue;
            if (await db.Set<MessageReminder>().AnyAsync(r => r.MessageId == m.Id && r.DueOn == m.DueOn && r.Kind == kind, ct)) continue;
            var recipients = kind == "overdue" ? admins
                : await db.Users.AsNoTracking().Where(u => m.UnitId != null && u.UnitId == m.UnitId && u.Email != null && u.EmailConfirmed)
                    .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
            if (m.UnitId is null && kind != "overdue") recipients = admins;
            var link = links.Absolute($"/staff/messages/{m.Id}");
            var key = kind switch { "overdue" => "Mail.MessageOverdue", "due" => "Mail.MessageDue", _ => "Mail.MessageSoon" };
            foreach (var person in recipients)
            {
                outbox.Email(person.Email!, string.Format(text[key + ".Subject"], m.Id),
                    string.Format(text[key + ".Body"], person.DisplayName, m.PublicText, m.DueOn.ToString("yyyy-MM-dd"), link));
            }
            db.Add(new MessageReminder { MessageId = m.Id, DueOn = m.DueOn, Kind = kind, SentAt = clock.GetUtcNow() });
            if (kind == "overdue")
            {
                await db.Set<Message>().Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EscalatedAt, clock.GetUtcNow()), ct);
            }
            try
            {
                await db.SaveChangesAsync(ct);
                sent++;
            }
            catch (DbUpdateException)
            {
                // Another instance sent this one first.
                db.ChangeTracker.Clear();
            }
        }
        return sent;
    }
}
