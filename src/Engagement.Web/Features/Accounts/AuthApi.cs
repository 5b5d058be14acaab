using System.ComponentModel.DataAnnotations;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Accounts;

public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode = null, string? TwoFactorRecoveryCode = null);
public sealed record RefreshRequest(string? RefreshToken);
public sealed record MeResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, int? UnitId);

/// <summary>
/// Bearer tokens for API clients, in the shape ASP.NET Core Identity's API endpoints give
/// (<c>{"tokenType","accessToken","expiresIn","refreshToken"}</c>).
/// </summary>
public static class AuthApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Accounts");

        auth.MapPost("/login", Login)
            .WithSummary("Exchange e-mail and password for a bearer token. Locks the account after repeated failures.")
            .AllowAnonymous()
            .RequireRateLimiting(PlatformSetup.AuthRateLimit)
            .DisableAntiforgery();

        auth.MapPost("/refresh", Refresh)
            .WithSummary("Exchange a refresh token for a new bearer token.")
            .AllowAnonymous()
            .RequireRateLimiting(PlatformSetup.AuthRateLimit)
            .DisableAntiforgery();

        auth.MapGet("/me", async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> (System.Security.Claims.ClaimsPrincipal principal, UserManager<User> users) =>
            {
                var user = await users.GetUserAsync(principal);
                if (user is null) return TypedResults.Unauthorized();
                var roles = await users.GetRolesAsync(user);
                return TypedResults.Ok(new MeResponse(user.Id, user.Email ?? "", user.DisplayName, roles.Order().ToList(), user.UnitId));
            })
            .WithSummary("Who the token or cookie belongs to, with their roles.")
            .RequireAuthorization();
    }

    private static async Task<IResult> Login(LoginRequest? request, SignInManager<User> signIn, SignInGate gate, TimeProvider clock, HttpContext http)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password)
            || request.Email.Length > 256 || request.Password.Length > 256 || !new EmailAddressAttribute().IsValid(request.Email)
            || request.TwoFactorCode?.Length > 20 || request.TwoFactorRecoveryCode?.Length > 40)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: "Send {\"email\", \"password\"} with a valid e-mail address.");
        }
        var outcome = await gate.CheckPasswordAsync(request.Email, request.Password, trustedDevice: null);
        if (outcome.Verdict == SignInVerdict.Paused) return Paused(outcome.PausedUntil!.Value, clock, http, "sign-ins for this address");
        if (outcome.Verdict != SignInVerdict.Success)
        {
            return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: outcome.Verdict switch
            {
                SignInVerdict.NotConfirmed => "The e-mail address has not been confirmed yet; follow the link in the confirmation e-mail.",
                SignInVerdict.Disabled => "This account has been disabled by the site's administrators.",
                _ => "The e-mail address or password is wrong.",
            });
        }
        var user = outcome.User!;
        var secondFactor = false;
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode) && string.IsNullOrWhiteSpace(request.TwoFactorRecoveryCode))
            {
                return TypedResults.Problem(statusCode: 401, title: "Second factor required",
                    detail: "RequiresTwoFactor: send the authenticator app's code as twoFactorCode (or a recovery code as twoFactorRecoveryCode) with the password.",
                    extensions: new Dictionary<string, object?> { ["requiresTwoFactor"] = true });
            }
            var second = await gate.CheckSecondFactorAsync(user, request.TwoFactorCode, request.TwoFactorRecoveryCode);
            if (second.Verdict == SignInVerdict.Paused) return Paused(second.PausedUntil!.Value, clock, http, "second-factor codes for this account");
            if (second.Verdict != SignInVerdict.Success)
            {
                return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "The two-factor code is wrong or has been used already.",
                    extensions: new Dictionary<string, object?> { ["requiresTwoFactor"] = true });
            }
            secondFactor = true;
        }
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, secondFactor ? [new System.Security.Claims.Claim("amr", "mfa")] : []);
        // The bearer handler has written the token response.
        return TypedResults.Empty;
    }

    private static IResult Paused(DateTimeOffset until, TimeProvider clock, HttpContext http, string what)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: 429, title: "Sign-in paused",
            detail: $"Too many failed {what}: signing in is paused for {seconds} seconds. A one-time sign-in link can be e-mailed from /account/sign-in-link.");
    }

    private static async Task<IResult> Refresh(RefreshRequest? request, SignInManager<User> signIn, SignInSessions sessions,
        IOptionsMonitor<BearerTokenOptions> tokens, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request?.RefreshToken) || request.RefreshToken.Length > 4096)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: "Send {\"refreshToken\"}.");
        }
        var protector = tokens.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await sessions.CheckAsync(ticket.Principal) is not { } session
            || !int.TryParse(ticket.Principal.FindFirstValue(SignInSessions.GenerationClaim), out var generation)
            || await signIn.UserManager.FindByIdAsync(session.UserId.ToString()) is not { } user)
        {
            return Ended();
        }
        // Each refresh token works once: a replayed one means a copy leaked, and ends the sign-in.
        if (!await sessions.RotateRefreshAsync(session.SessionId, generation)) return Ended();
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        List<System.Security.Claims.Claim> claims =
        [
            new(SignInSessions.SessionClaim, session.SessionId.ToString()),
            new(SignInSessions.GenerationClaim, (generation + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (session.SecondFactor) claims.Add(new("amr", "mfa"));
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        return TypedResults.Empty;
    }

    private static IResult Ended() =>
        TypedResults.Problem(statusCode: 401, title: "Signed out", detail: "The refresh token has ended (used already, expired, or the sign-in was ended). Sign in again.");
}
