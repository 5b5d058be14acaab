using System.Security.Claims;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Subscriptions;

public sealed record EnterpriseItem(string Title, string Url, DateTimeOffset? From, DateTimeOffset? Until);
public sealed record EnterpriseOrganisation(string Name, string CreditCode, int Comments);

public sealed record EnterpriseView(IReadOnlyList<EnterpriseItem> OpenConsultations, IReadOnlyList<EnterpriseItem> Reports, IReadOnlyList<EnterpriseItem> Events,
    IReadOnlyList<EnterpriseOrganisation> MyOrganisations, bool SignedIn, bool Following);

/// <summary>
/// 企业专属网页: what concerns enterprises in one place (consultations on enterprise-related decisions, their adoption
/// reports, business-environment events) and, for a signed-in person, the organisations they have commented for
/// (the names checked against a unified social credit code when they commented).
/// </summary>
[AllowAnonymous, Route("enterprise")]
public sealed class EnterpriseController(EngagementDbContext db, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var consultations = await db.Set<Decision>().AsNoTracking()
            .Where(d => d.EnterpriseRelated && d.ConsultationOpensAt <= now && d.ConsultationClosesAt > now)
            .OrderBy(d => d.ConsultationClosesAt).Take(20)
            .Select(d => new EnterpriseItem(d.Title, "/decisions/" + d.Id, d.ConsultationOpensAt, d.ConsultationClosesAt)).ToListAsync(ct);
        var reports = await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.Version == 1)
            .Join(db.Set<Decision>().Where(d => d.EnterpriseRelated), r => r.DecisionId, d => d.Id, (r, d) => new { d.Id, d.Title, r.PublishedAt })
            .OrderByDescending(x => x.PublishedAt).Take(20).ToListAsync(ct);
        var business = db.Set<TopicTag>().Where(t => t.Kind == TaggedKind.Event && t.Topic!.Code == TopicList.Business).Select(t => t.ItemId);
        var events = await db.Set<OpenEvent>().AsNoTracking().Where(e => e.EndsAt > now && business.Contains(e.Id)).OrderBy(e => e.StartsAt).Take(20)
            .Select(e => new EnterpriseItem(e.Title, "/events/" + e.Id, e.StartsAt, e.RegistrationClosesAt)).ToListAsync(ct);
        var organisations = new List<EnterpriseOrganisation>();
        var following = false;
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && Guid.TryParse(id, out var person))
        {
            organisations = (await db.Set<Comment>().AsNoTracking().Where(c => c.AuthorId == person && c.CreditCode != null && c.OrganizationName != null)
                .GroupBy(c => new { c.CreditCode, c.OrganizationName }).Select(g => new { g.Key.OrganizationName, g.Key.CreditCode, Count = g.Count() }).ToListAsync(ct))
                .Select(g => new EnterpriseOrganisation(g.OrganizationName!, g.CreditCode!, g.Count)).ToList();
            following = await db.Set<Subscription>().AnyAsync(s => s.UserId == person && s.Kind == SubscriptionKind.Enterprise, ct);
        }
        return View(new EnterpriseView(consultations, reports.Select(r => new EnterpriseItem(r.Title, $"/decisions/{r.Id}/report", r.PublishedAt, null)).ToList(),
            events, organisations, User.Identity?.IsAuthenticated == true, following));
    }
}
