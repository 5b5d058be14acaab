using System.Globalization;

namespace Engagement.Web.Platform.Text;

/// <summary>
/// Lengths as people see them: "👍🏽" or "é" typed as e + accent is one character, not the two to four UTF-16 units
/// <see cref="string.Length"/> counts. Limits shown to people ("at most 40 characters") are checked with this.
/// </summary>
public static class TextLength
{
    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : new StringInfo(text).LengthInTextElements;

    /// <summary>Without the characters XML 1.0 cannot carry (control characters other than tab and line breaks, lone surrogates, U+FFFE/F).</summary>
    public static string ForXml(string? text) =>
        string.IsNullOrEmpty(text) ? "" : Strip(text);

    private static string Strip(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { kept.Append(c).Append(text[++i]); continue; }
            if (System.Xml.XmlConvert.IsXmlChar(c)) kept.Append(c);
        }
        return kept.ToString();
    }
}
