using System.ComponentModel.DataAnnotations;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Accounts;

public sealed record LoginRequest(string? Email, string? Password);
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

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(LoginRequest? request, SignInManager<User> signIn)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password)
            || request.Email.Length > 256 || request.Password.Length > 256 || !new EmailAddressAttribute().IsValid(request.Email))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: "Send {\"email\", \"password\"} with a valid e-mail address.");
        }
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var user = await signIn.UserManager.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: "The e-mail address or password is wrong.");
        }
        var result = await signIn.PasswordSignInAsync(user, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // The bearer handler has written the token response.
            return TypedResults.Empty;
        }
        var detail = result.IsLockedOut ? "The account is locked after repeated failed sign-ins; try again in 15 minutes or reset the password."
            : result.IsNotAllowed ? "The e-mail address has not been confirmed yet; follow the link in the confirmation e-mail."
            : "The e-mail address or password is wrong.";
        return TypedResults.Problem(statusCode: 401, title: "Sign-in failed", detail: detail);
    }

    private static async Task<Results<EmptyHttpResult, ChallengeHttpResult, ProblemHttpResult>> Refresh(RefreshRequest? request,
        SignInManager<User> signIn, IOptionsMonitor<BearerTokenOptions> tokens, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request?.RefreshToken))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: "Send {\"refreshToken\"}.");
        }
        var protector = tokens.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Challenge();
        }
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
    }
}
