using System.Collections.Concurrent;
using System.Security.Claims;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Accounts;

public sealed record SessionState(Guid UserId, Guid SessionId, bool SecondFactor, bool TwoFactorEnabled);

/// <summary>
/// Where a person is signed in, and the one rule for when a sign-in ends (<see cref="SignInSession"/>): the session
/// row must exist, be unexpired and carry the account's current security stamp, and the account must exist and not be
/// disabled. Checked at every authenticated request by <see cref="SignInCheck"/>, and every minute for open live-hub
/// connections by <see cref="SignInSweep"/>.
/// </summary>
public sealed class SignInSessions(EngagementDbContext db, UserManager<User> users, TimeProvider clock, SignedInConnections connections,
    IHttpContextAccessor http)
{
    public const string SessionClaim = "sid";
    public const string GenerationClaim = "sgen";

    /// <summary>A sign-in unused for this long ends (a refresh token or an active cookie keeps it going).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>How stale "last active" may be before a request writes it again.</summary>
    private static readonly TimeSpan SeenGranularity = TimeSpan.FromMinutes(5);

    public static Guid? IdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static Guid? UserIdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public async Task<SignInSession> StartAsync(User user, SignInKind kind, bool secondFactor)
    {
        var now = clock.GetUtcNow();
        var request = http.HttpContext?.Request;
        var session = new SignInSession
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            Kind = kind,
            Stamp = user.SecurityStamp ?? "",
            Device = DeviceName.Of(request?.Headers.UserAgent.ToString(), kind),
            Address = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + Lifetime,
            SecondFactor = secondFactor,
        };
        // Ended sign-ins of the person are cleared on the way, so their list stays short.
        await db.SignInSessions.Where(s => s.UserId == user.Id && (s.Stamp != session.Stamp || s.ExpiresAt < now)).ExecuteDeleteAsync();
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync();
        return session;
    }

    /// <summary>The sign-in a request's principal carries, if it is still good; null when it has ended.</summary>
    public async Task<SessionState?> CheckAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (IdOf(principal) is not { } id || UserIdOf(principal) is not { } userId) return null;
        var now = clock.GetUtcNow();
        var row = await db.SignInSessions.AsNoTracking()
            .Where(s => s.Id == id && s.UserId == userId)
            .Select(s => new { s.Stamp, s.ExpiresAt, s.LastSeenAt, s.SecondFactor, UserStamp = s.User!.SecurityStamp, s.User.LockoutEnd, s.User.TwoFactorEnabled })
            .SingleOrDefaultAsync(ct);
        if (row is null || row.Stamp != row.UserStamp || row.ExpiresAt <= now || row.LockoutEnd > now) return null;
        if (now - row.LastSeenAt > SeenGranularity)
        {
            await db.SignInSessions.Where(s => s.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, now + Lifetime), ct);
        }
        return new SessionState(userId, id, row.SecondFactor, row.TwoFactorEnabled);
    }

    /// <summary>The person's current sign-ins, most recently active first.</summary>
    public async Task<IReadOnlyList<SignInSession>> ListAsync(User user)
    {
        var now = clock.GetUtcNow();
        var stamp = user.SecurityStamp ?? "";
        var rows = await db.SignInSessions.AsNoTracking().Where(s => s.UserId == user.Id && s.Stamp == stamp).ToListAsync();
        return rows.Where(s => s.ExpiresAt > now).OrderByDescending(s => s.LastSeenAt).ToList();
    }

    /// <summary>Signs one place out. False when the person has no such sign-in.</summary>
    public async Task<bool> EndAsync(Guid userId, Guid sessionId)
    {
        var ended = await db.SignInSessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync() > 0;
        connections.Close((_, session) => session == sessionId);
        return ended;
    }

    /// <summary>
    /// Signs the person out everywhere (a new security stamp ends every cookie, token and refresh token), except
    /// <paramref name="keep"/>: the place where the person themself just changed their password or second factor.
    /// </summary>
    public async Task EndAllAsync(User user, Guid? keep = null)
    {
        await users.UpdateSecurityStampAsync(user);
        await KeepOnlyAsync(user, keep);
    }

    /// <summary>
    /// After Identity changed the stamp itself (a password change or reset, turning the second factor on or off): every
    /// other sign-in has ended already; this clears them and carries <paramref name="keep"/> over to the new stamp.
    /// </summary>
    public async Task KeepOnlyAsync(User user, Guid? keep, bool secondFactor = false)
    {
        await db.SignInSessions.Where(s => s.UserId == user.Id && s.Id != keep).ExecuteDeleteAsync();
        if (keep is { } id)
        {
            var stamp = user.SecurityStamp ?? "";
            await db.SignInSessions.Where(s => s.Id == id && s.UserId == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Stamp, stamp).SetProperty(x => x.SecondFactor, x => x.SecondFactor || secondFactor));
        }
        connections.Close((person, session) => person == user.Id && session != keep);
    }

    /// <summary>Moves an API sign-in to its next refresh token; false (and the sign-in ended) when an old one is replayed.</summary>
    public async Task<bool> RotateRefreshAsync(Guid sessionId, int generation)
    {
        var moved = await db.SignInSessions.Where(s => s.Id == sessionId && s.RefreshGeneration == generation)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RefreshGeneration, generation + 1));
        if (moved == 1) return true;
        await db.SignInSessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync();
        connections.Close((_, session) => session == sessionId);
        return false;
    }
}

