using Engagement.Web.Platform.Health;
using System.Threading.RateLimiting;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Demo;
using Engagement.Web.Platform.Hosting;
using Engagement.Web.Platform.Outbox;
using Engagement.Web.Platform.Telemetry;
using Engagement.Web.Platform.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Engagement.Web.Platform;

/// <summary>The pieces every feature uses: database, clock, outbox, audit, languages, security, errors, health, telemetry, API document.</summary>
public static class PlatformSetup
{
    public const string AuthRateLimit = "auth";
    public static readonly string[] Cultures = ["zh-CN", "en"];

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        WebRoot.UseRepositoryWebRoot(builder.Environment);
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<Web.SiteLinks>();
        services.AddMemoryCache();
        services.AddDatabase(configuration, builder.Environment);

        services.AddScoped<AuditWriter>();
        services.AddScoped<Outbox.Outbox>();
        services.Configure<OutboxOptions>(configuration.GetSection("Outbox"));
        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddHostedService<OutboxSender>();
        services.Configure<DemoOptions>(configuration.GetSection("Demo"));
        services.AddScoped<DemoData>();

        services.AddDataProtection()
            .SetApplicationName("Engagement")
            .PersistKeysToDbContext<EngagementDbContext>()
            .ProtectKeysFromConfiguration(configuration, builder.Environment.ContentRootPath);

