using System.Globalization;

namespace Engagement.Web.Platform;

/// <summary>
/// E-mail to people who did not start the request (commenters, a unit's staff) is written in the site's default
/// language, not in the language of whoever clicked: the platform keeps no language preference per person.
/// </summary>
public static class MailCulture
{
    /// <summary>The person's own language for one e-mail ("en" or "zh-CN"; anything else is Chinese).</summary>
    public static IDisposable Of(string? language)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(language == "en" ? "en" : "zh-CN");
        return new Restore(culture, ui);
    }

    public static IDisposable Default()
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        return new Restore(culture, ui);
    }

    private sealed class Restore(CultureInfo culture, CultureInfo ui) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = ui;
        }
    }
}
