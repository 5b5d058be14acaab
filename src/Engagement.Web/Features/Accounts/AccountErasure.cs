using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

/// <summary>
/// Deleting an account (the Personal Information Protection Law's right to deletion) erases or anonymises the
/// person's data in every table that links to them, in one transaction:
/// <list type="bullet">
/// <item>published comments and messages stay, masked and without their author; the unmasked original is replaced by the masked text;</item>
/// <item>representative applications keep their public id, category and draw standing (a published draw stays
/// recomputable) and lose name, phone and statement;</item>
/// <item>registrations for events still to come are cancelled first (their places go to those waiting); the others,
/// live participation, questionnaire answers, votes and the live sessions a host created lose the link to the person;
/// a live nickname becomes anonymous;</item>
/// <item>e-mails to them are erased, and the goodbye e-mail is erased once sent; their audit rows lose name and address.</item>
/// </list>
/// The account row goes last. What stays is listed on the profile page, where the person decides.
/// </summary>
public sealed class AccountErasure(EngagementDbContext db, UserManager<User> users, RegistrationService registrations, AccountMail mail, TimeProvider clock)
{
    public const string DeletedActor = "deleted account";

    public async Task EraseAsync(User user, CancellationToken ct = default)
    {
        var id = user.Id;
        var email = user.Email ?? "";
        var now = clock.GetUtcNow();

        // Upcoming places are given back the ordinary way, each in its own transaction, so those waiting move up.
        var upcoming = await db.Set<EventRegistration>()
            .Where(r => r.UserId == id && r.Status != RegistrationStatus.Cancelled && r.Event!.StartsAt > now)
            .Select(r => r.EventId).ToListAsync(ct);
        foreach (var eventId in upcoming) await registrations.CancelAsync(eventId, id, ct);

        // Their name, where they wrote it in what stays public (a signature under a comment), goes too; a name of one
        // character would mask too much of what others read, so it is left.
        var name = user.DisplayName.Trim();
        var mask = new string(Platform.Privacy.PersonalDataMasker.MaskChar, name.Length);
        var withName = name.Length >= 2;
        var participants = db.Set<LiveParticipant>().Where(p => p.UserId == id).Select(p => p.Id);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<Comment>().Where(c => c.AuthorId == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.PublicText, c => withName ? c.PublicText.Replace(name, mask) : c.PublicText)
            .SetProperty(c => c.Text, c => withName ? c.PublicText.Replace(name, mask) : c.PublicText), ct);
        await db.Set<Message>().Where(m => m.AuthorId == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.PublicText, m => withName ? m.PublicText.Replace(name, mask) : m.PublicText)
            .SetProperty(m => m.Text, m => withName ? m.PublicText.Replace(name, mask) : m.PublicText), ct);
        if (withName)
        {
            await db.Set<LiveQuestion>().Where(q => participants.Contains(q.ParticipantId)).ExecuteUpdateAsync(s => s.SetProperty(q => q.Text, q => q.Text.Replace(name, mask)), ct);
        }
        await db.Set<RepresentativeApplication>().Where(a => a.UserId == id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.RealName, (string?)null).SetProperty(a => a.Phone, (string?)null).SetProperty(a => a.Statement, (string?)null)
            .SetProperty(a => a.ErasedAt, now).SetProperty(a => a.UserId, (Guid?)null), ct);
        await db.Set<EventRegistration>().Where(r => r.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.UserId, (Guid?)null), ct);
        await db.Set<LiveParticipant>().Where(p => p.UserId == id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Nickname, LiveRules.AnonymousHandlePrefix + "----").SetProperty(p => p.UserId, (Guid?)null), ct);
        await db.Set<QuestionnaireParticipation>().Where(p => p.UserId == id).ExecuteDeleteAsync(ct);
        await db.Set<ThemeProposal>().Where(p => p.ProposedBy == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.ProposedBy, (Guid?)null), ct);
        // Votes stay counted (a closed poll's result does not change), without who cast them; a session a host created stays.
        await db.Set<ThemeVote>().Where(v => v.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.UserId, (Guid?)null), ct);
        await db.Set<TopicVote>().Where(v => v.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.UserId, (Guid?)null), ct);
        await db.Set<LiveSession>().Where(l => l.CreatedById == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.CreatedById, (Guid?)null), ct);
        // Audit rows are append-only for the application; the law's right to deletion is the one exception, and it
        // removes only who they were, not what was done.
        var idText = id.ToString();
        await db.AuditEntries.Where(a => a.ActorId == id || (a.EntityType == nameof(User) && a.EntityId == idText)).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Actor, DeletedActor).SetProperty(a => a.ActorId, (Guid?)null).SetProperty(a => a.IpAddress, (string?)null)
            .SetProperty(a => a.Before, (string?)null).SetProperty(a => a.After, (string?)null), ct);
        if (email.Length > 0)
        {
            await db.OutboxMessages.Where(m => m.To == email && m.SentAt == null).ExecuteDeleteAsync(ct);
            await db.OutboxMessages.Where(m => m.To == email).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.To, "").SetProperty(m => m.Subject, "").SetProperty(m => m.Body, ""), ct);
            mail.AccountDeleted(email, user.DisplayName).EraseWhenSent = true;
        }
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = DeletedActor, Action = "account.delete", EntityType = nameof(User), EntityId = id.ToString() });
        await db.SaveChangesAsync(ct);
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        await transaction.CommitAsync(ct);
    }
}