/// <summary>
/// Every sign-in goes through <see cref="SignInWithClaimsAsync"/>, which opens a <see cref="SignInSession"/> and puts
/// its id into the cookie or token; signing out deletes it.
/// </summary>
public sealed class SessionSignInManager(UserManager<User> userManager, IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<User> claimsFactory, IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<User>> logger,
    IAuthenticationSchemeProvider schemes, IUserConfirmation<User> confirmation)
    : SignInManager<User>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task SignInWithClaimsAsync(User user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        if (!claims.Any(c => c.Type == SignInSessions.SessionClaim))
        {
            var kind = AuthenticationScheme == IdentityConstants.BearerScheme ? SignInKind.Api : SignInKind.Browser;
            var secondFactor = claims.Any(c => c.Type == "amr" && c.Value == "mfa");
            var session = await Context.RequestServices.GetRequiredService<SignInSessions>().StartAsync(user, kind, secondFactor);
            claims.Add(new Claim(SignInSessions.SessionClaim, session.Id.ToString()));
            claims.Add(new Claim(SignInSessions.GenerationClaim, "0"));
        }
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    public override async Task SignOutAsync()
    {
        if (SignInSessions.IdOf(Context.User) is { } session && SignInSessions.UserIdOf(Context.User) is { } person)
        {
            await Context.RequestServices.GetRequiredService<SignInSessions>().EndAsync(person, session);
        }
        await base.SignOutAsync();
    }
}

/// <summary>
/// Runs right after authentication. A cookie or token whose sign-in has ended makes the request anonymous: an API
/// request (or any request with a bearer token) is answered 401 at once, a page request loses its cookie and goes on
/// as a visitor's. Staff who must sign in with a second factor and have not are sent to set it up.
/// </summary>
public sealed class SignInCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            // A visitor's request takes no database context and no user manager: a live hub connection is one long
            // request, and thousands of them held one each (docs/PERFORMANCE.md, "Live Q&A").
            await next(context);
            return;
        }
        var state = await context.RequestServices.GetRequiredService<SignInSessions>().CheckAsync(context.User, context.RequestAborted);
        var twoFactor = context.RequestServices.GetRequiredService<TwoFactorPolicy>();
        if (state is null)
        {
            var bearer = AccountsSetup.SendsBearer(context.Request);
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            if (!bearer) await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            if (bearer || Platform.Web.ErrorResponses.IsApi(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (bearer) context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"the sign-in has ended\"";
                await Results.Problem(statusCode: 401, title: "Signed out",
                    detail: "This sign-in has ended (signed out, password changed, account changed, disabled or deleted). Sign in again.").ExecuteAsync(context);
                return;
            }
            await next(context);
            return;
        }
        if (!state.SecondFactor && twoFactor.IsRequired(context.User) && !TwoFactorPolicy.AllowedBeforeSetUp(context.Request.Path))
        {
            if (Platform.Web.ErrorResponses.IsApi(context.Request) || AccountsSetup.SendsBearer(context.Request))
            {
                await Results.Problem(statusCode: 403, title: "Second factor required",
                    detail: "Staff and admin accounts sign in with a second factor. Set it up in a browser at /profile/two-factor, then sign in again with twoFactorCode.")
                    .ExecuteAsync(context);
                return;
            }
            context.Response.Redirect("/profile/two-factor?required=1");
            return;
        }
        await next(context);
    }
}

