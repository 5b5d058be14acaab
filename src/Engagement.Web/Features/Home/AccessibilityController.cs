using System.ComponentModel.DataAnnotations;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Home;

public sealed class BarrierReportForm
{
    /// <summary>Which page, or what the person was trying to do.</summary>
    [Required(ErrorMessage = "Validation.Required"), StringLength(300, ErrorMessage = "Validation.Length"), Display(Name = "Field.BarrierWhere")]
    public string Where { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), StringLength(2000, ErrorMessage = "Validation.Length"), Display(Name = "Field.BarrierWhat")]
    public string What { get; set; } = "";

    /// <summary>Optional: how to reach the person with the answer (e-mail or phone).</summary>
    [StringLength(200, ErrorMessage = "Validation.Length"), Display(Name = "Field.BarrierContact")]
    public string? Contact { get; set; }
}

public sealed record AccessibilityView(BarrierReportForm Form, string Phone, string Email, bool Sent);

/// <summary>
/// The accessibility statement with real ways to report a barrier: the phone and address the site is configured
/// with (Accessibility:Phone, Accessibility:Email), and a form, open to anyone, whose reports are e-mailed to every
/// admin and recorded in the audit log.
/// </summary>
[AllowAnonymous, Route("about/accessibility")]
public sealed class AccessibilityController(IConfiguration configuration, UserManager<User> users, Platform.Outbox.Outbox outbox,
    Platform.Audit.AuditWriter audit, EngagementDbContext db, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public IActionResult Index(bool sent = false) => View("~/Features/Home/Views/Accessibility.cshtml", ViewFor(new BarrierReportForm(), sent));

    [HttpPost("feedback"), EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> Feedback(BarrierReportForm form)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("~/Features/Home/Views/Accessibility.cshtml", ViewFor(form, false));
        }
        var where = Consultation.Comments.Clean(form.Where);
        var what = Consultation.Comments.Clean(form.What);
        var contact = string.IsNullOrWhiteSpace(form.Contact) ? "—" : Consultation.Comments.Clean(form.Contact);
        using (MailCulture.Default())
        {
            foreach (var admin in await users.GetUsersInRoleAsync(Roles.Admin))
            {
                if (admin.Email is null || admin.LockoutEnd > DateTimeOffset.UtcNow) continue;
                outbox.Email(admin.Email, text["Mail.Barrier.Subject"], string.Format(text["Mail.Barrier.Body"].Value, where, what, contact));
            }
        }
        // The audit log keeps the report for the admins without the reporter's contact details.
        audit.Record("accessibility.report", "Accessibility", "feedback", null, new { Where = where, What = what });
        await db.SaveChangesAsync();
        return RedirectToAction(nameof(Index), new { sent = true });
    }

    private AccessibilityView ViewFor(BarrierReportForm form, bool sent) => new(form,
        configuration["Accessibility:Phone"] is { Length: > 0 } phone ? phone : "12345",
        configuration["Accessibility:Email"] is { Length: > 0 } email ? email : configuration["Outbox:From"] ?? "",
        sent);
}
