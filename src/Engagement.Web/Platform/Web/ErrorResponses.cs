using Engagement.Web.Features.Calendar;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Platform.Web;

/// <summary>One problem-details shape for the API; a friendly localized page for people.</summary>
public static class ErrorResponses
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>Seconds a client is asked to wait when the database cannot be reached.</summary>
    public const int RetryAfterSeconds = 30;

    /// <summary>
    /// The database cannot be reached or is shutting down (as opposed to a fault in our code): a connection refused or
    /// broken, PostgreSQL's connection and shutdown states (08xxx, 57P0x), a provider's transient error, SQLite busy
    /// or locked beyond its timeout. Such a request is answered 503, "try again shortly", not 500.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal):
                case Npgsql.NpgsqlException { IsTransient: true }:
                case Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }:
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The status of a failed request: 503 when the database is unavailable, else 500.</summary>
    public static int StatusOf(Exception? error) =>
        error is Data.TextTooLongException ? StatusCodes.Status422UnprocessableEntity
        : IsDatabaseUnavailable(error) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;

    /// <summary>API exceptions become problem+json; a missing calendar is the caller's 422, never a 500.</summary>
    public static async Task WriteApiProblemAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, title, detail) = error switch
        {
            CalendarMissingException missing => (StatusCodes.Status422UnprocessableEntity, "Working-day calendar missing", missing.Message),
            Data.TextTooLongException tooLong => (StatusCodes.Status422UnprocessableEntity, "Text too long", tooLong.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ when IsDatabaseUnavailable(error) => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
                $"The database cannot be reached just now; nothing was half-saved. Please try again in {RetryAfterSeconds} seconds."),
            _ => (StatusCodes.Status500InternalServerError, "Server error",
                "Something went wrong on our side and nothing was half-saved; please try again."),
        };
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
