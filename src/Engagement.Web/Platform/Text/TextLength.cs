using System.Globalization;

namespace Engagement.Web.Platform.Text;

/// <summary>
/// Lengths as people see them: "👍🏽" or "é" typed as e + accent is one character, not the two to four UTF-16 units
/// <see cref="string.Length"/> counts. Limits shown to people ("at most 40 characters") are checked with this.
/// </summary>
public static class TextLength
{
    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : new StringInfo(text).LengthInTextElements;

    /// <summary>Trimmed, without control characters (line breaks and tabs kept); null becomes empty.</summary>
    public static string Clean(string? text) =>
        string.Concat((text ?? "").Where(c => !char.IsControl(c) || c is '\n' or '\r' or '\t')).Trim();
}
