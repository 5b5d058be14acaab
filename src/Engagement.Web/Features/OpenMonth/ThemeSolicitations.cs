using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>
/// Choosing the programme (2022 tasks 49-52, 2023 tasks 54-57): for a period (1-31 July by default) residents propose
/// themes and vote for proposals, units propose events, and admins approve the programme beside the tally.
/// </summary>
public sealed class ThemeSolicitation
{
    public int Id { get; set; }
    public string Title { get; set; } = "";
    public DateTimeOffset OpensAt { get; set; }
    public DateTimeOffset ClosesAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public bool IsOpen(DateTimeOffset now) => OpensAt <= now && now < ClosesAt;
}

public enum ProposalKind { ResidentTheme, UnitEvent }

public enum ProposalStatus { Proposed, Chosen, NotChosen }

public sealed class ThemeProposal
{
    public int Id { get; set; }
    public int SolicitationId { get; set; }
    public ProposalKind Kind { get; set; }
    public string Text { get; set; } = "";
    public int? UnitId { get; set; }
    public Guid? ProposedBy { get; set; }
    public ProposalStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ThemeVote
{
    public long Id { get; set; }
    public int ProposalId { get; set; }
    public Guid? UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ThemeSolicitationConfiguration : IEntityTypeConfiguration<ThemeSolicitation>
{
    public void Configure(EntityTypeBuilder<ThemeSolicitation> builder) => builder.Property(s => s.Title).HasMaxLength(200).IsRequired();
}

internal sealed class ThemeProposalConfiguration : IEntityTypeConfiguration<ThemeProposal>
{
    public void Configure(EntityTypeBuilder<ThemeProposal> builder)
    {
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Text).HasMaxLength(500).IsRequired();
        builder.HasOne<ThemeSolicitation>().WithMany().HasForeignKey(p => p.SolicitationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.SolicitationId);
    }
}

internal sealed class ThemeVoteConfiguration : IEntityTypeConfiguration<ThemeVote>
{
    public void Configure(EntityTypeBuilder<ThemeVote> builder)
    {
        builder.HasOne<ThemeProposal>().WithMany().HasForeignKey(v => v.ProposalId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.SetNull);
        // One vote per person per proposal.
        builder.HasIndex(v => new { v.ProposalId, v.UserId }).IsUnique();
    }
}

public sealed record ProposalView(int Id, ProposalKind Kind, string Text, string? Unit, ProposalStatus Status, int Votes, bool MyVote);

public sealed record SolicitationView(int Id, string Title, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool IsOpen, IReadOnlyList<ProposalView> Proposals);

public sealed class ThemeSolicitationService(EngagementDbContext db, TimeProvider clock, AuditWriter audit, IStringLocalizer<SharedResource> text)
{
    public async Task<IReadOnlyList<SolicitationView>> ListAsync(Guid? userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var solicitations = await db.Set<ThemeSolicitation>().AsNoTracking().OrderByDescending(s => s.ClosesAt).ToListAsync(ct);
        var ids = solicitations.Select(s => s.Id).ToList();
        var proposals = await db.Set<ThemeProposal>().AsNoTracking().Where(p => ids.Contains(p.SolicitationId))
            .Select(p => new
            {
                p.Id, p.SolicitationId, p.Kind, p.Text, Unit = db.Units.Where(u => u.Id == p.UnitId).Select(u => u.Name).FirstOrDefault(), p.Status,
                Votes = db.Set<ThemeVote>().Count(v => v.ProposalId == p.Id),
                Mine = userId != null && db.Set<ThemeVote>().Any(v => v.ProposalId == p.Id && v.UserId == userId),
            }).ToListAsync(ct);
        return solicitations.Select(s => new SolicitationView(s.Id, s.Title, s.OpensAt, s.ClosesAt, s.IsOpen(now),
            proposals.Where(p => p.SolicitationId == s.Id).OrderByDescending(p => p.Votes).ThenBy(p => p.Id)
                .Select(p => new ProposalView(p.Id, p.Kind, p.Text, p.Unit, p.Status, p.Votes, p.Mine)).ToList())).ToList();
    }

