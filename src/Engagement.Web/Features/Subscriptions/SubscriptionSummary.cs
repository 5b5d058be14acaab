using System.Globalization;
using System.Security.Claims;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>What the signed-in person follows, in words, with the link to change it: on the profile page and on 我的.</summary>
public sealed class SubscriptionSummaryViewComponent(EngagementDbContext db, IStringLocalizer<SharedResource> text) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (UserClaimsPrincipal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id || !Guid.TryParse(id, out var person))
            return new HtmlContentViewComponentResult(HtmlString.Empty);
        var english = CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal);
        var follows = await db.Set<Subscription>().AsNoTracking().Where(s => s.UserId == person).ToListAsync();
        var delivery = await db.Set<SubscriptionSettings>().AsNoTracking().Where(s => s.UserId == person).Select(s => (Delivery?)s.Delivery).SingleOrDefaultAsync();
        var topics = await db.Set<Topic>().AsNoTracking().ToDictionaryAsync(t => t.Code, t => english ? t.NameEn : t.Name);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id.ToString(CultureInfo.InvariantCulture), u => u.LocalName(english));
        var names = follows.OrderBy(s => s.Kind).Select(s => s.Kind switch
        {
            SubscriptionKind.Topic => topics.GetValueOrDefault(s.Value, s.Value),
            SubscriptionKind.Enterprise => text["Subscriptions.Summary.Enterprise"].Value,
            _ => units.GetValueOrDefault(s.Value, s.Value),
        }).ToList();
        var html = new HtmlContentBuilder();
        html.AppendHtml("<section aria-labelledby=\"subscriptions-heading\" class=\"mb-4\" id=\"subscriptions\"><h2 id=\"subscriptions-heading\">");
        html.Append(text["Subscriptions.Summary.Heading"]);
        html.AppendHtml("</h2><p id=\"subscriptions-summary\">");
        html.Append(names.Count == 0 ? text["Subscriptions.Summary.None"].Value
            : string.Format(CultureInfo.CurrentCulture, text["Subscriptions.Summary.Some"], string.Join(english ? ", " : "、", names),
                text[delivery == Delivery.Weekly ? "Subscriptions.Summary.Weekly" : "Subscriptions.Summary.Immediate"].Value));
        html.AppendHtml("</p><p><a href=\"/profile/subscriptions\" id=\"subscriptions-link\">");
        html.Append(text["Subscriptions.Summary.Change"]);
        html.AppendHtml("</a></p></section>");
        return new HtmlContentViewComponentResult(html);
    }
}
