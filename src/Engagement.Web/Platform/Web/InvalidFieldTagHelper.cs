using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Engagement.Web.Platform.Web;

/// <summary>
/// Every field the last submission got wrong says so to assistive technology: <c>aria-invalid="true"</c> on each
/// input, select and textarea whose name has an error in the model state, and its error message joined to its
/// description (<c>{id}-error</c> when the page has one). Part of the one error pattern of every form (with the
/// summary the layout puts at the top of <c>main</c>).
/// </summary>
[HtmlTargetElement("input", Attributes = "name")]
[HtmlTargetElement("select", Attributes = "name")]
[HtmlTargetElement("textarea", Attributes = "name")]
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class InvalidFieldTagHelper : TagHelper
{
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    // After the framework's own tag helpers, so a name they set is seen.
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = output.Attributes["name"]?.Value?.ToString();
        if (string.IsNullOrEmpty(name) || output.Attributes["type"]?.Value?.ToString() is "hidden" or "submit") return;
        if (!ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) || entry.Errors.Count == 0) return;
        output.Attributes.SetAttribute("aria-invalid", "true");
    }
}

/// <summary>
/// Every form is checked by the server and answered with the one error pattern, never by the browser's own bubbles
/// (which vanish, are not announced by every screen reader, and come in the browser's language): forms are
/// <c>novalidate</c>. <c>required</c> stays on the fields, where it tells assistive technology what must be filled.
/// </summary>
[HtmlTargetElement("form")]
public sealed class ServerValidatedFormTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!output.Attributes.ContainsName("novalidate")) output.Attributes.Add(new TagHelperAttribute("novalidate"));
    }
}
