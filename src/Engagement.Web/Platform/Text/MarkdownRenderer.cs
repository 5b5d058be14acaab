using Ganss.Xss;
using Microsoft.Extensions.Caching.Memory;
using Markdig;

namespace Engagement.Web.Platform.Text;

/// <summary>
/// The one Markdown renderer for documents: raw HTML off, then the result sanitized, so a document can never carry
/// script, event handlers or javascript: links into a page.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    // Documents change rarely and are read often: keep recent renderings (bounded) instead of sanitizing on every view.
    private static readonly Microsoft.Extensions.Caching.Memory.MemoryCache Rendered = new(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = 2_000_000 });

    public static string ToHtml(string markdown)
    {
        markdown ??= "";
        return Rendered.GetOrCreate(markdown, entry =>
        {
            var html = Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
            entry.Size = markdown.Length + html.Length;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return html;
        })!;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img");
        return sanitizer;
    }
}