        // Chinese text is written as characters, not as numeric entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // A person's own pick (cookie) wins over what the browser asks for.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        // Model binding's own messages ("the value 'abc' is not valid") in the person's language too.
        services.AddOptions<MvcOptions>().Configure<Microsoft.Extensions.Localization.IStringLocalizerFactory>((o, factory) =>
        {
            var text = factory.Create(typeof(SharedResource));
            var messages = o.ModelBindingMessageProvider;
            messages.SetValueIsInvalidAccessor(value => string.Format(text["Binding.ValueIsInvalid"], value));
            messages.SetAttemptedValueIsInvalidAccessor((value, field) => string.Format(text["Binding.AttemptedValueIsInvalid"], value, field));
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => string.Format(text["Binding.ValueIsInvalid"], value));
            messages.SetUnknownValueIsInvalidAccessor(field => string.Format(text["Binding.UnknownValueIsInvalid"], field));
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => text["Binding.NonPropertyUnknownValueIsInvalid"]);
            messages.SetValueMustNotBeNullAccessor(value => string.Format(text["Binding.ValueMustNotBeNull"], value));
            messages.SetMissingBindRequiredValueAccessor(field => string.Format(text["Binding.MissingValue"], field));
            messages.SetMissingKeyOrValueAccessor(() => text["Binding.MissingKeyOrValue"]);
            messages.SetMissingRequestBodyRequiredValueAccessor(() => text["Binding.MissingBody"]);
            messages.SetValueMustBeANumberAccessor(field => string.Format(text["Binding.MustBeNumber"], field));
            messages.SetNonPropertyValueMustBeANumberAccessor(() => text["Binding.NonPropertyMustBeNumber"]);
        });
        services.Configure<RazorViewEngineOptions>(o => o.ViewLocationExpanders.Add(new FeatureViewLocationExpander()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "engagement.af";
            o.Cookie.SecurePolicy = SecureCookies(builder);
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.SecurePolicy = SecureCookies(builder);
            o.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.AddProblemDetails();
        services.AddOutputCache(o => o.AddPolicy(Web.PublicPagePolicy.Name, new Web.PublicPagePolicy()));
        // Computed snapshots (the year's figures), tagged like the pages and evicted with them on change.
        services.AddHybridCache(o => o.DefaultEntryOptions = new Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryOptions
        {
            Expiration = TimeSpan.FromMinutes(10), LocalCacheExpiration = TimeSpan.FromMinutes(1),
        });
        services.AddSingleton<Web.PublicPageCacheInvalidation>();
        services.AddReadinessChecks(configuration);
        builder.AddTelemetry();
        services.AddOpenApi(o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);

        var limited = configuration.GetValue("RateLimiting:Enabled", true);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthRateLimit, context => limited
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = configuration.GetValue("RateLimiting:AuthPermitsPerMinute", 10),
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                : RateLimitPartition.GetNoLimiter("off"));
        });
        return builder;
    }

    /// <summary>
    /// A limit of <paramref name="permitsKey"/> (default <paramref name="defaultPermits"/>) requests a minute per account,
    /// not per address: many residents may share one public Wi-Fi at an event. Off with RateLimiting:Enabled=false.
    /// </summary>
    public static IServiceCollection AddPerAccountRateLimit(this IServiceCollection services, IConfiguration configuration, string policy,
        string permitsKey, int defaultPermits)
    {
        var limited = configuration.GetValue("RateLimiting:Enabled", true);
        return services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o => o.AddPolicy(policy, context => limited
            ? RateLimitPartition.GetFixedWindowLimiter(context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = configuration.GetValue(permitsKey, defaultPermits), Window = TimeSpan.FromMinutes(1) })
            : RateLimitPartition.GetNoLimiter("off")));
    }

    /// <summary>Cookies are Secure outside development (Security:SecureCookies can say otherwise, for plain-http test hosts).</summary>
    public static CookieSecurePolicy SecureCookies(WebApplicationBuilder builder) =>
        builder.Configuration.GetValue("Security:SecureCookies", !builder.Environment.IsDevelopment())
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

    public static WebApplication UsePlatform(this WebApplication app)
    {
        if (app.Configuration.GetValue("ForwardedHeaders:Enabled", false))
        {
            // Behind a TLS-terminating reverse proxy: take the client's address and scheme from it, so Secure
            // cookies and redirects work. Only turn this on when a proxy is in front of every request.
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseRequestLogging();
        app.UseWhen(c => ErrorResponses.IsApi(c.Request), api => api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorResponses.WriteApiProblemAsync }));
        app.UseWhen(c => !ErrorResponses.IsApi(c.Request), pages => pages.UseExceptionHandler("/error/500"));
        app.UseWhen(c => ErrorResponses.IsApi(c.Request), api => api.UseStatusCodePages());
        app.UseWhen(c => !ErrorResponses.IsApi(c.Request), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStaticFiles();
        app.UseRequestLocalization();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>>().Value.Cookie.SecurePolicy == CookieSecurePolicy.Always)
        {
            app.UseMiddleware<HttpsRequired>();
        }
        app.UseRouting();
        app.UseAuthentication();
        // Every cookie and token is checked against its sign-in (ended? account gone? second factor owed?).
        app.UseMiddleware<SignInCheck>();
        app.UseMetricsNetworks();
        // After authentication, so a limit can be per account (comments) as well as per address (sign-in).
        app.UseRateLimiter();
        app.UseAuthorization();
        // Outside the output cache, so cached public pages get the visitor's own antiforgery token on the way out.
        app.UseMiddleware<Web.PublicPageTokens>();
        app.UseOutputCache();

        app.MapReadinessChecks();
        app.MapMetrics();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>Migrations, roles, the shipped calendars and (when on) demo data, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<EngagementDbContext>();
        if (DatabaseSetup.SqliteFile(db) is { } file)
        {
            // Held while the site runs, so a restore cannot replace the file under it (docs/DEPLOYMENT.md).
            var held = SqliteSiteLock.TryShared(file)
                ?? throw new InvalidOperationException($"A restore is replacing {file} just now; start the site when it has finished.");
            app.Lifetime.ApplicationStopped.Register(held.Dispose);
        }
        await DatabaseSetup.MigrateAsync(db, app.Logger);
        await AccountsSetup.EnsureRolesAsync(services);
        await services.GetRequiredService<CalendarService>().SeedShippedYearsAsync();
        await Features.Subscriptions.TopicList.EnsureDefaultsAsync(db);
        if (app.Configuration.GetValue("Demo:Enabled", false))
        {
            await services.GetRequiredService<DemoData>().EnsureAsync();
        }
    }
}

/// <summary>Marker for the resources shared by every view: layout, validation messages, field names.</summary>
public sealed class SharedResource;
