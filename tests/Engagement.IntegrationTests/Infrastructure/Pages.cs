using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>Reading pages and submitting their forms the way a browser does, antiforgery token included.</summary>
public static class Pages
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}\n{html[..Math.Min(html.Length, 2000)]}");
        return await Parser.ParseDocumentAsync(html);
    }

    public static async Task<IHtmlDocument> ParseAsync(this HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>Fills the form whose action is <paramref name="action"/> on <paramref name="page"/> and posts it.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IHtmlDocument page, string action,
        IDictionary<string, string>? values = null, string? button = null)
    {
        var form = page.Forms.FirstOrDefault(f => f.GetAttribute("action") == action)
            ?? throw new InvalidOperationException($"No form posting to {action} on the page");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements.OfType<IHtmlInputElement>())
        {
            if (string.IsNullOrEmpty(element.Name) || element.Type is "submit" or "file") continue;
            if (element.Type is "checkbox" or "radio" && !element.IsChecked) continue;
            if (values?.ContainsKey(element.Name) == true) continue;
            fields.Add(new(element.Name, element.Value));
        }
        foreach (var select in form.Elements.OfType<IHtmlSelectElement>())
        {
            if (!string.IsNullOrEmpty(select.Name) && values?.ContainsKey(select.Name) != true)
                fields.Add(new(select.Name, select.Value ?? ""));
        }
        if (values is not null) fields.AddRange(values);
        if (button is not null)
        {
            var parts = button.Split('=', 2);
            fields.Add(new(parts[0], parts[1]));
        }
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static async Task SignInAsync(this HttpClient client, string email, string password = EngagementFactory.Password)
    {
        var page = await client.GetPageAsync("/account/login");
        var response = await client.SubmitAsync(page, "/account/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email} failed: {(int)response.StatusCode}");
    }
}
