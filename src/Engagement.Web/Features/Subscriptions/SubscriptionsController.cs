using System.Globalization;
using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Subscriptions;

public static class SubscriptionsSetup
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services)
    {
        services.AddScoped<NoticeService>();
        services.AddHostedService<NoticeJob>();
        return services;
    }
}

public sealed record SubscriptionChoice(string Value, string Name, string NameEn, bool Chosen);

public sealed record SubscriptionsView(IReadOnlyList<SubscriptionChoice> Topics, IReadOnlyList<SubscriptionChoice> Units, IReadOnlyList<SubscriptionChoice> Streets,
    bool Enterprise, Delivery Delivery, string Language);

/// <summary>
/// What a signed-in person follows (units, topics, streets and towns, enterprise-related matters) and how they are
/// told (at once or weekly); and the unsubscribe link of every notice e-mail, which works without signing in.
/// </summary>
[Route("profile/subscriptions"), Authorize]
public sealed class SubscriptionsController(EngagementDbContext db, NoticeService notices, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    public const int MaxSubscriptions = 100;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ViewAsync(null, ct));

    [HttpPost("")]
    public async Task<IActionResult> Save(string[]? topics, string[]? units, string[]? streets, bool enterprise, Delivery delivery, string? language, CancellationToken ct)
    {
        var offeredTopics = (await TopicList.OfferedAsync(db, ct)).Select(t => t.Code).ToHashSet();
        var allUnits = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Kind }).ToListAsync(ct);
        var streetIds = allUnits.Where(u => u.Kind is UnitKind.StreetOffice or UnitKind.Town).Select(u => u.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var unitIds = allUnits.Where(u => u.Kind is not (UnitKind.StreetOffice or UnitKind.Town)).Select(u => u.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var wanted = (topics ?? []).Distinct().Select(v => (Kind: SubscriptionKind.Topic, Value: v))
            .Concat((units ?? []).Distinct().Select(v => (Kind: SubscriptionKind.Unit, Value: v)))
            .Concat((streets ?? []).Distinct().Select(v => (Kind: SubscriptionKind.Street, Value: v)))
            .Concat(enterprise ? [(Kind: SubscriptionKind.Enterprise, Value: "")] : []).ToList();
        string? error = null, field = null;
        if (!Enum.IsDefined(delivery)) (error, field) = (text["Subscriptions.Error.Delivery"], nameof(delivery));
        else if (wanted.Count > MaxSubscriptions) (error, field) = (string.Format(CultureInfo.CurrentCulture, text["Subscriptions.Error.TooMany"], MaxSubscriptions), "");
        else if (wanted.Any(w => w.Kind == SubscriptionKind.Topic && !offeredTopics.Contains(w.Value))) (error, field) = (text["Subscriptions.Error.Topic"], nameof(topics));
        else if (wanted.Any(w => w.Kind == SubscriptionKind.Unit && !unitIds.Contains(w.Value))) (error, field) = (text["Subscriptions.Error.Unit"], nameof(units));
        else if (wanted.Any(w => w.Kind == SubscriptionKind.Street && !streetIds.Contains(w.Value))) (error, field) = (text["Subscriptions.Error.Unit"], nameof(streets));
        if (error is not null)
        {
            ModelState.AddModelError(field!, error);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), await ViewAsync(wanted, ct));
        }

        var person = UserId;
        var current = await db.Set<Subscription>().Where(s => s.UserId == person).ToListAsync(ct);
        db.RemoveRange(current.Where(c => !wanted.Contains((c.Kind, c.Value))));
        var now = clock.GetUtcNow();
        foreach (var (kind, value) in wanted.Where(w => !current.Any(c => c.Kind == w.Kind && c.Value == w.Value)))
        {
            db.Add(new Subscription { UserId = person, Kind = kind, Value = value, CreatedAt = now });
        }
        var settings = await notices.SettingsAsync(person, ct);
        settings.Delivery = delivery;
        settings.Language = language == "en" ? "en" : language == "zh-CN" ? "zh-CN" : settings.Language;
        // What waits unsent was matched by the old choice: dropped, and the next round matches again by the new one.
        db.RemoveRange(await db.Set<Notice>().Where(n => n.UserId == person && n.SentAt == null).ToListAsync(ct));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same choice saved twice at once (a double click): the other save stands.
            db.ChangeTracker.Clear();
            ModelState.AddModelError("", text["Subscriptions.Error.Conflict"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(nameof(Index), await ViewAsync(null, ct));
        }
        TempData["Status"] = wanted.Count == 0 ? text["Subscriptions.SavedNone"].Value : string.Format(CultureInfo.CurrentCulture, text["Subscriptions.Saved"], wanted.Count);
        return Redirect("/profile/subscriptions");
    }

    private async Task<SubscriptionsView> ViewAsync(IReadOnlyList<(SubscriptionKind Kind, string Value)>? posted, CancellationToken ct)
    {
        var person = UserId;
        var chosen = posted ?? (await db.Set<Subscription>().AsNoTracking().Where(s => s.UserId == person).Select(s => new { s.Kind, s.Value }).ToListAsync(ct))
            .Select(s => (s.Kind, s.Value)).ToList();
        var settings = await db.Set<SubscriptionSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.UserId == person, ct);
        var topics = (await TopicList.OfferedAsync(db, ct)).Select(t => new SubscriptionChoice(t.Code, t.Name, t.NameEn, chosen.Contains((SubscriptionKind.Topic, t.Code)))).ToList();
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).ToListAsync(ct);
        SubscriptionChoice Choice(Unit u, SubscriptionKind kind) =>
            new(u.Id.ToString(CultureInfo.InvariantCulture), u.Name, u.LocalName(english: true), chosen.Contains((kind, u.Id.ToString(CultureInfo.InvariantCulture))));
        var language = settings?.Language ?? (CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal) ? "en" : "zh-CN");
        return new SubscriptionsView(topics,
            units.Where(u => u.Kind is not (UnitKind.StreetOffice or UnitKind.Town)).Select(u => Choice(u, SubscriptionKind.Unit)).ToList(),
            units.Where(u => u.Kind is UnitKind.StreetOffice or UnitKind.Town).Select(u => Choice(u, SubscriptionKind.Street)).ToList(),
            chosen.Contains((SubscriptionKind.Enterprise, "")), settings?.Delivery ?? Delivery.Immediate, language);
    }

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
}

