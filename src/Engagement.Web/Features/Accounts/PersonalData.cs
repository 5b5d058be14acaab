using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

/// <summary>
/// Everything the site holds about one person (the Personal Information Protection Law's rights to see and copy),
/// for the download and the readable page: one section per table that links to them. A test derives the tables with
/// a link to a user from the EF model and fails when one has no section here.
/// </summary>
public static class PersonalData
{
    /// <summary>The entity types each section covers, by CLR name, for that test.</summary>
    public static readonly IReadOnlyList<string> Covered =
    [
        nameof(User), "IdentityUserRole`1", "IdentityUserClaim`1", "IdentityUserLogin`1", "IdentityUserToken`1",
        nameof(Comment), nameof(Message), nameof(RepresentativeApplication), nameof(RepresentativeOpinion), nameof(EventRegistration), nameof(LiveParticipant),
        nameof(LiveQuestion), nameof(LiveVote), nameof(LivePollAnswer), nameof(LiveHost), nameof(LiveSession), nameof(QuestionnaireParticipation),
        nameof(ThemeProposal), nameof(ThemeVote), nameof(TopicVote), nameof(Platform.Audit.AuditEntry), nameof(Platform.Outbox.OutboxMessage),
        nameof(SignInSession), nameof(SignInLink),
        nameof(Subscriptions.Subscription), nameof(Subscriptions.SubscriptionSettings), nameof(Subscriptions.Notice),
    ];

