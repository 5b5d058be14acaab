using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Engagement.Web.Platform.Web;

/// <summary>
/// Output caching of the public read pages (home, catalog, decision pages, messages, events, meetings, statistics,
/// unit pages) for visitors who are not signed in. A page is stored per address, query, language and elder mode, for
/// <c>OutputCache:Seconds</c> (default 30) at most, and evicted the moment a change to what it shows is saved
/// (<see cref="PublicPageCacheInvalidation"/>), so a newly published comment shows at once. Signed-in people, API
/// calls and anything that sets a cookie are never cached. The antiforgery token of the layout's forms is written
/// into each response as it leaves (<see cref="PublicPageTokens"/>), so a cached page still carries the visitor's own.
/// </summary>
public sealed class PublicPagePolicy : IOutputCachePolicy
{
    public const string Name = "public";
    public const string CacheableItem = "engagement.cacheable-page";
    public const string TokenPlaceholder = "__ENGAGEMENT_ANTIFORGERY_TOKEN__";

    /// <summary>Which pages a kind of change touches. The summary pages (home, statistics, units) show everything.</summary>
    public const string Summary = "summary", Decisions = "decisions", Messages = "messages", Events = "events", Meetings = "meetings";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var anonymous = !request.Headers.ContainsKey("Authorization")
            && !request.Cookies.ContainsKey("engagement.auth")
            && !request.Cookies.Keys.Any(k => k.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider", StringComparison.Ordinal));
        var seconds = http.RequestServices.GetRequiredService<IConfiguration>().GetValue("OutputCache:Seconds", 30);
        var cacheable = anonymous && seconds > 0 && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        if (!cacheable) return ValueTask.CompletedTask;
        http.Items[CacheableItem] = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(seconds);
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["culture"] = System.Globalization.CultureInfo.CurrentUICulture.Name;
        context.CacheVaryByRules.VaryByValues["elder"] = request.Cookies[Features.Home.PreferencesController.ElderCookie] ?? "";
        var path = request.Path.Value ?? "/";
        context.Tags.Add(path.StartsWith("/decisions", StringComparison.Ordinal) ? Decisions
            : path.StartsWith("/messages", StringComparison.Ordinal) ? Messages
            : path.StartsWith("/events", StringComparison.Ordinal) ? Events
            : path.StartsWith("/meetings", StringComparison.Ordinal) ? Meetings
            : Summary);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        // A response that sets a cookie (an antiforgery token of another form) belongs to one visitor. The TempData
        // cookie's deletion is the one exception: it is the same for everyone, and a visitor who has that cookie is
        // never served from the cache (see above).
        var personal = response.Headers.SetCookie.Any(c => c is not null && !c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=;", StringComparison.Ordinal));
        if (response.StatusCode != StatusCodes.Status200OK || personal)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Writes the visitor's own antiforgery token where a cacheable page has the placeholder, on the way out (cached or
/// not), so the language and elder-mode forms keep their antiforgery check on cached pages.
/// </summary>
public sealed class PublicPageTokens(RequestDelegate next)
{
    private static readonly byte[] Placeholder = System.Text.Encoding.UTF8.GetBytes(PublicPagePolicy.TokenPlaceholder);

    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs")
            || context.Request.Path.StartsWithSegments("/lib") || context.Request.Path.StartsWithSegments("/css") || context.Request.Path.StartsWithSegments("/js"))
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        // Nothing written (a 404 the status-code page will fill, a redirect): leave the response unstarted.
        if (buffer.Length == 0) return;
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var at = bytes.Span.IndexOf(Placeholder);
        if (at < 0)
        {
            await original.WriteAsync(bytes);
            return;
        }
        var token = System.Text.Encoding.UTF8.GetBytes(antiforgery.GetAndStoreTokens(context).RequestToken!);
        using var rewritten = new MemoryStream(bytes.Length + 256);
        var rest = bytes;
        while ((at = rest.Span.IndexOf(Placeholder)) >= 0)
        {
            rewritten.Write(rest.Span[..at]);
            rewritten.Write(token);
            rest = rest[(at + Placeholder.Length)..];
        }
        rewritten.Write(rest.Span);
        context.Response.ContentLength = rewritten.Length;
        await original.WriteAsync(rewritten.GetBuffer().AsMemory(0, (int)rewritten.Length));
    }
}

/// <summary>
/// Evicts the cached pages, and the cached snapshots they are built from, that a saved change touches, when it is saved and again when its transaction commits (so a page
/// rendered between the two cannot keep the old state). Which pages a change touches follows its feature.
/// </summary>
public sealed class PublicPageCacheInvalidation(IOutputCacheStore store, IEnumerable<Microsoft.Extensions.Caching.Hybrid.HybridCache> snapshots) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        EvictAsync(eventData.Context, keep: eventData.Context?.Database.CurrentTransaction is not null).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await EvictAsync(eventData.Context, keep: eventData.Context?.Database.CurrentTransaction is not null);
        return result;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        EvictAsync(eventData.Context, keep: false).AsTask().GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        EvictAsync(eventData.Context, keep: false).AsTask();

