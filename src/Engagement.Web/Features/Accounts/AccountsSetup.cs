using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace Engagement.Web.Features.Accounts;

public static class AccountsSetup
{
    /// <summary>Chooses the bearer token for API clients that send one, the cookie otherwise.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddIdentity<User, Role>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedEmail = true;
                // Long and simple beats short and cryptic, for older residents too.
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Failed sign-ins are counted by SignInThrottles (per address, per known device), never by locking the
                // account: Identity's lockout end only marks an account an admin has disabled.
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<EngagementDbContext>()
            .AddSignInManager<SessionSignInManager>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultAuthenticateScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
                o.DefaultForbidScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, null, o => o.ForwardDefaultSelector = context =>
                SendsBearer(context.Request)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                // The refresh token lives as long as its sign-in may (SignInSessions.Lifetime), and is checked against it.
                o.RefreshTokenExpiration = SignInSessions.Lifetime;
                // Browsers cannot put headers on a WebSocket, so hub clients may pass the token as access_token.
                o.Events.OnMessageReceived = context =>
                {
                    if (HubToken(context.Request) is { } token) context.Token = token;
                    return Task.CompletedTask;
                };
            });

        var secure = configuration.GetValue("Security:SecureCookies", !environment.IsDevelopment());
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "engagement.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            // SignInCheck checks the sign-in at every request, instead of Identity's stamp check every few minutes.
            o.Events.OnValidatePrincipal = _ => Task.CompletedTask;
            // The API answers 401/403; only pages are redirected to the sign-in page.
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        services.AddScoped<AccountMail>();
        services.AddScoped<SignInSessions>();
        services.AddScoped<SignInThrottles>();
        services.AddScoped<SignInGate>();
        services.AddScoped<SignInLinks>();
        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<TwoFactorPolicy>();
        services.AddSingleton<SignedInConnections>();
        services.AddHostedService<SignInSweep>();
        services.AddScoped<FirstAdmin>();
        services.AddScoped<AccountErasure>();
        return services;
    }

    /// <summary>Whether the request authenticates with a bearer token (header, or a hub's access_token).</summary>
    public static bool SendsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || HubToken(request) is not null;

    private static string? HubToken(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;

    private static Task ApiOrRedirect(HttpContext context, string redirectUri, int status)
    {
        if (Platform.Web.ErrorResponses.IsApi(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        AuthApi.Map(app);
        return app;
    }

    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<Role>>();
        foreach (var name in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new Role(name));
            }
        }
    }
}