/// <summary>
/// The unsubscribe link of every notice e-mail: the page asks with one button (a mail scanner following the link
/// changes nothing); a POST, from that button or from the mail program (RFC 8058 one-click), stops every notice.
/// </summary>
[Route("unsubscribe/{token}"), AllowAnonymous]
public sealed class UnsubscribeController(EngagementDbContext db) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string token, CancellationToken ct) =>
        await SettingsAsync(token, ct) is null ? NotFound() : View(new UnsubscribeView(token, Done: false));

    // No antiforgery: the mail program posts "List-Unsubscribe=One-Click" with no page and no cookie; the token is the proof.
    [HttpPost(""), IgnoreAntiforgeryToken]
    public async Task<IActionResult> Confirm(string token, CancellationToken ct)
    {
        if (await SettingsAsync(token, ct) is not { } settings) return NotFound();
        await db.Set<Subscription>().Where(s => s.UserId == settings.UserId).ExecuteDeleteAsync(ct);
        await db.Set<Notice>().Where(n => n.UserId == settings.UserId && n.SentAt == null).ExecuteDeleteAsync(ct);
        return View(nameof(Index), new UnsubscribeView(token, Done: true));
    }

    private Task<SubscriptionSettings?> SettingsAsync(string token, CancellationToken ct) =>
        token is { Length: 48 } ? db.Set<SubscriptionSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.UnsubscribeToken == token, ct) : Task.FromResult<SubscriptionSettings?>(null);
}

public sealed record UnsubscribeView(string Token, bool Done);
