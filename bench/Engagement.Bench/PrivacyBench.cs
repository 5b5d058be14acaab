using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Engagement.Web.Platform.Privacy;

/// <summary>
/// Masking speed (issue: 10,000 comments of 300 characters in under a second). The comments are built from the
/// privacy corpus (tests/data/privacy/): sentences with personal data written every way people write it, and innocent
/// ones with dates, document numbers and amounts, joined to about 300 characters each.
///   dotnet run -c Release --project bench/Engagement.Bench -- privacy
/// </summary>
public static class PrivacyBench
{
    public static int Run(string root)
    {
        var folder = Path.Combine(root, "tests", "data", "privacy");
        var personal = JsonSerializer.Deserialize<List<JsonElement>>(File.ReadAllText(Path.Combine(folder, "personal.json")))!
            .Select(e => e.GetProperty("text").GetString()!).ToList();
        var innocent = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(folder, "innocent.json")))!;
        var random = new Random(2026);
        var comments = new List<string>(10_000);
        while (comments.Count < 10_000)
        {
            var comment = new StringBuilder();
            while (comment.Length < 300)
            {
                // About one comment in four carries personal data, as in a consultation that asked for none.
                comment.Append(random.Next(12) == 0 ? personal[random.Next(personal.Count)] : innocent[random.Next(innocent.Count)]);
            }
            comments.Add(comment.ToString(0, 300));
        }
        foreach (var comment in comments.Take(200)) PersonalDataMasker.Mask(comment); // warm up the regexes and the JIT
        var runs = new List<double>();
        var found = 0;
        for (var run = 0; run < 5; run++)
        {
            found = 0;
            var watch = Stopwatch.StartNew();
            foreach (var comment in comments) found += PersonalDataMasker.Mask(comment).Found.Count;
            runs.Add(watch.Elapsed.TotalMilliseconds);
        }
        runs.Sort();
        Console.WriteLine($"privacy: 10,000 comments of 300 characters ({comments.Sum(c => c.Length):N0} characters), {found:N0} personal data found");
        Console.WriteLine($"privacy: best {runs[0]:F0} ms, median {runs[2]:F0} ms, worst {runs[4]:F0} ms over 5 runs (target: under 1,000 ms)");
        return runs[2] < 1000 ? 0 : 1;
    }
}