/// <summary>
/// The live hub's connections of signed-in people, so that ending a sign-in closes them at once on this instance;
/// <see cref="SignInSweep"/> catches those on other instances within a minute.
/// </summary>
public sealed class SignedInConnections
{
    private readonly ConcurrentDictionary<string, (Guid User, Guid Session, HubCallerContext Context)> _open = new();

    public void Opened(HubCallerContext context)
    {
        if (SignInSessions.UserIdOf(context.User) is { } user && SignInSessions.IdOf(context.User) is { } session)
        {
            _open[context.ConnectionId] = (user, session, context);
        }
    }

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    public IReadOnlyCollection<Guid> Sessions => _open.Values.Select(v => v.Session).Distinct().ToList();

    public int Close(Func<Guid, Guid, bool> which)
    {
        var closed = 0;
        foreach (var (id, open) in _open)
        {
            if (!which(open.User, open.Session)) continue;
            open.Context.Abort();
            _open.TryRemove(id, out _);
            closed++;
        }
        return closed;
    }
}

/// <summary>Every minute: closes hub connections whose sign-in has ended elsewhere, and clears spent rows.</summary>
public sealed class SignInSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SignInSweep> logger, SignedInConnections connections)
    : Platform.PeriodicJob(scopes, configuration, logger, "Accounts:SweepEnabled", "Accounts:SweepMinutes")
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<EngagementDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var open = connections.Sessions;
        if (open.Count > 0)
        {
            var rows = await db.SignInSessions.AsNoTracking().Where(s => open.Contains(s.Id))
                .Select(s => new { s.Id, Good = s.Stamp == s.User!.SecurityStamp, s.ExpiresAt, s.User.LockoutEnd }).ToListAsync(ct);
            var good = rows.Where(r => r.Good && r.ExpiresAt > now && !(r.LockoutEnd > now)).Select(r => r.Id).ToHashSet();
            connections.Close((_, session) => !good.Contains(session));
        }
        await db.SignInSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var day = now.AddDays(-1);
        await db.SignInLinks.Where(l => l.ExpiresAt < day).ExecuteDeleteAsync(ct);
        await db.SignInThrottles.Where(t => t.LastFailureAt < day).ExecuteDeleteAsync(ct);
    }
}

/// <summary>"Chrome · Windows" from a User-Agent, for a person's list of sign-ins.</summary>
public static class DeviceName
{
    public static string Of(string? userAgent, SignInKind kind)
    {
        var ua = userAgent ?? "";
        string? browser = Find(ua, ("MicroMessenger", "WeChat"), ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("HeadlessChrome", "Chromium"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"));
        string? system = Find(ua, ("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Mac OS X", "macOS"),
            ("CrOS", "ChromeOS"), ("Linux", "Linux"));
        if (browser is null && system is null)
        {
            var product = ua.Split(' ', 2)[0];
            var name = product.Length == 0 ? (kind == SignInKind.Api ? "API" : "?") : product;
            return name.Length > 60 ? name[..60] : name;
        }
        return string.Join(" · ", new[] { browser, system }.Where(p => p is not null));
    }

    private static string? Find(string ua, params (string Token, string Name)[] known) =>
        known.FirstOrDefault(k => ua.Contains(k.Token, StringComparison.OrdinalIgnoreCase)).Name;
}