    /// <summary>Residents propose themes; staff propose their unit's events. Only while the solicitation is open.</summary>
    public async Task<string?> ProposeAsync(int solicitationId, ClaimsPrincipal user, string? proposal, CancellationToken ct = default)
    {
        var solicitation = await db.Set<ThemeSolicitation>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == solicitationId, ct);
        if (solicitation is null || !solicitation.IsOpen(clock.GetUtcNow())) return text["Vote.Closed"];
        proposal = Consultation.Comments.Clean(proposal ?? "");
        if (proposal.Length is 0 or > 500) return text["Proposal.Text"];
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var unitId = user.IsInRole(Roles.Staff) ? await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct) : null;
        db.Add(new ThemeProposal
        {
            SolicitationId = solicitationId, Kind = unitId is null ? ProposalKind.ResidentTheme : ProposalKind.UnitEvent, UnitId = unitId,
            Text = Platform.Privacy.PersonalDataMasker.Mask(proposal).Masked, ProposedBy = userId, Status = ProposalStatus.Proposed, CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<VoteOutcome> VoteAsync(int proposalId, Guid userId, CancellationToken ct = default)
    {
        var proposal = await db.Set<ThemeProposal>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == proposalId, ct);
        if (proposal is null) return VoteOutcome.NotFound;
        var solicitation = await db.Set<ThemeSolicitation>().AsNoTracking().SingleAsync(s => s.Id == proposal.SolicitationId, ct);
        if (!solicitation.IsOpen(clock.GetUtcNow())) return VoteOutcome.Closed;
        db.Add(new ThemeVote { ProposalId = proposalId, UserId = userId, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return VoteOutcome.Duplicate;
        }
        return VoteOutcome.Counted;
    }

    /// <summary>Admins approve the programme: each proposal chosen or not, seen beside its votes.</summary>
    public async Task<bool> DecideAsync(int proposalId, bool chosen, CancellationToken ct = default)
    {
        var proposal = await db.Set<ThemeProposal>().SingleOrDefaultAsync(p => p.Id == proposalId, ct);
        if (proposal is null) return false;
        var before = new { proposal.Status };
        proposal.Status = chosen ? ProposalStatus.Chosen : ProposalStatus.NotChosen;
        audit.Record("theme.decide", nameof(ThemeProposal), proposalId.ToString(), before, new { proposal.Status });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A solicitation for a year's Open Month runs 1-31 July unless another period is given (year-round activities).</summary>
    public async Task<int?> CreateAsync(string? title, DateTimeOffset opensAt, DateTimeOffset closesAt, CancellationToken ct = default)
    {
        title = Consultation.Comments.Clean(title ?? "");
        if (title.Length is 0 or > 200 || closesAt <= opensAt) return null;
        var solicitation = new ThemeSolicitation { Title = title, OpensAt = opensAt, ClosesAt = closesAt, CreatedAt = clock.GetUtcNow() };
        db.Add(solicitation);
        await db.SaveChangesAsync(ct);
        return solicitation.Id;
    }

    public static (DateTime Opens, DateTime Closes) DefaultPeriod(int year) => (new DateTime(year, 7, 1, 0, 0, 0), new DateTime(year, 8, 1, 0, 0, 0));
}

/// <summary>The public page of theme solicitations: propose, vote, and (admins) approve the programme.</summary>
[Route("events/themes")]
public sealed class ThemesController(ThemeSolicitationService themes, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet(""), AllowAnonymous]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await themes.ListAsync(UserId, ct));

    [HttpPost("{id:int}/proposals"), Authorize(Roles = Roles.Resident + "," + Roles.Staff)]
    public async Task<IActionResult> Propose(int id, string? proposal, CancellationToken ct) =>
        await themes.ProposeAsync(id, User, proposal, ct) is { } error ? await Refuse(error, StatusCodes.Status422UnprocessableEntity, ct) : Redirect($"/events/themes#solicitation-{id}");

    [HttpPost("proposals/{proposalId:int}/vote"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Vote(int proposalId, CancellationToken ct) => await themes.VoteAsync(proposalId, UserId!.Value, ct) switch
    {
        VoteOutcome.Counted => Redirect("/events/themes"),
        VoteOutcome.NotFound => NotFound(),
        VoteOutcome.Duplicate => await Refuse(text["Vote.Duplicate"], StatusCodes.Status409Conflict, ct),
        _ => await Refuse(text["Vote.Closed"], StatusCodes.Status422UnprocessableEntity, ct),
    };

    [HttpPost("proposals/{proposalId:int}/decide"), Authorize(Roles = Roles.Admin)]
    public async Task<IActionResult> Decide(int proposalId, bool chosen, CancellationToken ct) =>
        await themes.DecideAsync(proposalId, chosen, ct) ? Redirect("/events/themes") : NotFound();

    [HttpPost(""), Authorize(Roles = Roles.Admin)]
    public async Task<IActionResult> Create(string? title, DateTime? opensAt, DateTime? closesAt, CancellationToken ct)
    {
        var year = ChinaTime.Today(clock).Year;
        var (defaultOpens, defaultCloses) = ThemeSolicitationService.DefaultPeriod(year + (ChinaTime.Today(clock).Month > 7 ? 1 : 0));
        var opens = ChinaTime.IsPlausible(opensAt) ? opensAt!.Value : defaultOpens;
        var closes = ChinaTime.IsPlausible(closesAt) ? closesAt!.Value : defaultCloses;
        var id = await themes.CreateAsync(title, ChinaTime.FromChina(opens).ToUniversalTime(), ChinaTime.FromChina(closes).ToUniversalTime(), ct);
        return id is null ? await Refuse(text["Poll.Invalid"], StatusCodes.Status422UnprocessableEntity, ct) : Redirect($"/events/themes#solicitation-{id}");
    }

    private async Task<IActionResult> Refuse(string error, int status, CancellationToken ct)
    {
        Response.StatusCode = status;
        ModelState.AddModelError("", error);
        return View(nameof(Index), await themes.ListAsync(UserId, ct));
    }

    private Guid? UserId => Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