    public static async Task<object> ForAsync(EngagementDbContext db, UserManager<User> users, User user, CancellationToken ct = default)
    {
        var id = user.Id;
        var participants = db.Set<LiveParticipant>().Where(p => p.UserId == id).Select(p => p.Id);
        return new
        {
            Account = new
            {
                user.Id, user.Email, user.EmailConfirmed, user.DisplayName, user.PhoneNumber, user.CreatedAt, user.TwoFactorEnabled,
                Roles = await users.GetRolesAsync(user),
                Unit = await db.Units.Where(u => u.Id == user.UnitId).Select(u => u.Name).SingleOrDefaultAsync(ct),
                Logins = (await users.GetLoginsAsync(user)).Select(l => l.LoginProvider).ToList(),
                Claims = (await users.GetClaimsAsync(user)).Select(c => new { c.Type, c.Value }).ToList(),
            },
            Comments = await db.Set<Comment>().Where(c => c.AuthorId == id).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.DecisionId, c.Text, c.PublicText, c.Paragraph, c.Status, c.CreatedAt, c.RejectReason }).ToListAsync(ct),
            Messages = await db.Set<Message>().Where(m => m.AuthorId == id).OrderBy(m => m.Id)
                .Select(m => new { m.Id, m.Page, m.Text, m.PublicText, m.ConsentToPublish, m.ReceivedAt, m.Status, m.Reply, m.RepliedAt, m.PublishedAt }).ToListAsync(ct),
            RepresentativeApplications = await db.Set<RepresentativeApplication>().Where(a => a.UserId == id).OrderBy(a => a.Id)
                .Select(a => new
                {
                    a.Id, a.MeetingId, Meeting = a.Meeting!.Title, a.PublicId, a.RealName, a.Phone, a.Category, a.Connection, a.Statement,
                    a.ConsentedAt, a.Status, a.IneligibleReason, a.Rank, a.Standing, a.ConfirmBy, a.ConfirmedAt, a.Attended, a.CreatedAt,
                }).ToListAsync(ct),
            RepresentativeOpinions = await db.Set<RepresentativeOpinion>().Where(o => db.Set<RepresentativeApplication>().Any(a => a.Id == o.ApplicationId && a.UserId == id))
                .Select(o => new { o.MeetingId, o.DecisionId, o.Text, o.Outcome, o.Reason, o.RecordedAt }).ToListAsync(ct),
            Registrations = await db.Set<EventRegistration>().Where(r => r.UserId == id).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.EventId, Event = r.Event!.Title, r.Companions, r.Status, r.CheckInCode, r.CheckedInAt, r.CreatedAt, r.CancelledAt }).ToListAsync(ct),
            LiveParticipation = await db.Set<LiveParticipant>().Where(p => p.UserId == id).OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.SessionId, p.Nickname, p.JoinedAt, p.Blocked }).ToListAsync(ct),
            LiveQuestions = await db.Set<LiveQuestion>().Where(q => participants.Contains(q.ParticipantId)).OrderBy(q => q.Id)
                .Select(q => new { q.Id, q.SessionId, q.Text, q.Anonymous, q.Status, q.Answer, q.AskedAt }).ToListAsync(ct),
            LiveVotes = await db.Set<LiveVote>().Where(v => participants.Contains(v.ParticipantId))
                .Select(v => new { v.QuestionId, v.CreatedAt }).ToListAsync(ct),
            LivePollAnswers = await db.Set<LivePollAnswer>().Where(a => participants.Contains(a.ParticipantId))
                .Select(a => new { a.PollId, a.OptionIds, a.AnsweredAt }).ToListAsync(ct),
            LiveSessionsHosted = await db.Set<LiveHost>().Where(h => h.UserId == id).Select(h => h.SessionId)
                .Union(db.Set<LiveSession>().Where(s => s.CreatedById == id).Select(s => s.Id)).ToListAsync(ct),
            // Which questionnaires were answered; what was answered is kept apart and cannot be traced back (a double envelope).
            QuestionnairesAnswered = await db.Set<QuestionnaireParticipation>().Where(p => p.UserId == id)
                .Select(p => new { p.EventId, p.At }).ToListAsync(ct),
            ThemeProposals = await db.Set<ThemeProposal>().Where(p => p.ProposedBy == id)
                .Select(p => new { p.Id, p.SolicitationId, p.Kind, p.Text, p.Status, p.CreatedAt }).ToListAsync(ct),
            ThemeVotes = await db.Set<ThemeVote>().Where(v => v.UserId == id).Select(v => new { v.ProposalId, v.CreatedAt }).ToListAsync(ct),
            TopicVotes = await db.Set<TopicVote>().Where(v => v.UserId == id).Select(v => new { v.PollId, v.DecisionId, v.CreatedAt }).ToListAsync(ct),
            NotificationsSent = await db.OutboxMessages.Where(m => m.To == user.Email).OrderBy(m => m.CreatedAt)
                .Select(m => new { m.Subject, m.Body, m.CreatedAt, m.SentAt }).ToListAsync(ct),
            SignIns = await db.SignInSessions.Where(s => s.UserId == id).OrderBy(s => s.CreatedAt)
                .Select(s => new { s.Kind, s.Device, s.Address, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.SecondFactor }).ToListAsync(ct),
            SignInLinks = await db.SignInLinks.Where(l => l.UserId == id).OrderBy(l => l.CreatedAt)
                .Select(l => new { l.CreatedAt, l.ExpiresAt, l.UsedAt }).ToListAsync(ct),
            Subscriptions = await db.Set<Subscriptions.Subscription>().Where(s => s.UserId == id).OrderBy(s => s.CreatedAt)
                .Select(s => new { s.Kind, s.Value, s.CreatedAt }).ToListAsync(ct),
            SubscriptionSettings = await db.Set<Subscriptions.SubscriptionSettings>().Where(s => s.UserId == id)
                .Select(s => new { s.Delivery, s.Language, s.LastDigestAt }).ToListAsync(ct),
            Notices = await db.Set<Subscriptions.Notice>().Where(n => n.UserId == id).OrderBy(n => n.CreatedAt)
                .Select(n => new { n.Event, n.Title, n.Url, n.HappenedAt, n.SentAt }).ToListAsync(ct),
            OwnAuditRows = await db.AuditEntries.Where(a => a.ActorId == id).OrderBy(a => a.Id)
                .Select(a => new { a.At, a.Action, a.EntityType, a.EntityId, a.IpAddress }).ToListAsync(ct),
        };
    }
}
