using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Features.Home;

/// <summary>What the home page lists as open now; each later feature contributes its own (consultations, meetings, events, live sessions).</summary>
public enum OpenNowKind { Consultation, Meeting, Event, LiveSession }

/// <summary>One thing open now: until when it stays open, or (not yet open) from when; a live session's join code.</summary>
public sealed record OpenNowItem(OpenNowKind Kind, string Title, string Url, DateTimeOffset? Until, DateTimeOffset? Opens = null, string? Code = null);

public interface IOpenNowSource
{
    Task<IReadOnlyList<OpenNowItem>> OpenNowAsync(CancellationToken cancellationToken);
}

public sealed record TodayView(DateOnly Date, bool? IsWorkingDay, string? Holiday);
public sealed record HomeView(TodayView Today, IReadOnlyDictionary<OpenNowKind, IReadOnlyList<OpenNowItem>> Open, Statistics.StatisticsFigures Figures);

public static class HomeSetup
{
    public static IServiceCollection AddHome(this IServiceCollection services) => services;
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder app)
    {
        app.MapControllers();
        return app;
    }
}

[AllowAnonymous]
public sealed class HomeController(IEnumerable<IOpenNowSource> sources, CalendarService calendars, Statistics.StatisticsService statistics, TimeProvider clock) : Controller
{
    [HttpGet("/"), Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var items = new List<OpenNowItem>();
        foreach (var source in sources)
        {
            items.AddRange(await source.OpenNowAsync(cancellationToken));
        }
        var open = Enum.GetValues<OpenNowKind>().ToDictionary(k => k,
            k => (IReadOnlyList<OpenNowItem>)items.Where(i => i.Kind == k).OrderBy(i => i.Opens is null ? 0 : 1).ThenBy(i => i.Until ?? i.Opens).ToList());

        var today = ChinaTime.Today(clock);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var todayView = calendar.HasYear(today.Year)
            ? new TodayView(today, calendar.IsWorkingDay(today), calendar.Special(today)?.Name)
            : new TodayView(today, null, null);
        // The year's figures come from the statistics service, as on /statistics and the unit pages (数据同源), as a snapshot.
        return View(new HomeView(todayView, open, await statistics.SnapshotAsync(today.Year, cancellationToken)));
    }

    // Any method: the status-code page re-executes the failed request, POST included. Without antiforgery: a refused
    // POST (403, 404, 413 ...) must keep its status rather than become a 400 for the missing token on the way.
    [Route("/error/{status:int}"), IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        // From the route only, and without model binding: binding would read the re-executed request's form, which may
        // be what failed (a NUL character, a malformed body), or carry a field named "status".
        var status = int.TryParse(HttpContext.GetRouteValue("status") as string, out var s) ? s : 500;
        // Re-executed by the exception handler: a database that cannot be reached is a 503 ("try again shortly").
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error is { } error)
        {
            status = Platform.Web.ErrorResponses.StatusOf(error);
            if (status == 503) Response.Headers.RetryAfter = Platform.Web.ErrorResponses.RetryAfterSeconds.ToString();
        }
        // The status is kept as it was (a 409 stays a 409); only something that is no error status becomes a 500.
        var kept = status is >= 400 and < 600 ? status : 500;
        Response.StatusCode = kept;
        return View("Error", kept);
    }
}

/// <summary>The language switch and the elder-friendly switch: plain forms that work without JavaScript, remembered in cookies.</summary>
[AllowAnonymous, Route("preferences")]
public sealed class PreferencesController : Controller
{
    public const string ElderCookie = "engagement.elder";

    [HttpPost("language")]
    public IActionResult Language(string culture, string? returnUrl)
    {
        if (!Platform.PlatformSetup.Cultures.Contains(culture))
        {
            return BadRequest();
        }
        Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    [HttpPost("elder")]
    public IActionResult Elder(bool on, string? returnUrl)
    {
        if (on)
        {
            Response.Cookies.Append(ElderCookie, "1",
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps });
        }
        else
        {
            Response.Cookies.Delete(ElderCookie);
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    public static bool IsElderMode(HttpContext context) => context.Request.Cookies[ElderCookie] == "1";
}
