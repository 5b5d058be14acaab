using System.Globalization;
using System.Text;

namespace Engagement.Web.Platform.Privacy;

/// <summary>
/// Text as the detector reads it, with where each of its characters came from: <see cref="Start"/>[i] to
/// <see cref="End"/>[i] is the original's code units for character i. Numbers are written the way people say and type
/// them (一三八零零…, ①③⑧, ١٣٨, 138 0013 8000, (021)6212-3456, 138.0013.8000), and this makes them all one plain run of
/// ASCII digits, so one set of patterns finds them and the mask lands on the original's characters.
/// </summary>
public sealed class Normalised
{
    public required string Text { get; init; }
    public required int[] Start { get; init; }
    public required int[] End { get; init; }

    /// <summary>Separators joined away between digits (at most this many in a row): spaces, dots, hyphens, brackets, slashes.</summary>
    private const int MaxSeparators = 3;

    /// <summary>The longest group of digits written before a separator inside one number (yyyyMMdd in an ID).</summary>
    private const int MaxGroup = 8;

    public static Normalised Of(string original)
    {
        // Pass 1: one or more plain characters per code point; invisible format characters dropped.
        var chars = new StringBuilder(original.Length);
        var starts = new List<int>(original.Length);
        var ends = new List<int>(original.Length);
        void Add(char c, int start, int end) { chars.Append(c); starts.Add(start); ends.Add(end); }
        for (var i = 0; i < original.Length;)
        {
            var c = original[i];
            if (c < 0x80)
            {
                Add(c, i, i + 1);
                i++;
                continue;
            }
            // A lone surrogate (a cut-off emoji, hostile input) is kept as it is, never a reason to fail.
            if (!Rune.TryGetRuneAt(original, i, out var rune))
            {
                Add(c, i, i + 1);
                i++;
                continue;
            }
            var end = i + rune.Utf16SequenceLength;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format) { i = end; continue; }
            if (ChineseDigit(c) is { } digit) Add(digit, i, end);
            else if (Rune.IsDigit(rune)) Add((char)('0' + (int)Rune.GetNumericValue(rune)), i, end);
            else if (Rune.IsWhiteSpace(rune)) Add(' ', i, end);
            else if (c is >= '\u4E00' and <= '\u9FFF') Add(c, i, end); // ideographs are their own NFKC
            else if (c is '．') Add('.', i, end);
            else if (c is '｡') Add('。', i, end); // a sentence's full stop: an e-mail's dot to the pattern, never a digit separator
            else if (c is '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' or '－' or '﹣') Add('-', i, end);
            else if (c is '·' or '・' or '･') Add('.', i, end);
            else
            {
                // Full-width letters and punctuation, circled and mathematical digits (①, 𝟏), ＠: their compatibility form.
                foreach (var k in rune.ToString().Normalize(NormalizationForm.FormKC)) Add(k, i, end);
            }
            i = end;
        }

        // Pass 2: separators between two digits go (up to three in a row), so a number written in groups is one run.
        var text = new StringBuilder(chars.Length);
        var start = new List<int>(chars.Length);
        var stop = new List<int>(chars.Length);
        var group = 0; // digits since the run began or since the last separator joined away
        for (var i = 0; i < chars.Length; i++)
        {
            // Numbers are written in groups of at most 8 (an ID's birth date); after a longer run the number is whole,
            // and what follows a separator is something else (13900001111. 3号楼).
            if (IsSeparator(chars[i]) && text.Length > 0 && char.IsAsciiDigit(text[^1]) && group <= MaxGroup)
            {
                var next = i;
                while (next < chars.Length && next - i < MaxSeparators && IsSeparator(chars[next])) next++;
                if (next < chars.Length && (char.IsAsciiDigit(chars[next]) || IsFinalX(chars, next)))
                {
                    group = 0;
                    i = next - 1;
                    continue;
                }
            }
            group = char.IsAsciiDigit(chars[i]) ? group + 1 : 0;
            text.Append(chars[i]);
            start.Add(starts[i]);
            stop.Add(ends[i]);
        }
        return new Normalised { Text = text.ToString(), Start = start.ToArray(), End = stop.ToArray() };
    }

    private static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '(' or ')' or '[' or ']' or '/' or '\\' or '_';

    /// <summary>The X that ends an ID number written in groups (…4514 / …451X), not the start of a word.</summary>
    private static bool IsFinalX(StringBuilder chars, int i) =>
        chars[i] is 'X' or 'x' && (i + 1 == chars.Length || !char.IsAsciiLetter(chars[i + 1]));

    /// <summary>How numbers are dictated and written out: 〇零一二…九, 幺 for one, and the financial 壹贰叁….</summary>
    private static char? ChineseDigit(char c) => c switch
    {
        '〇' or '零' => '0',
        '一' or '幺' or '壹' => '1',
        '二' or '贰' => '2',
        '三' or '叁' => '3',
        '四' or '肆' => '4',
        '五' or '伍' => '5',
        '六' or '陆' => '6',
        '七' or '柒' => '7',
        '八' or '捌' => '8',
        '九' or '玖' => '9',
        _ => null,
    };
}
