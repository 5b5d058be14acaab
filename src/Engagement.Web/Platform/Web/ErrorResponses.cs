using Engagement.Web.Features.Calendar;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Platform.Web;

/// <summary>One problem-details shape for the API; a friendly localized page for people.</summary>
public static class ErrorResponses
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>API exceptions become problem+json; a missing calendar is the caller's 422, never a 500.</summary>
    public static async Task WriteApiProblemAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, title, detail) = error switch
        {
            CalendarMissingException missing => (StatusCodes.Status422UnprocessableEntity, "Working-day calendar missing", missing.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ => (StatusCodes.Status500InternalServerError, "Server error",
                "Something went wrong on our side and nothing was half-saved; please try again."),
        };
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
