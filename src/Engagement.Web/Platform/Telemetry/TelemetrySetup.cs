using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Engagement.Web.Platform.Telemetry;

/// <summary>
/// What an operations team's own tools read (docs/DEPLOYMENT.md, "Watching the site"):
/// <list type="bullet">
/// <item>metrics through OpenTelemetry: the site's <c>engagement.*</c> figures, ASP.NET Core, HttpClient and the runtime;
/// scraped by Prometheus at <c>/metrics</c> (only from <c>Metrics:AllowedNetworks</c>, loopback by default, never
/// cached) and pushed over OTLP when <c>OpenTelemetry:Endpoint</c> is set;</item>
/// <item>traces of requests, outgoing HTTP and database commands, over OTLP when <c>OpenTelemetry:Endpoint</c> is set
/// (none are recorded otherwise);</item>
/// <item>JSON console logs outside Development, one object a line, with the trace and span ids and the request path
/// in its scopes.</item>
/// </list>
/// <c>OpenTelemetry:Enabled=false</c> turns metrics and traces off (the load benchmark's baseline).
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "engagement";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        UseJsonLogs(builder);
        if (configuration.GetValue("Logging:Requests", false))
        {
            // A line a request: method, path, status and time. Never the query string (a search for one's own name or
            // phone number), headers or bodies.
            services.AddHttpLogging(o =>
            {
                o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestMethod | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestPath
                    | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.ResponseStatusCode | Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.Duration;
                o.CombineLogs = true;
            });
            services.AddSingleton<Microsoft.AspNetCore.HttpLogging.IHttpLoggingInterceptor, RedactedPaths>();
            builder.Logging.AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Information);
        }

        services.TryAddSingleton<LiveFigures>();
        services.AddSingleton<OperationsFigures>();
        services.AddSingleton<EngagementMetrics>();
        if (!configuration.GetValue("OpenTelemetry:Enabled", true)) return builder;
        // The gauges' snapshot is refreshed only when something can read it.
        services.AddHostedService<OperationsFiguresRefresher>();

        var endpoint = configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } value ? new Uri(value) : null;
        var protocol = string.Equals(configuration["OpenTelemetry:Protocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r
            .AddService(configuration["OpenTelemetry:ServiceName"] ?? ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: configuration["OpenTelemetry:InstanceId"] ?? $"{Environment.MachineName}:{Environment.ProcessId}"));
        otel.WithMetrics(metrics =>
        {
            // Only the meters the dashboard and alerts read: each enabled instrument is recorded on every request, and
            // the routing, authentication, identity and memory-pool histograms of ASP.NET Core cost CPU on the hot path
            // that nobody watches (docs/PERFORMANCE.md, "Telemetry").
            metrics.AddMeter(EngagementMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                    "Microsoft.AspNetCore.Http.Connections", "System.Net.Http")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = configuration.GetValue("Metrics:ScrapeCacheMilliseconds", 0));
            if (endpoint is not null) metrics.AddOtlpExporter(o => Otlp(o, endpoint, protocol, "v1/metrics"));
            // OpenTelemetry listens to meters by name, process-wide; meters made by another host's IMeterFactory in the
            // same process (the integration tests run several sites at once) are not this site's, so they are dropped.
            ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
            {
                var own = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Scope is System.Diagnostics.Metrics.IMeterFactory factory && !ReferenceEquals(factory, own)
                    ? MetricStreamConfiguration.Drop
                    : null);
            });
        });
        if (endpoint is not null)
        {
            var ratio = Math.Clamp(configuration.GetValue("OpenTelemetry:SampleRatio", 1.0), 0, 1);
            var databaseSpans = configuration.GetValue("OpenTelemetry:TraceDatabase", true);
            otel.WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                    // Probes and scrapes every few seconds would drown the requests people make.
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !IsOperational(c.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter(o => Otlp(o, endpoint, protocol, "v1/traces"));
                // A span per database command: command text only, never parameter values, so a comment's text never
                // reaches a span. It costs CPU on every command, sampled or not (docs/PERFORMANCE.md, "Telemetry").
                if (databaseSpans) tracing.AddEntityFrameworkCoreInstrumentation();
            });
        }
        return builder;
    }

    /// <summary>With http/protobuf each signal has its own path under the collector's address; gRPC takes the address as it is.</summary>
    private static void Otlp(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "/" or ""
            ? new Uri(endpoint, signalPath)
            : endpoint;
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments(MetricsPath);

    /// <summary>
    /// Outside Development the console writes one JSON object a line (what journald, Loki or Elasticsearch read), with
    /// scopes: the trace and span ids, and the request's path. <c>Logging:Console:FormatterName=simple</c> turns it back.
    /// </summary>
    private static void UseJsonLogs(WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        if (formatter is { Length: > 0 } ? !string.Equals(formatter, "json", StringComparison.OrdinalIgnoreCase) : builder.Environment.IsDevelopment()) return;
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            // Chinese as characters, not \uXXXX: a person reading the log can read it.
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
    }

    /// <summary>Request lines when <c>Logging:Requests</c> is on; first in the pipeline, so every answer is logged.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        if (app.Configuration.GetValue("Logging:Requests", false)) app.UseHttpLogging();
        return app;
    }

    /// <summary>
    /// <c>/metrics</c> refused to any address outside <c>Metrics:AllowedNetworks</c>, and to any request that came
    /// through a proxy (forwarded headers, or the X-Original-For that ASP.NET Core's forwarded-headers middleware leaves
    /// when it applied them): the address checked is then the connection's own, never one a client wrote. After the
    /// sign-in check, so a dead token is a 401 here as everywhere; Prometheus sends none.
    /// </summary>
    public static WebApplication UseMetricsNetworks(this WebApplication app)
    {
        var allowed = AllowedNetworks(app.Configuration);
        app.UseWhen(c => c.Request.Path.StartsWithSegments(MetricsPath), metrics => metrics.Use(async (context, next) =>
        {
            var headers = context.Request.Headers;
            var proxied = headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || headers.ContainsKey("Forwarded");
            if (proxied || !IsAllowed(context.Connection.RemoteIpAddress, allowed))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Metrics are served to the networks in Metrics:AllowedNetworks only.");
                return;
            }
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        }));
        return app;
    }

    public static void MapMetrics(this WebApplication app)
    {
        // The gauges exist from start-up, not from the first comment.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<EngagementMetrics>().StartSeries());
        if (!app.Configuration.GetValue("OpenTelemetry:Enabled", true)) return;
        // Never through the output cache: each scrape is the figures of that moment.
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().DisableHttpMetrics()
            .WithMetadata(new Microsoft.AspNetCore.OutputCaching.OutputCacheAttribute { NoStore = true });
    }

    /// <summary><c>Metrics:AllowedNetworks</c>: a list (or one string with commas) of addresses and CIDR networks; loopback by default.</summary>
    public static IReadOnlyList<IPNetwork> AllowedNetworks(IConfiguration configuration)
    {
        var section = configuration.GetSection("Metrics:AllowedNetworks");
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (values.Count == 0) values = ["127.0.0.0/8", "::1/128"];
        return values.Select(v =>
        {
            if (IPNetwork.TryParse(v, out var network)) return network;
            if (IPAddress.TryParse(v, out var address)) return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            throw new InvalidOperationException($"Metrics:AllowedNetworks: \"{v}\" is neither an address nor a network (such as 10.0.0.0/8).");
        }).ToList();
    }

    public static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> networks)
    {
        // No address (an in-process test host, a Unix socket without forwarded headers) is not known to be inside.
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return networks.Any(n => n.Contains(address));
    }
}

/// <summary>A path that is itself a secret (an unsubscribe link's token) is logged without it.</summary>
public sealed class RedactedPaths : Microsoft.AspNetCore.HttpLogging.IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(Microsoft.AspNetCore.HttpLogging.HttpLoggingInterceptorContext logContext)
    {
        if (logContext.HttpContext.Request.Path.StartsWithSegments("/unsubscribe", StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue)
        {
            logContext.TryDisable(Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestPath);
            logContext.AddParameter("Path", "/unsubscribe/…");
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseAsync(Microsoft.AspNetCore.HttpLogging.HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;
}