    // What a transaction rolled back never reached the pages: contexts are pooled, and its tags would otherwise wait on
    // the context to be evicted with the next request's commit. (Not cleared when a transaction starts: SaveChanges
    // starts its own between remembering and evicting.)
    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The tags waiting for this context's commit (empty when none).</summary>
    public IReadOnlyCollection<string> PendingFor(DbContext context) => _pending.TryGetValue(context, out var tags) ? [.. tags] : [];

    private void Forget(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var tags)) tags.Clear();
    }

    private void Remember(DbContext? context)
    {
        if (context is null) return;
        var tags = _pending.GetOrCreateValue(context);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached) continue;
            foreach (var tag in TagsOf(entry.Metadata.ClrType)) tags.Add(tag);
        }
    }

    private async ValueTask EvictAsync(DbContext? context, bool keep)
    {
        if (context is null || !_pending.TryGetValue(context, out var tags) || tags.Count == 0) return;
        foreach (var tag in tags)
        {
            await store.EvictByTagAsync(tag, default);
            // The computed snapshots the pages are built from (the year's figures) go with them.
            foreach (var cache in snapshots) await cache.RemoveByTagAsync(tag, default);
        }
        if (!keep) tags.Clear();
    }

    /// <summary>The pages that show an entity of this type.</summary>
    public static IEnumerable<string> TagsOf(Type type)
    {
        var ns = type.Namespace ?? "";
        if (type == typeof(Audit.AuditEntry) || ns.Contains(".Outbox", StringComparison.Ordinal)) return [];
        // What a person follows and is told is shown to them only, on pages never cached.
        if (type == typeof(Features.Subscriptions.Subscription) || type == typeof(Features.Subscriptions.SubscriptionSettings)
            || type == typeof(Features.Subscriptions.Notice)) return [];
        if (ns.EndsWith("Features.Accounts", StringComparison.Ordinal) || ns.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)) return [];
        if (ns.EndsWith("Features.Consultation", StringComparison.Ordinal) || ns.EndsWith("Features.Adoption", StringComparison.Ordinal))
            return [PublicPagePolicy.Decisions, PublicPagePolicy.Summary, PublicPagePolicy.Meetings];
        if (ns.EndsWith("Features.Messages", StringComparison.Ordinal)) return [PublicPagePolicy.Messages, PublicPagePolicy.Decisions, PublicPagePolicy.Summary];
        if (ns.EndsWith("Features.Faq", StringComparison.Ordinal) || ns.EndsWith("Features.Live", StringComparison.Ordinal))
            return [PublicPagePolicy.Decisions, PublicPagePolicy.Events, PublicPagePolicy.Meetings, PublicPagePolicy.Messages, PublicPagePolicy.Summary];
        if (ns.EndsWith("Features.OpenMonth", StringComparison.Ordinal)) return [PublicPagePolicy.Events, PublicPagePolicy.Summary];
        if (ns.EndsWith("Features.Meetings", StringComparison.Ordinal)) return [PublicPagePolicy.Meetings, PublicPagePolicy.Decisions, PublicPagePolicy.Summary];
        // Units, the calendar and anything new: every page.
        return [PublicPagePolicy.Summary, PublicPagePolicy.Decisions, PublicPagePolicy.Messages, PublicPagePolicy.Events, PublicPagePolicy.Meetings];
    }
}
