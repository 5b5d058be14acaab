using System.Globalization;
using System.Text.RegularExpressions;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>One sample of a Prometheus scrape: a series name, its labels and its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads /metrics as Prometheus does: the text exposition format, a sample a line.</summary>
public static partial class Metrics
{
    public static async Task<IReadOnlyList<MetricSample>> ScrapeAsync(this HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups[1].Value, m => Regex.Unescape(m.Groups[2].Value));
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new MetricSample(match.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>The value of the one series with this name and these labels (others ignored); null when absent.</summary>
    public static double? Value(this IReadOnlyList<MetricSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(s => (double?)s.Value).SingleOrDefault();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
